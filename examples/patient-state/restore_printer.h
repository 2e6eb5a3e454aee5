#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "streams/kafka_streams.h"

namespace runnel::examples::patient {

// The book's restore listener, made talkative: one line when a store starts restoring
// from its changelog, one per batch restored, one when it is done.
//   Restore started: patient-state from <app>-patient-state-changelog-0, offsets 0 to 12
//   Restore batch: patient-state from <app>-patient-state-changelog-0, 12 records, up to offset 12
//   Restore complete: patient-state from <app>-patient-state-changelog-0, 12 records
// `print` receives each line (without a newline), on the stream thread that restores.
class RestorePrinter final : public streams::StateRestoreListener {
 public:
  using PrintLine = std::function<void(const std::string& line)>;
  explicit RestorePrinter(PrintLine print) : print_(std::move(print)) {}

  void onRestoreStart(const client::TopicPartition& partition, const std::string& store_name, int64_t starting_offset,
                      int64_t ending_offset) override;
  void onBatchRestored(const client::TopicPartition& partition, const std::string& store_name,
                       int64_t batch_end_offset, int64_t num_restored) override;
  void onRestoreEnd(const client::TopicPartition& partition, const std::string& store_name,
                    int64_t total_restored) override;

 private:
  PrintLine print_;
};

}  // namespace runnel::examples::patient
