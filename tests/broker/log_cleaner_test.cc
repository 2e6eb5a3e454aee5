// Log compaction against real partition logs on disk: compactLog over a log, and the
// LogCleaner's choice of partitions, dirty ratio and checkpoint over a TopicManager.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "broker/log_cleaner.h"
#include "broker/log_compactor.h"
#include "broker/topic_manager.h"
#include "protocol/record_batch.h"

namespace runnel::broker {
namespace {

namespace fs = std::filesystem;
using protocol::Compression;

constexpr int64_t kNow = 1700000000000;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("runnel-cleaner-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Rec {
  int64_t offset;
  std::string key;
  std::optional<std::string> value;
  bool operator==(const Rec&) const = default;
};

ByteSpan span(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

Bytes batchOf(const std::vector<std::pair<std::string, std::optional<std::string>>>& records, int64_t timestamp,
              Compression compression = Compression::kNone, int64_t producer_id = -1, int32_t sequence = 0) {
  protocol::RecordBatchBuilder builder(compression);
  if (producer_id >= 0) {
    builder.setProducerId(producer_id);
    builder.setProducerEpoch(0);
    builder.setBaseSequence(sequence);
  }
  for (const auto& [key, value] : records) {
    builder.add(timestamp, span(key), value ? std::optional(span(*value)) : std::nullopt);
  }
  return builder.build();
}

void append(storage::PartitionLog& log, Bytes batch) { ASSERT_TRUE(log.append(batch, kNow).isOk()); }

// Every record from the log start, and the headers of the batches holding them.
std::vector<Rec> readAll(storage::PartitionLog& log, std::vector<storage::BatchHeader>* headers = nullptr) {
  std::vector<Rec> out;
  int64_t offset = log.logStartOffset();
  while (offset < log.logEndOffset()) {
    Bytes data;
    EXPECT_TRUE(log.read(offset, 1 << 20, data).isOk());
    if (data.empty()) break;
    EXPECT_TRUE(protocol::forEachBatch(data, [&](const storage::BatchHeader& h, ByteSpan) {
                  offset = h.nextOffset();
                  if (headers) headers->push_back(h);
                  return Status::ok();
                }).isOk());
    EXPECT_TRUE(protocol::forEachRecord(data, [&](const storage::BatchHeader&, const protocol::RecordView& r) {
                  auto text = [](ByteSpan b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); };
                  out.push_back({r.offset, text(*r.key), r.value ? std::optional(text(*r.value)) : std::nullopt});
                  return Status::ok();
                }).isOk());
  }
  return out;
}

std::unique_ptr<storage::PartitionLog> openLog(const fs::path& dir, int64_t segment_bytes = 1024) {
  storage::LogConfig config;
  config.segment_bytes = segment_bytes;
  auto log = storage::PartitionLog::open(dir, config);
  EXPECT_TRUE(log.isOk());
  return std::move(log).value();
}

CompactionResult compact(storage::PartitionLog& log, const CompactionConfig& config, int64_t now_ms,
                         int64_t first_dirty = 0) {
  CleanableRange range = cleanableRange(log.segmentInfos(), first_dirty, config, now_ms);
  auto result = compactLog(log, range, config, now_ms);
  EXPECT_TRUE(result.isOk()) << result.status().toString();
  return result.isOk() ? *result : CompactionResult{};
}

int64_t activeBase(storage::PartitionLog& log) { return log.segmentInfos().back().base_offset; }

TEST(LogCompactorTest, ManyUpdatesPerKeyLeaveTheLatestWithItsOriginalOffset) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  for (int update = 0; update < 25; ++update) {
    for (int key = 0; key < 20; ++key) {
      append(*log, batchOf({{"key" + std::to_string(key), "value-" + std::to_string(update)}}, kNow));
    }
  }
  ASSERT_GT(log->segmentCount(), 10u);
  std::vector<Rec> before = readAll(*log);
  int64_t active = activeBase(*log);
  // Expected: below the active segment the last record of each key; the active segment as is.
  std::map<std::string, int64_t> latest;
  for (const Rec& r : before) {
    if (r.offset < active) latest[r.key] = r.offset;
  }
  std::vector<Rec> expected;
  for (const Rec& r : before) {
    if (r.offset >= active || latest[r.key] == r.offset) expected.push_back(r);
  }
  size_t segments_before = log->segmentCount();
  CompactionResult result = compact(*log, CompactionConfig{}, kNow);
  EXPECT_EQ(result.cleaned_up_to, active);
  EXPECT_EQ(result.records_removed, int64_t(before.size() - expected.size()));
  EXPECT_EQ(readAll(*log), expected);
  EXPECT_LT(log->segmentCount(), segments_before);  // the shrunken segments were merged
  EXPECT_EQ(activeBase(*log), active);
  EXPECT_EQ(log->logEndOffset(), 500);

  // A second pass with nothing dirty changes nothing; the log survives a reopen.
  compact(*log, CompactionConfig{}, kNow, result.cleaned_up_to);
  EXPECT_EQ(readAll(*log), expected);
  log.reset();
  log = openLog(tmp.path());
  EXPECT_EQ(readAll(*log), expected);
}

TEST(LogCompactorTest, TombstonesGoOnlyDeleteRetentionAfterTheirFirstCleaning) {
  TempDir tmp;
  auto log = openLog(tmp.path(), 200);
  append(*log, batchOf({{"a", "1"}, {"b", "1"}}, kNow));
  append(*log, batchOf({{"a", "2"}}, kNow));
  append(*log, batchOf({{"a", std::nullopt}}, kNow));  // tombstone
  append(*log, batchOf({{"c", "1"}}, kNow));           // rolls: the tombstone's segment is closed
  append(*log, batchOf({{"c", "2"}}, kNow));
  ASSERT_GE(activeBase(*log), 3);
  CompactionConfig config;
  config.delete_retention_ms = 1000;

  CompactionResult first = compact(*log, config, kNow);
  EXPECT_EQ(first.tombstone_expiry_ms, kNow + 1000);
  std::vector<Rec> kept = readAll(*log);
  std::vector<Rec> with_tombstone = {{1, "b", "1"}, {3, "a", std::nullopt}};
  ASSERT_GE(kept.size(), 2u);
  EXPECT_EQ(std::vector<Rec>(kept.begin(), kept.begin() + 2), with_tombstone);

  compact(*log, config, kNow + 999, first.cleaned_up_to);
  kept = readAll(*log);
  ASSERT_GE(kept.size(), 2u);
  EXPECT_EQ(std::vector<Rec>(kept.begin(), kept.begin() + 2), with_tombstone);

  CompactionResult last = compact(*log, config, kNow + 1001, first.cleaned_up_to);
  EXPECT_EQ(last.tombstone_expiry_ms, INT64_MAX);
  std::vector<Rec> after = readAll(*log);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.front(), (Rec{1, "b", "1"}));
  for (const Rec& r : after) EXPECT_NE(r.key, "a");
}

TEST(LogCompactorTest, MinCompactionLagKeepsYoungSegmentsDirty) {
  TempDir tmp;
  auto log = openLog(tmp.path(), 100);
  for (int i = 0; i < 10; ++i) append(*log, batchOf({{"k", std::to_string(i)}}, kNow));
  CompactionConfig config;
  config.min_compaction_lag_ms = 60000;
  CleanableRange young = cleanableRange(log->segmentInfos(), 0, config, kNow + 1000);
  EXPECT_EQ(young.first_uncleanable, 0);
  EXPECT_EQ(young.dirty_bytes, 0u);
  compact(*log, config, kNow + 1000);
  EXPECT_EQ(readAll(*log).size(), 10u);

  CleanableRange old = cleanableRange(log->segmentInfos(), 0, config, kNow + 60001);
  EXPECT_EQ(old.first_uncleanable, activeBase(*log));
  EXPECT_DOUBLE_EQ(old.dirtyRatio(), 1.0);
  compact(*log, config, kNow + 60001);
  std::vector<Rec> after = readAll(*log);
  EXPECT_EQ(after.front().value, "8");  // the latest below the active segment, which holds "9"
  EXPECT_EQ(after.size(), 2u);
}

TEST(LogCompactorTest, CompressedBatchesKeepCodecBaseAndLastOffset) {
  TempDir tmp;
  auto log = openLog(tmp.path(), 300);
  append(*log, batchOf({{"k0", "a"}, {"k1", "a"}, {"k2", "a"}, {"k3", "a"}, {"k4", "a"}}, kNow, Compression::kLz4));
  append(*log, batchOf({{"k0", "b"}, {"k4", "b"}}, kNow, Compression::kZstd));
  append(*log, batchOf({{"filler", std::string(400, 'x')}}, kNow));
  ASSERT_EQ(activeBase(*log), 7);
  compact(*log, CompactionConfig{}, kNow);
  std::vector<storage::BatchHeader> headers;
  std::vector<Rec> records = readAll(*log, &headers);
  std::vector<Rec> expected = {{1, "k1", "a"}, {2, "k2", "a"}, {3, "k3", "a"}, {5, "k0", "b"}, {6, "k4", "b"},
                               {7, "filler", std::string(400, 'x')}};
  EXPECT_EQ(records, expected);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[0].compression(), int(Compression::kLz4));
  EXPECT_EQ(headers[0].base_offset, 0);
  EXPECT_EQ(headers[0].lastOffset(), 4);  // kept, so offsets after it stay unique
  EXPECT_EQ(headers[0].record_count, 3);
  EXPECT_EQ(headers[1].compression(), int(Compression::kZstd));
  EXPECT_EQ(headers[1].record_count, 2);  // untouched
}

TEST(LogCompactorTest, AProducersLastBatchStaysEmptyOthersGo) {
  TempDir tmp;
  auto log = openLog(tmp.path(), 300);
  append(*log, batchOf({{"k", "p1"}}, kNow, Compression::kNone, 7));
  append(*log, batchOf({{"k", "p2"}}, kNow, Compression::kNone, 7, 1));
  append(*log, batchOf({{"k", "plain"}}, kNow));
  append(*log, batchOf({{"filler", std::string(400, 'x')}}, kNow));
  compact(*log, CompactionConfig{}, kNow);
  std::vector<storage::BatchHeader> headers;
  std::vector<Rec> records = readAll(*log, &headers);
  EXPECT_EQ(records.front(), (Rec{2, "k", "plain"}));
  ASSERT_GE(headers.size(), 2u);
  EXPECT_EQ(headers[0].base_offset, 1);  // producer 7's last batch, emptied
  EXPECT_EQ(headers[0].record_count, 0);
  EXPECT_EQ(headers[0].producer_id, 7);
  EXPECT_EQ(headers[1].base_offset, 2);
}

BrokerConfig brokerIn(const fs::path& dir) {
  BrokerConfig config;
  config.log_dirs = {dir.string()};
  config.log_cleaner_enable = false;  // the test drives cleanOnce itself
  return config;
}

TEST(LogCleanerTest, PicksDirtyCompactedPartitionsAndCheckpointsProgress) {
  TempDir tmp;
  BrokerConfig broker = brokerIn(tmp.path());
  auto topics = TopicManager::open(broker);
  ASSERT_TRUE(topics.isOk());
  auto compacted = TopicConfig::make({{"cleanup.policy", "compact"}, {"segment.bytes", "1024"}});
  ASSERT_TRUE((*topics)->create("compacted", 1, *compacted).isOk());
  ASSERT_TRUE((*topics)->create("plain", 1, *TopicConfig::make({{"segment.bytes", "1024"}})).isOk());
  for (const char* name : {"compacted", "plain"}) {
    auto& log = *(*topics)->partition(name, 0)->log;
    for (int i = 0; i < 200; ++i) append(log, batchOf({{"k" + std::to_string(i % 5), std::to_string(i)}}, kNow));
  }
  auto& log = *(*topics)->partition("compacted", 0)->log;
  int64_t active = activeBase(log);
  {
    LogCleaner cleaner(**topics, broker);
    ASSERT_TRUE(cleaner.start().isOk());
    EXPECT_EQ(cleaner.checkpointedOffset("compacted", 0), -1);
    ASSERT_TRUE(cleaner.cleanOnce(kNow).value());
    EXPECT_EQ(cleaner.checkpointedOffset("compacted", 0), active);
    EXPECT_FALSE(cleaner.cleanOnce(kNow).value());  // nothing dirty; "plain" is not compacted
    EXPECT_EQ(readAll(*(*topics)->partition("plain", 0)->log).size(), 200u);
  }
  EXPECT_TRUE(fs::exists(tmp.path() / LogCleaner::kCheckpointFile));

  // After a restart the checkpoint says what is clean. A little new dirty data stays below
  // min.cleanable.dirty.ratio (0.5) until there is as much dirty as clean.
  LogCleaner restarted(**topics, broker);
  ASSERT_TRUE(restarted.start().isOk());
  EXPECT_EQ(restarted.checkpointedOffset("compacted", 0), active);
  for (int i = 0; i < 30; ++i) append(log, batchOf({{"k" + std::to_string(i % 5), "new"}}, kNow));
  CompactionConfig defaults;
  CleanableRange range = cleanableRange(log.segmentInfos(), active, defaults, kNow);
  if (range.dirtyRatio() < 0.5) {
    EXPECT_FALSE(restarted.cleanOnce(kNow).value());
  }
  for (int i = 0; i < 200; ++i) append(log, batchOf({{"k" + std::to_string(i % 5), "newer"}}, kNow));
  ASSERT_TRUE(restarted.cleanOnce(kNow).value());
  EXPECT_EQ(restarted.checkpointedOffset("compacted", 0), activeBase(log));
}

}  // namespace
}  // namespace runnel::broker
