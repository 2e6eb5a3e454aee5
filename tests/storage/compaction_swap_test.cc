// Segment replacement for log compaction (PartitionLog::replaceSegments) and the recovery of
// a swap interrupted at each step: the log opens either wholly before or wholly after it.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "storage/cleaned_segment.h"
#include "storage/file_util.h"
#include "storage/partition_log.h"
#include "test_util.h"

namespace runnel::storage {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

LogConfig rollEveryAppend() {
  LogConfig config;
  config.segment_bytes = 1;  // every append after the first rolls
  return config;
}

// Seven one-batch segments of three records: [0-2] [3-5] ... [18-20], the last active.
std::unique_ptr<PartitionLog> sevenSegments(const fs::path& dir) {
  auto log = PartitionLog::open(dir, rollEveryAppend());
  EXPECT_TRUE(log.isOk());
  for (int i = 0; i < 7; ++i) {
    Bytes batch = testing::makeBatch({"a" + std::to_string(i), "b", "c"}, 1000 + i);
    EXPECT_TRUE((*log)->append(batch, 2000).isOk());
  }
  EXPECT_EQ((*log)->segmentCount(), 7u);
  return std::move(log).value();
}

Bytes readAt(PartitionLog& log, int64_t offset) {
  Bytes out;
  EXPECT_TRUE(log.read(offset, 1 << 20, out).isOk());
  return out;
}

// Replaces segments 0 and 3 with one segment at base 0 holding only the batch [3-5].
Status replaceFirstTwo(PartitionLog& log, int64_t mtime_ms) {
  Bytes kept = readAt(log, 3);
  kept.resize(testing::splitBatches(kept).front().size);
  auto cleaned = log.startCleanedSegment(0);
  if (!cleaned.isOk()) return cleaned.status();
  RUNNEL_RETURN_IF_ERROR((*cleaned)->append(kept));
  int64_t bases[] = {0, 3};
  return log.replaceSegments(std::move(cleaned).value(), bases, mtime_ms);
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files[entry.path().filename().string()] = readSmallFile(entry.path()).value();
  }
  return files;
}

void restore(const fs::path& dir, const std::map<std::string, std::string>& files) {
  for (const auto& [name, content] : files) ASSERT_TRUE(writeFileAtomically(dir / name, content).isOk());
}

void expectReplaced(PartitionLog& log) {
  auto segments = log.segmentInfos();
  ASSERT_EQ(segments.size(), 6u);
  EXPECT_EQ(segments[0].base_offset, 0);
  EXPECT_EQ(segments[0].next_offset, 6);
  EXPECT_EQ(segments[1].base_offset, 6);
  // Offsets 0-2 are gone; a read there is served from the kept batch at 3.
  auto batches = testing::splitBatches(readAt(log, 0));
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches.front().base_offset, 3);
  EXPECT_EQ(log.logEndOffset(), 21);
}

void expectOriginal(PartitionLog& log) {
  auto segments = log.segmentInfos();
  ASSERT_EQ(segments.size(), 7u);
  EXPECT_EQ(testing::splitBatches(readAt(log, 0)).front().base_offset, 0);
  EXPECT_EQ(testing::splitBatches(readAt(log, 3)).front().base_offset, 3);
}

bool hasFileEndingWith(const fs::path& dir, const std::string& suffix) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().ends_with(suffix)) return true;
  }
  return false;
}

TEST(CompactionSwapTest, ReplaceSegmentsSwapsInTheCleanedSegment) {
  TempDir tmp;
  auto log = sevenSegments(tmp.path());
  Bytes held_by_reader = readAt(*log, 0);  // a reader's copy stays valid: descriptors live on
  ASSERT_TRUE(replaceFirstTwo(*log, 1234567000).isOk());
  expectReplaced(*log);
  EXPECT_EQ(log->segmentInfos()[0].last_modified_ms, 1234567000);
  for (const char* suffix : {".cleaned", ".swap", ".deleted"}) EXPECT_FALSE(hasFileEndingWith(tmp.path(), suffix));
  EXPECT_EQ(testing::splitBatches(held_by_reader).front().base_offset, 0);
  // Appends go on into the active segment.
  Bytes more = testing::makeBatch({"x"}, 5000);
  ASSERT_TRUE(log->append(more, 6000).isOk());
  log.reset();
  auto reopened = PartitionLog::open(tmp.path(), rollEveryAppend());
  ASSERT_TRUE(reopened.isOk());
  auto segments = (*reopened)->segmentInfos();
  EXPECT_EQ(segments.size(), 7u);
  EXPECT_EQ(segments[0].next_offset, 6);
  EXPECT_EQ((*reopened)->logEndOffset(), 22);
}

TEST(CompactionSwapTest, ReplacementOfSegmentsRetentionRemovedIsRefused) {
  TempDir tmp;
  auto log = sevenSegments(tmp.path());
  ASSERT_TRUE(log->deleteRecordsBefore(3).isOk());  // removes segment 0
  Status status = replaceFirstTwo(*log, 1000);
  EXPECT_EQ(status.code(), Status::Code::kNotFound) << status.toString();
  EXPECT_EQ(log->segmentCount(), 6u);
  EXPECT_FALSE(hasFileEndingWith(tmp.path(), ".swap"));
}

// Builds the files of every crash point from the states before and after a replacement.
class InterruptedSwapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TempDir source;
    auto log = sevenSegments(source.path());
    ASSERT_TRUE(log->flush().isOk());
    before_ = snapshot(source.path());
    ASSERT_TRUE(replaceFirstTwo(*log, 1000).isOk());
    after_ = snapshot(source.path());
  }

  std::unique_ptr<PartitionLog> reopen(RecoveryReport& report) {
    auto log = PartitionLog::open(crash_.path(), rollEveryAppend(), &report);
    EXPECT_TRUE(log.isOk()) << log.status().toString();
    for (const char* suffix : {".cleaned", ".swap", ".deleted"}) EXPECT_FALSE(hasFileEndingWith(crash_.path(), suffix));
    return std::move(log).value();
  }

  // The replacement segment's files under their names in the middle of a swap.
  void addNewSegmentAs(const std::string& state, bool with_log = true) {
    for (const char* suffix : {".index", ".timeindex", ".log"}) {
      if (!with_log && std::string(suffix) == ".log") continue;
      std::string name = segmentFileName(0, suffix);
      ASSERT_TRUE(writeFileAtomically(crash_.path() / (name + state), after_.at(name)).isOk());
    }
  }

  std::map<std::string, std::string> before_, after_;
  TempDir crash_;
};

TEST_F(InterruptedSwapTest, CrashWhileWritingTheCleanedSegment) {
  restore(crash_.path(), before_);
  addNewSegmentAs(".cleaned");
  RecoveryReport report;
  expectOriginal(*reopen(report));
}

TEST_F(InterruptedSwapTest, CrashWhileRenamingCleanedToSwap) {
  restore(crash_.path(), before_);
  addNewSegmentAs(".swap", /*with_log=*/false);  // the indexes are renamed first
  RecoveryReport report;
  expectOriginal(*reopen(report));
}

TEST_F(InterruptedSwapTest, CrashAfterTheSwapFileWasComplete) {
  restore(crash_.path(), before_);
  addNewSegmentAs(".swap");
  RecoveryReport report;
  expectReplaced(*reopen(report));
  EXPECT_FALSE(report.messages.empty());
}

TEST_F(InterruptedSwapTest, CrashWhileRenamingTheOldSegmentsToDeleted) {
  restore(crash_.path(), before_);
  addNewSegmentAs(".swap");
  for (const char* suffix : {".index", ".timeindex", ".log"}) {
    std::string name = segmentFileName(0, suffix);
    fs::rename(crash_.path() / name, crash_.path() / (name + ".deleted"));
  }
  RecoveryReport report;
  expectReplaced(*reopen(report));
}

TEST_F(InterruptedSwapTest, CrashBeforeTheDeletedFilesWereRemoved) {
  restore(crash_.path(), after_);
  for (const char* suffix : {".index", ".timeindex", ".log"}) {
    ASSERT_TRUE(writeFileAtomically(crash_.path() / (segmentFileName(3, suffix) + ".deleted"),
                                    before_.at(segmentFileName(3, suffix)))
                    .isOk());
  }
  RecoveryReport report;
  expectReplaced(*reopen(report));
}

}  // namespace
}  // namespace runnel::storage
