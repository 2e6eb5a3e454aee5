#pragma once

// The idempotent-producer state of one partition, after Kafka's ProducerStateManager: per
// producer id the current epoch and the metadata of its last five batches, so that an
// append can be checked for duplicates and sequence gaps atomically with the write. The
// owning PartitionLog calls it under its append lock; it is not thread-safe on its own.
// docs/storage-format.md ("Producer state") describes the rules and the snapshot files.

#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"
#include "storage/log_types.h"

namespace runnel::storage {

inline constexpr int64_t kNoProducerId = -1;
inline constexpr int16_t kNoProducerEpoch = -1;
inline constexpr int32_t kNoSequence = -1;

// Sequence number of a batch's last record: sequences wrap from INT32_MAX to 0, as
// producers assign them.
int32_t lastSequence(int32_t base_sequence, int32_t last_offset_delta);

// One batch of an idempotent producer, with the offsets the log assigned it.
struct ProducerBatch {
  int64_t producer_id;
  int16_t epoch;
  int32_t first_seq;
  int32_t last_seq;
  int64_t first_offset;
  int64_t last_offset;
  int64_t timestamp;  // the batch's max timestamp
};

// What is kept of each of a producer's last batches: enough to answer a duplicate.
struct BatchMetadata {
  int32_t first_seq;
  int32_t last_seq;
  int64_t first_offset;
  int64_t last_offset;
  int64_t timestamp;
};

struct ProducerEntry {
  int16_t epoch = kNoProducerEpoch;
  int64_t last_timestamp = -1;        // of the last batch, for producer.id.expiration.ms
  std::deque<BatchMetadata> batches;  // oldest first, all of the current epoch

  // Adds a batch, dropping the metadata of an older epoch and beyond the last five.
  void add(const ProducerBatch& batch);
};

// The outcome of checking one append.
struct ProducerCheck {
  ProducerError error = ProducerError::kNone;
  std::string message;
  // Set when the append repeats one of the producer's last batches: it is answered with
  // the original offsets and not written again.
  std::optional<BatchMetadata> duplicate;
};

class ProducerStateManager {
 public:
  static constexpr size_t kBatchesToRetain = 5;
  // The entries an append changes, as they will be once it is written.
  using Pending = std::vector<std::pair<int64_t, ProducerEntry>>;

  // Checks the producer batches of one append (in log order) as Kafka's ProducerAppendInfo
  // does for a client append, staging their effect in `pending`. A duplicate is looked up
  // in the state before the append; an error or duplicate ends the check.
  ProducerCheck check(std::span<const ProducerBatch> batches, Pending& pending) const;
  // Applies a checked append once its bytes are in the log.
  void commit(Pending&& pending);
  // Applies a batch read back from the log, without checks (rebuilding on open).
  void replay(const ProducerBatch& batch);
  // Forgets producers whose last batch is at least expiration_ms older than now_ms.
  void removeExpired(int64_t now_ms, int64_t expiration_ms);

  const ProducerEntry* find(int64_t producer_id) const;
  size_t size() const { return producers_.size(); }
  void clear() { producers_.clear(); }

  // Snapshot files, "<offset>.snapshot" beside the segments: the state after every batch
  // below `offset`. Written atomically; the format is in docs/storage-format.md.
  Status writeSnapshot(const std::filesystem::path& dir, int64_t offset) const;
  // Replaces the state with the newest readable snapshot at or below max_offset and
  // returns its offset (nullopt: none, the state is empty). Snapshots above max_offset
  // (the log was truncated beneath them) and unreadable ones are removed.
  Result<std::optional<int64_t>> loadLatestSnapshot(const std::filesystem::path& dir, int64_t max_offset,
                                                    RecoveryReport* report);
  // Keeps the newest `keep` snapshot files of `dir`.
  static Status removeOldSnapshots(const std::filesystem::path& dir, size_t keep);

 private:
  Status readSnapshot(const std::filesystem::path& path);

  std::unordered_map<int64_t, ProducerEntry> producers_;
};

}  // namespace runnel::storage
