#include "patient_state_topology.h"

#include "streams/materialized.h"
#include "streams/serdes.h"
#include "streams/stores.h"

namespace runnel::examples::patient {

using streams::Consumed;
using streams::Materialized;
using streams::Produced;
using streams::Serdes;
using streams::Stores;

namespace {

streams::KeyValueBytesStoreSupplierPtr storeSupplier(StoreKind store) {
  switch (store) {
    case StoreKind::kInMemory:
      return Stores::inMemoryKeyValueStore(kPatientStateStore);
    case StoreKind::kLru:
      return Stores::lruMap(kPatientStateStore, kLruMaxEntries);
    case StoreKind::kPersistent:
      break;
  }
  return Stores::persistentKeyValueStore(kPatientStateStore);
}

}  // namespace

std::optional<StoreKind> parseStoreKind(std::string_view name) {
  if (name == "persistent") return StoreKind::kPersistent;
  if (name == "in-memory") return StoreKind::kInMemory;
  if (name == "lru") return StoreKind::kLru;
  return std::nullopt;
}

std::optional<std::string> nextPatientState(const std::string&, const std::string& event) {
  if (event == kCheckedOut) return std::nullopt;  // a tombstone: the patient is gone
  return event;
}

Result<streams::Topology> patientStateTopology(StoreKind store) {
  streams::StreamsBuilder builder;
  builder.stream<std::string, std::string>(kPatientEventsTopic, Consumed<std::string, std::string>::with(
                                                                    Serdes::String(), Serdes::String()))
      .groupByKey()
      .reduce(nextPatientState, Materialized<std::string, std::string>::as(storeSupplier(store))
                                    .withLoggingEnabled({{"segment.bytes", kChangelogSegmentBytes},
                                                         {"min.cleanable.dirty.ratio", kChangelogMinCleanableDirtyRatio},
                                                         {"cleanup.policy", "compact"}}))
      .toStream()
      .to(kPatientStateChangesTopic,
          Produced<std::string, std::optional<std::string>>::with(Serdes::String(), Serdes::Optional(Serdes::String())));
  return builder.build();
}

}  // namespace runnel::examples::patient
