#pragma once

// Chapter 6 of the book, advanced state management: the state of each patient in a
// store whose changelog topic has topic configs of its own, with the check-out deleting
// the patient (a reducer that returns null makes a tombstone).
//   patient-events -> groupByKey -> reduce (patient-state) -> toStream -> patient-state-changes

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "streams/topology.h"

namespace runnel::examples::patient {

inline constexpr const char* kPatientEventsTopic = "patient-events";
inline constexpr const char* kPatientStateChangesTopic = "patient-state-changes";
inline constexpr const char* kPatientStateStore = "patient-state";
inline constexpr const char* kCheckedOut = "check-out";
// The book's changelog settings: 512 MiB segments, compacted (a changelog keeps the last
// value of each key), cleaned once 30% of the log is dirty.
inline constexpr const char* kChangelogSegmentBytes = "536870912";
inline constexpr const char* kChangelogMinCleanableDirtyRatio = "0.3";
// The book's fixed-size LRU store holds 10 keys.
inline constexpr size_t kLruMaxEntries = 10;

// Which kind of store keeps the state: RocksDB on disk, a map in memory, or a map in
// memory with at most kLruMaxEntries keys (the least recently used one evicted).
enum class StoreKind { kPersistent, kInMemory, kLru };

// "persistent", "in-memory" or "lru".
std::optional<StoreKind> parseStoreKind(std::string_view name);

// The reducer: a patient's state is its latest event; checking out deletes the patient.
std::optional<std::string> nextPatientState(const std::string& state, const std::string& event);

Result<streams::Topology> patientStateTopology(StoreKind store);

}  // namespace runnel::examples::patient
