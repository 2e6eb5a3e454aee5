#include "broker/log_cleaner.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "broker/request_context.h"
#include "broker/topic_manager.h"
#include "storage/batch_header.h"
#include "storage/file_util.h"

namespace runnel::broker {
namespace {

constexpr char kCheckpointVersion[] = "0";

int64_t configLong(const Topic& topic, const BrokerConfig& broker, const char* name, int64_t fallback) {
  return parseInt64(topic.config.effective(broker, name)).value_or(fallback);
}

// Kafka's max.compaction.lag.ms clock starts at the first dirty batch's timestamp.
bool maxLagExceeded(const storage::PartitionLog& log, const CleanableRange& range, const CompactionConfig& config,
                    int64_t now_ms) {
  if (config.max_compaction_lag_ms == INT64_MAX || range.dirty_bytes == 0) return false;
  Bytes first;
  int64_t offset = std::max(range.first_dirty, log.logStartOffset());
  if (!log.read(offset, 1, first, range.first_uncleanable).isOk() || first.size() < storage::batch_layout::kHeaderSize) {
    return false;
  }
  auto header = storage::parseBatchHeader(first);
  return header.isOk() && header->max_timestamp >= 0 && now_ms - header->max_timestamp > config.max_compaction_lag_ms;
}

}  // namespace

LogCleaner::LogCleaner(TopicManager& topics, const BrokerConfig& config) : topics_(topics), config_(config) {}

LogCleaner::~LogCleaner() { stop(); }

Status LogCleaner::start() {
  RUNNEL_RETURN_IF_ERROR(loadCheckpoint());
  if (config_.log_cleaner_enable && config_.log_cleaner_threads > 0) thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void LogCleaner::stop() {
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LogCleaner::run() {
  std::unique_lock lock(thread_mu_);
  while (!stopping_) {
    lock.unlock();
    auto cleaned = cleanOnce(nowMs());
    if (!cleaned.isOk()) spdlog::warn("log cleaner: {}", cleaned.status().toString());
    lock.lock();
    if (cleaned.isOk() && *cleaned) continue;
    wake_.wait_for(lock, std::chrono::milliseconds(config_.log_cleaner_backoff_ms), [this] { return stopping_; });
  }
}

CompactionConfig LogCleaner::compactionConfig(const Topic& topic) const {
  CompactionConfig c;
  std::string ratio = topic.config.effective(config_, "min.cleanable.dirty.ratio");
  c.min_cleanable_dirty_ratio = std::strtod(ratio.c_str(), nullptr);
  c.delete_retention_ms = configLong(topic, config_, "delete.retention.ms", c.delete_retention_ms);
  c.min_compaction_lag_ms = configLong(topic, config_, "min.compaction.lag.ms", c.min_compaction_lag_ms);
  c.max_compaction_lag_ms = configLong(topic, config_, "max.compaction.lag.ms", c.max_compaction_lag_ms);
  c.segment_bytes = configLong(topic, config_, "segment.bytes", c.segment_bytes);
  c.offset_map_bytes = uint64_t(std::max<int64_t>(config_.log_cleaner_dedupe_buffer_size, 1));
  return c;
}

Result<bool> LogCleaner::cleanOnce(int64_t now_ms) {
  struct Candidate {
    std::shared_ptr<Partition> partition;
    CompactionConfig config;
    CleanableRange range;
    double score = -1;
  } best;
  {
    std::lock_guard lock(mu_);
    for (const auto& topic : topics_.list()) {
      if (topic->config.effective(config_, "cleanup.policy").find("compact") == std::string::npos) continue;
      CompactionConfig config = compactionConfig(*topic);
      for (const auto& partition : topic->partitions) {
        State& state = states_[{topic->name, partition->index}];
        if (state.partition.lock() != partition) {
          if (state.seen) state = State{};  // the topic was deleted and created again
          state.partition = partition;
          state.seen = true;
        }
        const storage::PartitionLog& log = *partition->log;
        int64_t first_dirty = state.first_dirty > log.logEndOffset() ? 0 : state.first_dirty;
        first_dirty = std::max(first_dirty, log.logStartOffset());
        CleanableRange range = cleanableRange(log.segmentInfos(), first_dirty, config, now_ms);
        double ratio = range.dirtyRatio();
        bool dirty = range.dirty_bytes > 0 &&
                     (ratio >= config.min_cleanable_dirty_ratio || maxLagExceeded(log, range, config, now_ms));
        // Expired tombstones alone make a partition due, after every dirty one.
        bool tombstones = now_ms >= state.tombstone_expiry_ms;
        double score = dirty ? 1 + ratio : tombstones ? 0 : -1;
        if (score > best.score) best = {partition, config, range, score};
      }
    }
  }
  if (!best.partition) return false;
  Partition& partition = *best.partition;
  auto started = std::chrono::steady_clock::now();
  auto result = compactLog(*partition.log, best.range, best.config, now_ms);
  if (!result) {
    spdlog::warn("log cleaner: cleaning {}-{} failed", partition.topic, partition.index);
    return result.status();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("log cleaner: cleaned {}-{} up to offset {}: read {} bytes, wrote {} bytes, removed {} records "
               "in {:.3f} s ({:.1f} MB/s)",
               partition.topic, partition.index, result->cleaned_up_to, result->bytes_read, result->bytes_written,
               result->records_removed, seconds, double(result->bytes_read) / 1e6 / std::max(seconds, 1e-6));
  {
    std::lock_guard lock(mu_);
    State& state = states_[{partition.topic, partition.index}];
    state.first_dirty = result->cleaned_up_to;
    state.tombstone_expiry_ms = result->tombstone_expiry_ms;
    RUNNEL_RETURN_IF_ERROR(writeCheckpoint());
  }
  return true;
}

int64_t LogCleaner::checkpointedOffset(const std::string& topic, int32_t partition) const {
  std::lock_guard lock(mu_);
  auto it = states_.find({topic, partition});
  return it == states_.end() ? -1 : it->second.first_dirty;
}

// "<version>\n<count>\n<topic> <partition> <offset>\n...", Kafka's OffsetCheckpointFile.
Status LogCleaner::loadCheckpoint() {
  std::filesystem::path path = std::filesystem::path(config_.log_dirs.front()) / kCheckpointFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok();
  RUNNEL_ASSIGN_OR_RETURN(std::string text, storage::readSmallFile(path));
  std::istringstream in(text);
  std::string version;
  size_t count = 0;
  if (!(in >> version >> count) || version != kCheckpointVersion) {
    spdlog::warn("log cleaner: ignoring unreadable {}", path.string());
    return Status::ok();
  }
  std::lock_guard lock(mu_);
  std::string topic;
  int32_t partition;
  int64_t offset;
  for (size_t i = 0; i < count && in >> topic >> partition >> offset; ++i) states_[{topic, partition}].first_dirty = offset;
  return Status::ok();
}

Status LogCleaner::writeCheckpoint() {
  std::string lines;
  size_t count = 0;
  for (const auto& [key, state] : states_) {
    // Deleted topics drop out; every live compacted partition was seen before any write.
    if (!state.seen || state.partition.expired() || state.first_dirty == 0) continue;
    lines += key.first + " " + std::to_string(key.second) + " " + std::to_string(state.first_dirty) + "\n";
    ++count;
  }
  std::string text = std::string(kCheckpointVersion) + "\n" + std::to_string(count) + "\n" + lines;
  return storage::writeFileAtomically(std::filesystem::path(config_.log_dirs.front()) / kCheckpointFile, text);
}

}  // namespace runnel::broker
