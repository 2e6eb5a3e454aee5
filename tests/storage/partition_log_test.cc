#include "storage/partition_log.h"

#include <gtest/gtest.h>

#include "storage/test_util.h"

namespace runnel::storage {
namespace {

using testing::makeBatch;
using testing::makeBatchOf;
using testing::splitBatches;
using testing::TempDir;

std::unique_ptr<PartitionLog> openLog(const std::filesystem::path& dir, const LogConfig& config = {},
                                      RecoveryReport* report = nullptr) {
  auto log = PartitionLog::open(dir, config, report);
  EXPECT_TRUE(log.isOk()) << log.status().toString();
  return log.isOk() ? std::move(log).value() : nullptr;
}

AppendResult appendOk(PartitionLog& log, Bytes batch, int64_t now_ms = 1000) {
  auto result = log.append(batch, now_ms);
  EXPECT_TRUE(result.isOk()) << result.status().toString();
  return result.isOk() ? *result : AppendResult{};
}

size_t countFiles(const std::filesystem::path& dir, std::string_view suffix) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().ends_with(suffix)) ++n;
  }
  return n;
}

TEST(PartitionLogTest, AppendAssignsOffsets) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  EXPECT_EQ(log->logStartOffset(), 0);
  EXPECT_EQ(log->logEndOffset(), 0);
  AppendResult a = appendOk(*log, makeBatch({"a", "b", "c"}, 100));
  EXPECT_EQ(a.base_offset, 0);
  EXPECT_EQ(a.last_offset, 2);
  EXPECT_EQ(a.record_count, 3);
  EXPECT_EQ(a.log_append_time, -1);
  AppendResult b = appendOk(*log, makeBatch({"d"}, 101));
  EXPECT_EQ(b.base_offset, 3);
  EXPECT_EQ(b.last_offset, 3);
  EXPECT_EQ(log->logEndOffset(), 4);
}

TEST(PartitionLogTest, AppendOfSeveralBatchesAtOnce) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  Bytes both = makeBatch({"a", "b"}, 100);
  Bytes second = makeBatch({"c", "d", "e"}, 100);
  both.insert(both.end(), second.begin(), second.end());
  AppendResult r = appendOk(*log, both);
  EXPECT_EQ(r.base_offset, 0);
  EXPECT_EQ(r.last_offset, 4);
  EXPECT_EQ(r.record_count, 5);
  Bytes out;
  ASSERT_TRUE(log->read(3, 1 << 20, out).isOk());
  auto batches = splitBatches(out);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].base_offset, 2);
}

TEST(PartitionLogTest, ReadReturnsTheAppendedBytes) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  Bytes first = makeBatch({"hello", "world"}, 5);
  Bytes second = makeBatch({"again"}, 6);
  appendOk(*log, first);
  appendOk(*log, second);
  storeBe64(second.data(), 2);  // the offset the log assigned
  Bytes expected = first;
  expected.insert(expected.end(), second.begin(), second.end());
  Bytes out;
  ASSERT_TRUE(log->read(0, 1 << 20, out).isOk());
  EXPECT_EQ(out, expected);
  ASSERT_TRUE(batchCrcMatches(ByteSpan(out).first(first.size())));
}

TEST(PartitionLogTest, ReadFromMidBatchReturnsTheContainingBatch) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  appendOk(*log, makeBatch({"a", "b", "c"}, 1));
  appendOk(*log, makeBatch({"d", "e", "f"}, 1));
  Bytes out;
  ASSERT_TRUE(log->read(4, 1 << 20, out).isOk());
  auto batches = splitBatches(out);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].base_offset, 3);
  EXPECT_EQ(batches[0].last_offset, 5);
}

TEST(PartitionLogTest, MaxBytesStillReturnsOneWholeBatch) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  for (int i = 0; i < 5; ++i) appendOk(*log, makeBatchOf(4, 100, 1));
  Bytes out;
  ASSERT_TRUE(log->read(0, 10, out).isOk());
  auto batches = splitBatches(out);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(out.size(), batches[0].size);
  size_t one = batches[0].size;
  out.clear();
  ASSERT_TRUE(log->read(0, one * 2 + one / 2, out).isOk());
  EXPECT_EQ(splitBatches(out).size(), 2u);
  EXPECT_EQ(out.size(), one * 2);
}

TEST(PartitionLogTest, ReadAppendsToExistingBuffer) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  appendOk(*log, makeBatch({"a"}, 1));
  Bytes out = {1, 2, 3};
  ASSERT_TRUE(log->read(0, 1 << 20, out).isOk());
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(splitBatches(ByteSpan(out).subspan(3)).size(), 1u);
}

TEST(PartitionLogTest, OutOfRange) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  appendOk(*log, makeBatch({"a", "b"}, 1));
  Bytes out;
  EXPECT_EQ(log->read(3, 100, out).code(), Status::Code::kOutOfRange);
  EXPECT_EQ(log->read(-1, 100, out).code(), Status::Code::kOutOfRange);
  EXPECT_TRUE(log->read(2, 100, out).isOk());  // the log end reads nothing
  EXPECT_TRUE(out.empty());
}

TEST(PartitionLogTest, MaxOffsetLimitsTheRead) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  appendOk(*log, makeBatch({"a", "b"}, 1));
  appendOk(*log, makeBatch({"c", "d"}, 1));
  Bytes out;
  ASSERT_TRUE(log->read(0, 1 << 20, out, 2).isOk());
  auto batches = splitBatches(out);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].last_offset, 1);
  out.clear();
  ASSERT_TRUE(log->read(2, 1 << 20, out, 2).isOk());
  EXPECT_TRUE(out.empty());
}

TEST(PartitionLogTest, RejectsInvalidBatchesWithoutWriting) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  Bytes good = makeBatch({"a"}, 1);
  Bytes bad_crc = makeBatch({"b"}, 1);
  bad_crc.back() ^= 0xff;
  Bytes both = good;
  both.insert(both.end(), bad_crc.begin(), bad_crc.end());
  EXPECT_FALSE(log->append(both, 1).isOk());
  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_FALSE(log->append(truncated, 1).isOk());
  Bytes bad_magic = good;
  bad_magic[batch_layout::kMagic] = 1;
  EXPECT_FALSE(log->append(bad_magic, 1).isOk());
  Bytes empty;
  EXPECT_FALSE(log->append(empty, 1).isOk());
  EXPECT_EQ(log->logEndOffset(), 0);
  EXPECT_EQ(log->sizeBytes(), 0u);
}

TEST(PartitionLogTest, LogAppendTimeRewritesTheHeader) {
  TempDir tmp;
  LogConfig config;
  config.log_append_time = true;
  auto log = openLog(tmp.path(), config);
  AppendResult r = appendOk(*log, makeBatch({"a", "b"}, 5), 777);
  EXPECT_EQ(r.log_append_time, 777);
  Bytes out;
  ASSERT_TRUE(log->read(0, 1 << 20, out).isOk());
  auto h = parseBatchHeader(out);
  ASSERT_TRUE(h.isOk());
  EXPECT_EQ(h->max_timestamp, 777);
  EXPECT_TRUE(h->attributes & kTimestampTypeLogAppend);
  EXPECT_TRUE(batchCrcMatches(out));
  auto found = log->offsetForTimestamp(700);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->offset, 0);
  EXPECT_EQ((*found)->timestamp, 777);
}

TEST(PartitionLogTest, RollsBySize) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 2000;
  auto log = openLog(tmp.path(), config);
  size_t one = makeBatchOf(5, 100, 1).size();
  for (int i = 0; i < 10; ++i) appendOk(*log, makeBatchOf(5, 100, 1));
  size_t per_segment = 2000 / one;
  EXPECT_EQ(log->segmentCount(), (10 + per_segment - 1) / per_segment);
  EXPECT_EQ(countFiles(tmp.path(), ".log"), log->segmentCount());
  EXPECT_EQ(countFiles(tmp.path(), ".index"), log->segmentCount());
  EXPECT_EQ(countFiles(tmp.path(), ".timeindex"), log->segmentCount());
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "00000000000000000000.log"));
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / ("000000000000000000" + std::to_string(per_segment * 5) + ".log")));
  for (int64_t offset = 0; offset < 50; ++offset) {
    Bytes out;
    ASSERT_TRUE(log->read(offset, 1, out).isOk());
    auto batches = splitBatches(out);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].base_offset, offset / 5 * 5);
  }
}

TEST(PartitionLogTest, RollsByTime) {
  TempDir tmp;
  LogConfig config;
  config.segment_ms = 1000;
  auto log = openLog(tmp.path(), config);
  appendOk(*log, makeBatch({"a"}, 1), 10'000);
  appendOk(*log, makeBatch({"b"}, 1), 10'500);
  EXPECT_EQ(log->segmentCount(), 1u);
  appendOk(*log, makeBatch({"c"}, 1), 11'001);
  EXPECT_EQ(log->segmentCount(), 2u);
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "00000000000000000002.log"));
}

TEST(PartitionLogTest, RollsWhenTheIndexIsFull) {
  TempDir tmp;
  LogConfig config;
  config.index_interval_bytes = 1;
  config.segment_index_bytes = 4 * 12;  // a few entries
  auto log = openLog(tmp.path(), config);
  for (int i = 0; i < 20; ++i) appendOk(*log, makeBatch({"x"}, i));
  EXPECT_GT(log->segmentCount(), 3u);
}

TEST(PartitionLogTest, IndexLookupsAcrossManySegments) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 16 * 1024;
  config.index_interval_bytes = 512;
  auto log = openLog(tmp.path(), config);
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int i = 0; i < 400; ++i) {
    AppendResult r = appendOk(*log, makeBatchOf(1 + i % 7, 20 + i % 50, i));
    ranges.emplace_back(r.base_offset, r.last_offset);
  }
  EXPECT_GT(log->segmentCount(), 5u);
  size_t next_batch = 0;
  for (int64_t offset = 0; offset < log->logEndOffset(); ++offset) {
    while (ranges[next_batch].second < offset) ++next_batch;
    Bytes out;
    ASSERT_TRUE(log->read(offset, 1, out).isOk());
    auto batches = splitBatches(out);
    ASSERT_EQ(batches.size(), 1u) << offset;
    EXPECT_EQ(batches[0].base_offset, ranges[next_batch].first) << offset;
  }
  // Reopened: sealed segments use their loaded indexes.
  log.reset();
  RecoveryReport report;
  log = openLog(tmp.path(), config, &report);
  EXPECT_EQ(report.truncated_bytes, 0);
  EXPECT_EQ(report.indexes_rebuilt, 0);
  next_batch = 0;
  for (int64_t offset = 0; offset < log->logEndOffset(); offset += 3) {
    while (ranges[next_batch].second < offset) ++next_batch;
    Bytes out;
    ASSERT_TRUE(log->read(offset, 1, out).isOk());
    auto batches = splitBatches(out);
    ASSERT_EQ(batches.size(), 1u) << offset;
    EXPECT_EQ(batches[0].base_offset, ranges[next_batch].first) << offset;
  }
}

TEST(PartitionLogTest, OffsetForTimestamp) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 2048;
  config.index_interval_bytes = 256;
  auto log = openLog(tmp.path(), config);
  // Record i has timestamp 1000 + 10 * i; batches of 4.
  for (int b = 0; b < 100; ++b) {
    std::vector<int64_t> ts;
    for (int i = 0; i < 4; ++i) ts.push_back(1000 + 10 * (b * 4 + i));
    appendOk(*log, makeBatch({"a", "b", "c", "d"}, ts[0], ts));
  }
  EXPECT_GT(log->segmentCount(), 3u);
  for (int64_t target : {0, 1000, 1001, 1010, 1555, 2000, 4990}) {
    auto found = log->offsetForTimestamp(target);
    ASSERT_TRUE(found.isOk());
    ASSERT_TRUE(found->has_value()) << target;
    int64_t expected = target <= 1000 ? 0 : (target - 1000 + 9) / 10;
    EXPECT_EQ((*found)->offset, expected) << target;
    EXPECT_EQ((*found)->timestamp, 1000 + 10 * expected);
  }
  auto none = log->offsetForTimestamp(5000);
  ASSERT_TRUE(none.isOk());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(log->maxTimestamp(), 4990);
  // Out-of-order timestamps inside a batch: the first record at or after wins.
  appendOk(*log, makeBatch({"x", "y", "z"}, 9000, {9000, 9500, 9200}));
  auto late = log->offsetForTimestamp(9100);
  ASSERT_TRUE(late.isOk() && late->has_value());
  EXPECT_EQ((*late)->offset, 401);
}

TEST(PartitionLogTest, RetentionByTime) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 1000;
  config.retention_ms = 10'000;
  auto log = openLog(tmp.path(), config);
  for (int i = 0; i < 10; ++i) appendOk(*log, makeBatchOf(5, 100, 1000 * i), 1000 * i);
  size_t segments = log->segmentCount();
  ASSERT_GT(segments, 3u);
  ASSERT_TRUE(log->applyRetention(10'000).isOk());  // the oldest is exactly retention_ms old
  EXPECT_EQ(log->segmentCount(), segments);
  ASSERT_TRUE(log->applyRetention(14'500).isOk());  // batches stamped <= 4000 expire
  EXPECT_EQ(log->segmentCount(), segments - 5);
  EXPECT_EQ(log->logStartOffset(), 25);
  Bytes out;
  EXPECT_EQ(log->read(0, 100, out).code(), Status::Code::kOutOfRange);
  ASSERT_TRUE(log->read(log->logStartOffset(), 100, out).isOk());
  EXPECT_FALSE(out.empty());
  // Everything expired: the active segment is rolled and deleted too.
  ASSERT_TRUE(log->applyRetention(100'000).isOk());
  EXPECT_EQ(log->segmentCount(), 1u);
  EXPECT_EQ(log->logStartOffset(), 50);
  EXPECT_EQ(log->logEndOffset(), 50);
  EXPECT_EQ(log->sizeBytes(), 0u);
  EXPECT_EQ(appendOk(*log, makeBatch({"a"}, 1)).base_offset, 50);
}

TEST(PartitionLogTest, RetentionByBytes) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 1000;
  config.retention_ms = -1;
  auto log = openLog(tmp.path(), config);
  for (int i = 0; i < 20; ++i) appendOk(*log, makeBatchOf(5, 100, 1));
  uint64_t before = log->sizeBytes();
  config.retention_bytes = 3000;
  log->updateConfig(config);
  ASSERT_TRUE(log->applyRetention(1'000'000'000).isOk());
  EXPECT_LT(log->sizeBytes(), before);
  EXPECT_GE(log->sizeBytes(), 3000u);
  EXPECT_GT(log->logStartOffset(), 0);
  // Without delete in cleanup.policy nothing goes.
  config.retention_bytes = 0;
  config.delete_retention = false;
  log->updateConfig(config);
  uint64_t kept = log->sizeBytes();
  ASSERT_TRUE(log->applyRetention(1'000'000'000).isOk());
  EXPECT_EQ(log->sizeBytes(), kept);
}

TEST(PartitionLogTest, DeleteRecordsBeforeIsPersisted) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 1000;
  {
    auto log = openLog(tmp.path(), config);
    for (int i = 0; i < 10; ++i) appendOk(*log, makeBatchOf(5, 100, 1));
    size_t segments = log->segmentCount();
    EXPECT_EQ(log->deleteRecordsBefore(51).code(), Status::Code::kOutOfRange);
    ASSERT_TRUE(log->deleteRecordsBefore(17).isOk());
    EXPECT_EQ(log->logStartOffset(), 17);
    EXPECT_LT(log->segmentCount(), segments);
    Bytes out;
    EXPECT_EQ(log->read(16, 100, out).code(), Status::Code::kOutOfRange);
    ASSERT_TRUE(log->read(17, 1, out).isOk());
    EXPECT_EQ(splitBatches(out).at(0).base_offset, 15);
    ASSERT_TRUE(log->deleteRecordsBefore(3).isOk());  // never moves back
    EXPECT_EQ(log->logStartOffset(), 17);
  }
  auto log = openLog(tmp.path(), config);
  EXPECT_EQ(log->logStartOffset(), 17);
  EXPECT_EQ(log->logEndOffset(), 50);
  auto found = log->offsetForTimestamp(0);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->offset, 17);
}

TEST(PartitionLogTest, ReopenPreservesEverything) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 3000;
  config.index_interval_bytes = 300;
  Bytes all;
  {
    auto log = openLog(tmp.path(), config);
    for (int i = 0; i < 30; ++i) appendOk(*log, makeBatchOf(3, 50 + i, 100 + i));
    ASSERT_TRUE(log->read(0, 1 << 20, all).isOk());
    ASSERT_TRUE(log->deleteRecordsBefore(0).isOk());
  }
  RecoveryReport report;
  auto log = openLog(tmp.path(), config, &report);
  EXPECT_EQ(report.truncated_bytes, 0);
  EXPECT_TRUE(report.messages.empty()) << report.messages.front();
  EXPECT_EQ(log->logStartOffset(), 0);
  EXPECT_EQ(log->logEndOffset(), 90);
  EXPECT_EQ(log->maxTimestamp(), 129);
  Bytes again;
  int64_t offset = 0;
  while (offset < log->logEndOffset()) {
    size_t before = again.size();
    ASSERT_TRUE(log->read(offset, 1 << 20, again).isOk());
    auto batches = splitBatches(ByteSpan(again).subspan(before));
    ASSERT_FALSE(batches.empty());
    offset = batches.back().last_offset + 1;
  }
  EXPECT_EQ(again.size(), log->sizeBytes());
  EXPECT_EQ(Bytes(again.begin(), again.begin() + ptrdiff_t(all.size())), all);
  EXPECT_EQ(appendOk(*log, makeBatch({"z"}, 1)).base_offset, 90);
}

TEST(PartitionLogTest, FlushPolicies) {
  TempDir tmp;
  LogConfig config;
  config.flush_messages = 3;
  auto log = openLog(tmp.path(), config);
  for (int i = 0; i < 10; ++i) appendOk(*log, makeBatch({"a", "b"}, 1));
  ASSERT_TRUE(log->flush().isOk());
  config.flush_messages = INT64_MAX;
  config.flush_ms = 100;
  log->updateConfig(config);
  appendOk(*log, makeBatch({"a"}, 1), 1000);
  EXPECT_TRUE(log->maybeFlush(1050).isOk());
  EXPECT_TRUE(log->maybeFlush(1200).isOk());
}

TEST(PartitionLogTest, DeleteAllRemovesTheDirectory) {
  TempDir tmp;
  auto dir = tmp.path() / "topic-0";
  auto log = openLog(dir);
  appendOk(*log, makeBatch({"a"}, 1));
  ASSERT_TRUE(log->deleteAll().isOk());
  EXPECT_FALSE(std::filesystem::exists(dir));
  Bytes another = makeBatch({"b"}, 1);
  EXPECT_FALSE(log->append(another, 1).isOk());
  log.reset();  // the destructor does not recreate anything
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace runnel::storage
