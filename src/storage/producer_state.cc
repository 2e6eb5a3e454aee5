#include "storage/producer_state.h"

#include <algorithm>
#include <climits>

namespace runnel::storage {
namespace {

bool inSequence(int32_t last_seq, int32_t next_seq) {
  return int64_t(next_seq) == int64_t(last_seq) + 1 || (next_seq == 0 && last_seq == INT32_MAX);
}

ProducerCheck refuse(ProducerError error, std::string message) {
  return ProducerCheck{error, std::move(message), std::nullopt};
}

}  // namespace

int32_t lastSequence(int32_t base_sequence, int32_t last_offset_delta) {
  if (base_sequence > INT32_MAX - last_offset_delta) return last_offset_delta - (INT32_MAX - base_sequence) - 1;
  return base_sequence + last_offset_delta;
}

void ProducerEntry::add(const ProducerBatch& batch) {
  if (batch.epoch != epoch) {
    batches.clear();
    epoch = batch.epoch;
  }
  if (batches.size() == ProducerStateManager::kBatchesToRetain) batches.pop_front();
  batches.push_back({batch.first_seq, batch.last_seq, batch.first_offset, batch.last_offset, batch.timestamp});
  last_timestamp = batch.timestamp;
}

const ProducerEntry* ProducerStateManager::find(int64_t producer_id) const {
  auto it = producers_.find(producer_id);
  return it == producers_.end() ? nullptr : &it->second;
}

ProducerCheck ProducerStateManager::check(std::span<const ProducerBatch> batches, Pending& pending) const {
  for (const ProducerBatch& batch : batches) {
    const ProducerEntry* current = find(batch.producer_id);
    if (current && current->epoch == batch.epoch) {
      for (const BatchMetadata& earlier : current->batches) {
        if (earlier.first_seq == batch.first_seq && earlier.last_seq == batch.last_seq) {
          return ProducerCheck{ProducerError::kNone, {}, earlier};
        }
      }
    }
    auto it = std::find_if(pending.begin(), pending.end(), [&](const auto& p) { return p.first == batch.producer_id; });
    if (it == pending.end()) {
      pending.emplace_back(batch.producer_id, current ? *current : ProducerEntry{});
      it = std::prev(pending.end());
    }
    ProducerEntry& updated = it->second;
    std::string producer = "producer " + std::to_string(batch.producer_id) + " at offset " +
                           std::to_string(batch.first_offset);
    if (batch.epoch < updated.epoch) {
      // Kafka answers INVALID_PRODUCER_EPOCH (not PRODUCER_FENCED) to a produce since 2.7.
      return refuse(ProducerError::kInvalidProducerEpoch,
                    "Epoch of " + producer + " is " + std::to_string(batch.epoch) +
                        ", which is smaller than the last seen epoch " + std::to_string(updated.epoch));
    }
    if (batch.epoch != updated.epoch) {
      // A new epoch starts over at sequence 0; a producer the partition does not know may
      // start anywhere (its earlier batches may have been removed by retention).
      if (batch.first_seq != 0 && updated.epoch != kNoProducerEpoch) {
        return refuse(ProducerError::kOutOfOrderSequence,
                      "Invalid sequence number for new epoch of " + producer + ": " + std::to_string(batch.epoch) +
                          " (request epoch), " + std::to_string(batch.first_seq) + " (seq. number), " +
                          std::to_string(updated.epoch) + " (current producer epoch)");
      }
    } else {
      int32_t last_seq = updated.batches.empty() ? kNoSequence : updated.batches.back().last_seq;
      bool known = current && current->epoch != kNoProducerEpoch;
      if (known && !inSequence(last_seq, batch.first_seq)) {
        return refuse(ProducerError::kOutOfOrderSequence,
                      "Out of order sequence number for " + producer + ": " + std::to_string(batch.first_seq) +
                          " (incoming seq. number), " + std::to_string(last_seq) + " (current end sequence number)");
      }
    }
    updated.add(batch);
  }
  return ProducerCheck{};
}

void ProducerStateManager::commit(Pending&& pending) {
  for (auto& [producer_id, entry] : pending) producers_[producer_id] = std::move(entry);
}

void ProducerStateManager::replay(const ProducerBatch& batch) { producers_[batch.producer_id].add(batch); }

void ProducerStateManager::removeExpired(int64_t now_ms, int64_t expiration_ms) {
  std::erase_if(producers_, [&](const auto& p) { return now_ms - p.second.last_timestamp >= expiration_ms; });
}

}  // namespace runnel::storage
