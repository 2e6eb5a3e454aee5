#include "restore_printer.h"

#include <fmt/core.h>

namespace runnel::examples::patient {

namespace {

std::string source(const client::TopicPartition& partition, const std::string& store_name) {
  return fmt::format("{} from {}-{}", store_name, partition.topic, partition.partition);
}

}  // namespace

void RestorePrinter::onRestoreStart(const client::TopicPartition& partition, const std::string& store_name,
                                    int64_t starting_offset, int64_t ending_offset) {
  print_(fmt::format("Restore started: {}, offsets {} to {}", source(partition, store_name), starting_offset,
                     ending_offset));
}

void RestorePrinter::onBatchRestored(const client::TopicPartition& partition, const std::string& store_name,
                                     int64_t batch_end_offset, int64_t num_restored) {
  print_(fmt::format("Restore batch: {}, {} records, up to offset {}", source(partition, store_name), num_restored,
                     batch_end_offset));
}

void RestorePrinter::onRestoreEnd(const client::TopicPartition& partition, const std::string& store_name,
                                  int64_t total_restored) {
  print_(fmt::format("Restore complete: {}, {} records", source(partition, store_name), total_restored));
}

}  // namespace runnel::examples::patient
