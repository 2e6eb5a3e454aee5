// Idempotent producer state: the sequence rules at append, and the state rebuilt on open
// (from snapshots and from the log, after clean and unclean shutdowns and truncation).

#include "storage/producer_state.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>

#include "storage/file_util.h"
#include "storage/partition_log.h"
#include "storage/test_util.h"

namespace runnel::storage {
namespace {

using testing::makeBatchOf;
using testing::splitBatches;
using testing::TempDir;

int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A batch of `count` records from producer `pid` at `epoch`, first sequence `seq`.
Bytes idempotentBatch(int64_t pid, int16_t epoch, int32_t seq, int count = 2, int64_t timestamp = wallClockMs()) {
  Bytes batch = makeBatchOf(count, 10, timestamp);
  storeBe64(batch.data() + batch_layout::kProducerId, uint64_t(pid));
  storeBe16(batch.data() + batch_layout::kProducerEpoch, uint16_t(epoch));
  storeBe32(batch.data() + batch_layout::kBaseSequence, uint32_t(seq));
  updateBatchCrc(batch.data(), batch.size());
  return batch;
}

std::unique_ptr<PartitionLog> openLog(const std::filesystem::path& dir, const LogConfig& config = {},
                                      RecoveryReport* report = nullptr) {
  auto log = PartitionLog::open(dir, config, report);
  EXPECT_TRUE(log.isOk()) << log.status().toString();
  return log.isOk() ? std::move(log).value() : nullptr;
}

AppendResult append(PartitionLog& log, Bytes batch) {
  auto result = log.append(batch, wallClockMs());
  EXPECT_TRUE(result.isOk()) << result.status().toString();
  return result.isOk() ? *result : AppendResult{};
}

size_t countFiles(const std::filesystem::path& dir, std::string_view suffix) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) n += entry.path().string().ends_with(suffix);
  return n;
}

// A copy of a live log's directory: what a SIGKILL leaves (no close-time snapshot).
void copyDir(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

TEST(ProducerStateTest, LastSequenceWrapsAtInt32Max) {
  EXPECT_EQ(lastSequence(0, 4), 4);
  EXPECT_EQ(lastSequence(INT32_MAX, 0), INT32_MAX);
  EXPECT_EQ(lastSequence(INT32_MAX, 1), 0);
  EXPECT_EQ(lastSequence(INT32_MAX - 1, 3), 1);
}

TEST(ProducerStateTest, InOrderBatchesAreAppended) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 0)).base_offset, 0);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 2)).base_offset, 2);
  EXPECT_EQ(append(*log, idempotentBatch(8, 0, 0)).base_offset, 4);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 4)).base_offset, 6);
  EXPECT_EQ(log->logEndOffset(), 8);
}

TEST(ProducerStateTest, DuplicateOfAnyOfTheLastFiveIsAnsweredWithItsOffsets) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  for (int i = 0; i < 6; ++i) append(*log, idempotentBatch(7, 0, 2 * i));
  int64_t end = log->logEndOffset();
  for (int i = 1; i < 6; ++i) {
    AppendResult again = append(*log, idempotentBatch(7, 0, 2 * i));
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(again.producer_error, ProducerError::kNone);
    EXPECT_EQ(again.base_offset, 2 * i);
    EXPECT_EQ(again.last_offset, 2 * i + 1);
  }
  EXPECT_EQ(log->logEndOffset(), end);  // nothing written twice
  // The sixth-newest batch is forgotten: retrying it is out of order, not a duplicate.
  AppendResult oldest = append(*log, idempotentBatch(7, 0, 0));
  EXPECT_FALSE(oldest.duplicate);
  EXPECT_EQ(oldest.producer_error, ProducerError::kOutOfOrderSequence);
  // Same first sequence but a different length is not the same batch.
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 10, 3)).producer_error, ProducerError::kOutOfOrderSequence);
  EXPECT_EQ(log->logEndOffset(), end);
}

TEST(ProducerStateTest, GapsAndEpochsAreRefused) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  append(*log, idempotentBatch(7, 3, 0));
  AppendResult gap = append(*log, idempotentBatch(7, 3, 5));
  EXPECT_EQ(gap.producer_error, ProducerError::kOutOfOrderSequence);
  EXPECT_NE(gap.error_message.find("Out of order sequence number"), std::string::npos);
  EXPECT_EQ(append(*log, idempotentBatch(7, 2, 2)).producer_error, ProducerError::kInvalidProducerEpoch);
  // A new epoch must start at sequence 0.
  EXPECT_EQ(append(*log, idempotentBatch(7, 4, 2)).producer_error, ProducerError::kOutOfOrderSequence);
  EXPECT_EQ(log->logEndOffset(), 2);
  AppendResult bumped = append(*log, idempotentBatch(7, 4, 0));
  EXPECT_EQ(bumped.producer_error, ProducerError::kNone);
  EXPECT_EQ(bumped.base_offset, 2);
  // The old epoch is fenced now, even for what used to be its next sequence.
  EXPECT_EQ(append(*log, idempotentBatch(7, 3, 2)).producer_error, ProducerError::kInvalidProducerEpoch);
}

TEST(ProducerStateTest, UnknownProducerMayStartAtAnySequence) {
  // Kafka since KIP-360: the partition may have lost the producer's batches to retention.
  TempDir tmp;
  auto log = openLog(tmp.path());
  EXPECT_EQ(append(*log, idempotentBatch(9, 1, 42)).producer_error, ProducerError::kNone);
  EXPECT_EQ(append(*log, idempotentBatch(9, 1, 44)).producer_error, ProducerError::kNone);
  EXPECT_EQ(append(*log, idempotentBatch(9, 1, 47)).producer_error, ProducerError::kOutOfOrderSequence);
}

TEST(ProducerStateTest, SequenceWrapsAroundToZero) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  append(*log, idempotentBatch(5, 0, INT32_MAX - 1, 2));  // INT32_MAX-1, INT32_MAX
  EXPECT_EQ(append(*log, idempotentBatch(5, 0, 0, 3)).producer_error, ProducerError::kNone);
  EXPECT_TRUE(append(*log, idempotentBatch(5, 0, 0, 3)).duplicate);
  // A batch whose sequences wrap inside it: INT32_MAX-1 .. 1.
  append(*log, idempotentBatch(6, 0, INT32_MAX - 1, 4));
  EXPECT_EQ(append(*log, idempotentBatch(6, 0, 2, 1)).producer_error, ProducerError::kNone);
  AppendResult again = append(*log, idempotentBatch(6, 0, INT32_MAX - 1, 4));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.record_count, 4);
}

TEST(ProducerStateTest, SeveralBatchesInOneAppendAreCheckedInOrder) {
  TempDir tmp;
  auto log = openLog(tmp.path());
  append(*log, idempotentBatch(7, 0, 0));
  Bytes two = idempotentBatch(7, 0, 2);
  Bytes gap = idempotentBatch(7, 0, 9);
  two.insert(two.end(), gap.begin(), gap.end());
  EXPECT_EQ(append(*log, two).producer_error, ProducerError::kOutOfOrderSequence);
  EXPECT_EQ(log->logEndOffset(), 2);  // all or nothing
  Bytes in_order = idempotentBatch(7, 0, 2);
  Bytes next = idempotentBatch(7, 0, 4);
  in_order.insert(in_order.end(), next.begin(), next.end());
  EXPECT_EQ(append(*log, in_order).producer_error, ProducerError::kNone);
  EXPECT_TRUE(append(*log, idempotentBatch(7, 0, 4)).duplicate);
}

TEST(ProducerStateTest, StateSurvivesCleanReopenThroughTheSnapshot) {
  TempDir tmp;
  {
    auto log = openLog(tmp.path());
    for (int i = 0; i < 3; ++i) append(*log, idempotentBatch(7, 0, 2 * i));
  }
  EXPECT_EQ(countFiles(tmp.path(), ".snapshot"), 1u);
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / segmentFileName(6, ".snapshot")));
  auto log = openLog(tmp.path());
  AppendResult again = append(*log, idempotentBatch(7, 0, 2));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.base_offset, 2);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 8)).producer_error, ProducerError::kOutOfOrderSequence);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 6)).base_offset, 6);
}

TEST(ProducerStateTest, StateIsRebuiltFromTheLogAfterAKill) {
  TempDir tmp, crashed;
  LogConfig config;
  config.segment_bytes = 300;  // a few batches per segment: rolls write snapshots
  auto log = openLog(tmp.path(), config);
  for (int i = 0; i < 12; ++i) append(*log, idempotentBatch(7, 0, 2 * i));
  EXPECT_GT(log->segmentCount(), 2u);
  EXPECT_EQ(countFiles(tmp.path(), ".snapshot"), 2u);  // the newest two rolls'
  std::filesystem::remove(crashed.path());
  copyDir(tmp.path(), crashed.path());
  auto reopened = openLog(crashed.path(), config);
  for (int i = 7; i < 12; ++i) {
    AppendResult again = append(*reopened, idempotentBatch(7, 0, 2 * i));
    EXPECT_TRUE(again.duplicate) << "batch " << i;
    EXPECT_EQ(again.base_offset, 2 * i);
  }
  EXPECT_EQ(append(*reopened, idempotentBatch(7, 0, 24)).base_offset, 24);
}

TEST(ProducerStateTest, StateIsRebuiltWithoutAnySnapshot) {
  TempDir tmp;
  {
    auto log = openLog(tmp.path());
    for (int i = 0; i < 4; ++i) append(*log, idempotentBatch(7, 1, 2 * i));
  }
  std::filesystem::remove(tmp.path() / segmentFileName(8, ".snapshot"));
  auto log = openLog(tmp.path());
  EXPECT_TRUE(append(*log, idempotentBatch(7, 1, 6)).duplicate);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 8)).producer_error, ProducerError::kInvalidProducerEpoch);
}

TEST(ProducerStateTest, TruncationOnRecoveryForgetsTheLostBatches) {
  TempDir tmp;
  std::filesystem::path segment = tmp.path() / segmentFileName(0, ".log");
  size_t kept_size = 0;
  {
    auto log = openLog(tmp.path());
    append(*log, idempotentBatch(7, 0, 0));
    append(*log, idempotentBatch(7, 0, 2));
    kept_size = std::filesystem::file_size(segment);
    append(*log, idempotentBatch(7, 0, 4));
  }
  // A torn last batch; the close-time snapshot at offset 6 now lies past the log end.
  std::filesystem::resize_file(segment, kept_size + 20);
  RecoveryReport report;
  auto log = openLog(tmp.path(), {}, &report);
  EXPECT_EQ(log->logEndOffset(), 4);
  EXPECT_EQ(countFiles(tmp.path(), ".snapshot"), 0u);
  EXPECT_TRUE(append(*log, idempotentBatch(7, 0, 2)).duplicate);
  AppendResult rewritten = append(*log, idempotentBatch(7, 0, 4));
  EXPECT_FALSE(rewritten.duplicate);
  EXPECT_EQ(rewritten.base_offset, 4);
}

TEST(ProducerStateTest, CorruptSnapshotFallsBackToTheLog) {
  TempDir tmp;
  {
    auto log = openLog(tmp.path());
    for (int i = 0; i < 3; ++i) append(*log, idempotentBatch(7, 0, 2 * i));
  }
  std::filesystem::path snapshot = tmp.path() / segmentFileName(6, ".snapshot");
  std::filesystem::resize_file(snapshot, std::filesystem::file_size(snapshot) - 3);
  RecoveryReport report;
  auto log = openLog(tmp.path(), {}, &report);
  EXPECT_FALSE(std::filesystem::exists(snapshot));
  EXPECT_TRUE(append(*log, idempotentBatch(7, 0, 4)).duplicate);
}

TEST(ProducerStateTest, RetentionKeepsTheStateOfRemovedBatches) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 300;
  config.retention_bytes = 0;
  auto log = openLog(tmp.path(), config);
  for (int i = 0; i < 6; ++i) append(*log, idempotentBatch(7, 0, 2 * i));
  ASSERT_TRUE(log->applyRetention(wallClockMs()).isOk());
  EXPECT_GT(log->logStartOffset(), 0);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 20)).producer_error, ProducerError::kOutOfOrderSequence);
  EXPECT_TRUE(append(*log, idempotentBatch(7, 0, 10)).duplicate);
  log.reset();
  auto reopened = openLog(tmp.path(), config);
  EXPECT_TRUE(append(*reopened, idempotentBatch(7, 0, 10)).duplicate);
}

TEST(ProducerStateTest, ProducersExpireAfterTheirLastBatch) {
  TempDir tmp;
  LogConfig config;
  config.producer_id_expiration_ms = 60000;
  auto log = openLog(tmp.path(), config);
  append(*log, idempotentBatch(7, 0, 0, 2, wallClockMs() - 120000));
  append(*log, idempotentBatch(8, 0, 0, 2, wallClockMs()));
  ASSERT_TRUE(log->applyRetention(wallClockMs()).isOk());
  // Producer 7 is unknown now, so any sequence is accepted; 8 is still checked.
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 30)).producer_error, ProducerError::kNone);
  EXPECT_EQ(append(*log, idempotentBatch(8, 0, 30)).producer_error, ProducerError::kOutOfOrderSequence);
}

TEST(ProducerStateTest, ExpiredProducersAreDroppedOnOpen) {
  TempDir tmp;
  LogConfig config;
  config.producer_id_expiration_ms = 60000;
  {
    auto log = openLog(tmp.path(), config);
    append(*log, idempotentBatch(7, 0, 0, 2, wallClockMs() - 120000));
    append(*log, idempotentBatch(8, 0, 0, 2, wallClockMs()));
  }
  auto log = openLog(tmp.path(), config);
  EXPECT_EQ(append(*log, idempotentBatch(7, 0, 30)).producer_error, ProducerError::kNone);
  EXPECT_EQ(append(*log, idempotentBatch(8, 0, 30)).producer_error, ProducerError::kOutOfOrderSequence);
}

}  // namespace
}  // namespace runnel::storage
