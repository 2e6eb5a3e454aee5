// Recovery on open: torn writes, corruption, garbage, missing or damaged index files, stray
// and empty files. Every case must open, keep every intact batch and never crash.

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "storage/partition_log.h"
#include "storage/test_util.h"

namespace runnel::storage {
namespace {

using testing::makeBatch;
using testing::makeBatchOf;
using testing::splitBatches;
using testing::TempDir;
namespace fs = std::filesystem;

const fs::path kFirstLog = "00000000000000000000.log";

Bytes readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const fs::path& path, const Bytes& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
}

// Appends `batches` batches of 3 records (offsets 3i..3i+2) and closes the log.
void populate(const fs::path& dir, int batches, const LogConfig& config = {}) {
  auto log = PartitionLog::open(dir, config);
  ASSERT_TRUE(log.isOk());
  for (int i = 0; i < batches; ++i) {
    Bytes batch = makeBatchOf(3, 40, 1000 + i);
    ASSERT_TRUE((*log)->append(batch, 1000 + i).isOk());
  }
}

std::unique_ptr<PartitionLog> reopen(const fs::path& dir, RecoveryReport& report, const LogConfig& config = {}) {
  auto log = PartitionLog::open(dir, config, &report);
  EXPECT_TRUE(log.isOk()) << log.status().toString();
  return log.isOk() ? std::move(log).value() : nullptr;
}

// Reads the whole log, checking that offsets are contiguous from the log start.
int64_t readAllBatches(const PartitionLog& log) {
  int64_t offset = log.logStartOffset();
  while (offset < log.logEndOffset()) {
    Bytes out;
    Status s = log.read(offset, 1 << 20, out);
    EXPECT_TRUE(s.isOk()) << s.toString();
    auto batches = splitBatches(out);
    if (batches.empty()) break;
    size_t at = 0;
    for (const auto& b : batches) {
      EXPECT_TRUE(batchCrcMatches(ByteSpan(out).subspan(at, b.size)));
      at += b.size;
    }
    offset = batches.back().last_offset + 1;
  }
  return offset;
}

TEST(RecoveryTest, TornTailAtEveryCutPoint) {
  TempDir source;
  populate(source.path(), 4);
  Bytes whole = readFile(source.path() / kFirstLog);
  auto batches = splitBatches(whole);
  ASSERT_EQ(batches.size(), 4u);
  size_t last_start = whole.size() - batches.back().size;
  for (size_t cut : {last_start + 1, last_start + 8, last_start + 12, last_start + 30, last_start + 60,
                     last_start + 61, last_start + 62, whole.size() - 1}) {
    TempDir tmp;
    populate(tmp.path(), 4);
    fs::resize_file(tmp.path() / kFirstLog, cut);
    RecoveryReport report;
    auto log = reopen(tmp.path(), report);
    ASSERT_TRUE(log);
    EXPECT_EQ(report.truncated_bytes, int64_t(cut - last_start)) << cut;
    EXPECT_FALSE(report.messages.empty());
    EXPECT_EQ(log->logEndOffset(), 9) << cut;
    EXPECT_EQ(fs::file_size(tmp.path() / kFirstLog), last_start);
    EXPECT_EQ(readAllBatches(*log), 9);
    Bytes next = makeBatch({"after"}, 5);
    auto appended = log->append(next, 5);
    ASSERT_TRUE(appended.isOk());
    EXPECT_EQ(appended->base_offset, 9);
    log.reset();
    RecoveryReport second;
    log = reopen(tmp.path(), second);
    EXPECT_EQ(second.truncated_bytes, 0);
    EXPECT_EQ(log->logEndOffset(), 10);
  }
}

TEST(RecoveryTest, CutAtABatchBoundaryLosesNothingElse) {
  TempDir tmp;
  populate(tmp.path(), 4);
  Bytes whole = readFile(tmp.path() / kFirstLog);
  fs::resize_file(tmp.path() / kFirstLog, whole.size() - splitBatches(whole).back().size);
  RecoveryReport report;
  auto log = reopen(tmp.path(), report);
  EXPECT_EQ(report.truncated_bytes, 0);
  EXPECT_EQ(log->logEndOffset(), 9);
}

TEST(RecoveryTest, CorruptedCrcInTheTail) {
  TempDir tmp;
  populate(tmp.path(), 4);
  Bytes whole = readFile(tmp.path() / kFirstLog);
  size_t last = splitBatches(whole).back().size;
  whole[whole.size() - 5] ^= 0x40;
  writeFile(tmp.path() / kFirstLog, whole);
  RecoveryReport report;
  auto log = reopen(tmp.path(), report);
  EXPECT_EQ(report.truncated_bytes, int64_t(last));
  ASSERT_FALSE(report.messages.empty());
  EXPECT_NE(report.messages[0].find("CRC"), std::string::npos) << report.messages[0];
  EXPECT_EQ(log->logEndOffset(), 9);
}

TEST(RecoveryTest, BadCrcInTheMiddleOfTheActiveSegmentTruncatesFromThere) {
  TempDir tmp;
  populate(tmp.path(), 5);
  Bytes whole = readFile(tmp.path() / kFirstLog);
  auto batches = splitBatches(whole);
  size_t second = batches[0].size;
  whole[second + 70] ^= 0x01;  // inside the second batch's records
  writeFile(tmp.path() / kFirstLog, whole);
  RecoveryReport report;
  auto log = reopen(tmp.path(), report);
  EXPECT_EQ(report.truncated_bytes, int64_t(whole.size() - second));
  EXPECT_EQ(log->logEndOffset(), 3);
  EXPECT_EQ(readAllBatches(*log), 3);
}

TEST(RecoveryTest, GarbageAppended) {
  for (int kind = 0; kind < 3; ++kind) {
    TempDir tmp;
    populate(tmp.path(), 3);
    Bytes whole = readFile(tmp.path() / kFirstLog);
    size_t clean = whole.size();
    if (kind == 0) whole.insert(whole.end(), 100, 0xab);
    if (kind == 1) whole.insert(whole.end(), 4096, 0);  // preallocated zeros
    if (kind == 2) {
      // A plausible header announcing a huge batch.
      Bytes fake = makeBatch({"x"}, 1);
      storeBe32(fake.data() + batch_layout::kBatchLength, 1 << 30);
      whole.insert(whole.end(), fake.begin(), fake.end());
    }
    writeFile(tmp.path() / kFirstLog, whole);
    RecoveryReport report;
    auto log = reopen(tmp.path(), report);
    EXPECT_EQ(report.truncated_bytes, int64_t(whole.size() - clean)) << kind;
    EXPECT_EQ(log->logEndOffset(), 9);
    EXPECT_EQ(readAllBatches(*log), 9);
  }
}

TEST(RecoveryTest, ZeroLengthSegments) {
  {
    TempDir tmp;
    fs::create_directories(tmp.path());
    writeFile(tmp.path() / kFirstLog, {});
    RecoveryReport report;
    auto log = reopen(tmp.path(), report);
    EXPECT_EQ(log->logEndOffset(), 0);
    EXPECT_EQ(report.truncated_bytes, 0);
  }
  {
    // A crash right after a roll leaves an empty active segment.
    TempDir tmp;
    populate(tmp.path(), 3);
    writeFile(tmp.path() / "00000000000000000009.log", {});
    RecoveryReport report;
    auto log = reopen(tmp.path(), report);
    EXPECT_EQ(log->logEndOffset(), 9);
    EXPECT_EQ(log->segmentCount(), 2u);
    EXPECT_EQ(readAllBatches(*log), 9);
    Bytes batch = makeBatch({"a"}, 1);
    EXPECT_EQ(log->append(batch, 1)->base_offset, 9);
  }
  {
    // An empty segment that is not the last one is dropped.
    TempDir tmp;
    LogConfig config;
    config.segment_bytes = 400;
    populate(tmp.path(), 4, config);
    ASSERT_TRUE(fs::exists(tmp.path() / "00000000000000000006.log"));
    fs::resize_file(tmp.path() / "00000000000000000003.log", 0);
    RecoveryReport report;
    auto log = reopen(tmp.path(), report, config);
    EXPECT_FALSE(fs::exists(tmp.path() / "00000000000000000003.log"));
    EXPECT_EQ(log->logEndOffset(), 12);
    Bytes out;
    ASSERT_TRUE(log->read(4, 1, out).isOk());  // offsets 3..5 are gone: the next batch
    EXPECT_EQ(splitBatches(out).at(0).base_offset, 6);
  }
}

TEST(RecoveryTest, DeletedIndexFilesAreRebuilt) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 2000;
  config.index_interval_bytes = 100;
  populate(tmp.path(), 30, config);
  ASSERT_GT(fs::file_size(tmp.path() / "00000000000000000000.index"), 0u);
  Bytes index = readFile(tmp.path() / "00000000000000000000.index");
  Bytes time_index = readFile(tmp.path() / "00000000000000000000.timeindex");
  fs::remove(tmp.path() / "00000000000000000000.index");
  fs::remove(tmp.path() / "00000000000000000000.timeindex");
  RecoveryReport report;
  auto log = reopen(tmp.path(), report, config);
  EXPECT_EQ(report.indexes_rebuilt, 1);
  EXPECT_EQ(report.truncated_bytes, 0);
  EXPECT_EQ(readFile(tmp.path() / "00000000000000000000.index"), index);
  EXPECT_EQ(readFile(tmp.path() / "00000000000000000000.timeindex"), time_index);
  EXPECT_EQ(readAllBatches(*log), 90);
  auto found = log->offsetForTimestamp(1003);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->offset, 9);
}

TEST(RecoveryTest, DamagedIndexFilesAreRebuilt) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 2000;
  config.index_interval_bytes = 100;
  populate(tmp.path(), 30, config);
  fs::path index_path = tmp.path() / "00000000000000000000.index";
  Bytes index = readFile(index_path);
  for (Bytes damaged : {Bytes(index.begin(), index.end() - 3), Bytes(index.size(), 0xff),
                        Bytes(index.size(), 0)}) {
    writeFile(index_path, damaged);
    RecoveryReport report;
    auto log = reopen(tmp.path(), report, config);
    EXPECT_EQ(report.indexes_rebuilt, 1);
    EXPECT_EQ(readFile(index_path), index);
    EXPECT_EQ(readAllBatches(*log), 90);
  }
  // An index that lost its last entries is completed from the tail of the log.
  writeFile(index_path, Bytes(index.begin(), index.begin() + 8));
  RecoveryReport report;
  auto log = reopen(tmp.path(), report, config);
  EXPECT_EQ(report.indexes_rebuilt, 0);
  EXPECT_EQ(readFile(index_path), index);
}

TEST(RecoveryTest, TornTailOfAnOlderSegment) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 400;
  populate(tmp.path(), 6, config);
  fs::path second = tmp.path() / "00000000000000000003.log";
  ASSERT_TRUE(fs::exists(second));
  fs::resize_file(second, fs::file_size(second) - 10);
  RecoveryReport report;
  auto log = reopen(tmp.path(), report, config);
  EXPECT_GT(report.truncated_bytes, 0);
  EXPECT_EQ(log->logEndOffset(), 18);
  Bytes out;
  ASSERT_TRUE(log->read(3, 1, out).isOk());
  EXPECT_EQ(splitBatches(out).at(0).base_offset, 6);
}

TEST(RecoveryTest, StrayAndOrphanFilesAreRemoved) {
  TempDir tmp;
  populate(tmp.path(), 2);
  writeFile(tmp.path() / "log-start-offset.tmp", {'1'});
  writeFile(tmp.path() / "00000000000000000077.index", Bytes(8, 0));
  writeFile(tmp.path() / "partition.metadata", {'x'});  // not ours: left alone
  RecoveryReport report;
  auto log = reopen(tmp.path(), report);
  EXPECT_FALSE(fs::exists(tmp.path() / "log-start-offset.tmp"));
  EXPECT_FALSE(fs::exists(tmp.path() / "00000000000000000077.index"));
  EXPECT_TRUE(fs::exists(tmp.path() / "partition.metadata"));
  EXPECT_EQ(report.messages.size(), 2u);
  EXPECT_EQ(log->logEndOffset(), 6);
}

TEST(RecoveryTest, UnreadableCheckpointIsIgnored) {
  TempDir tmp;
  populate(tmp.path(), 2);
  writeFile(tmp.path() / "log-start-offset", {'z', 'z'});
  RecoveryReport report;
  auto log = reopen(tmp.path(), report);
  EXPECT_EQ(log->logStartOffset(), 0);
  EXPECT_EQ(log->logEndOffset(), 6);
}

TEST(RecoveryTest, InterruptedDeletionIsFinished) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 400;
  populate(tmp.path(), 6, config);
  // The checkpoint reached the disk, the segment removals did not.
  writeFile(tmp.path() / "log-start-offset", {'0', '\n', '7', '\n'});
  RecoveryReport report;
  auto log = reopen(tmp.path(), report, config);
  EXPECT_EQ(log->logStartOffset(), 7);
  EXPECT_FALSE(fs::exists(tmp.path() / "00000000000000000003.log"));
  EXPECT_FALSE(fs::exists(tmp.path() / "00000000000000000003.index"));
  EXPECT_TRUE(fs::exists(tmp.path() / "00000000000000000006.log"));
  Bytes out;
  EXPECT_EQ(log->read(5, 100, out).code(), Status::Code::kOutOfRange);
  ASSERT_TRUE(log->read(7, 100, out).isOk());
  EXPECT_EQ(splitBatches(out).at(0).base_offset, 6);
}

TEST(RecoveryTest, LogStartPastTheRecoveredEnd) {
  TempDir tmp;
  populate(tmp.path(), 3);
  {
    RecoveryReport report;
    auto log = reopen(tmp.path(), report);
    ASSERT_TRUE(log->deleteRecordsBefore(9).isOk());
  }
  fs::resize_file(tmp.path() / kFirstLog, 10);  // the data went missing, the checkpoint did not
  RecoveryReport report;
  auto log = reopen(tmp.path(), report);
  EXPECT_EQ(log->logStartOffset(), 9);
  EXPECT_EQ(log->logEndOffset(), 9);
  Bytes batch = makeBatch({"a"}, 1);
  EXPECT_EQ(log->append(batch, 1)->base_offset, 9);
}

TEST(RecoveryTest, RandomDamageNeverCrashes) {
  std::mt19937 rng(42);
  LogConfig config;
  config.segment_bytes = 700;
  config.index_interval_bytes = 64;
  TempDir source;
  populate(source.path(), 12, config);
  for (int round = 0; round < 25; ++round) {
    TempDir tmp;
    fs::copy(source.path(), tmp.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    ASSERT_FALSE(fs::is_empty(tmp.path()));
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(tmp.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (int hit = 0; hit < 3; ++hit) {
      const fs::path& victim = files[rng() % files.size()];
      Bytes data = readFile(victim);
      switch (rng() % 3) {
        case 0:
          if (!data.empty()) data[rng() % data.size()] ^= uint8_t(1 + rng() % 255);
          break;
        case 1:
          data.resize(data.empty() ? 0 : rng() % data.size());
          break;
        default:
          for (int i = 0; i < 50; ++i) data.push_back(uint8_t(rng()));
      }
      writeFile(victim, data);
    }
    RecoveryReport report;
    auto log = reopen(tmp.path(), report, config);
    ASSERT_TRUE(log);
    // Reads may report corruption a damaged index leads to, but never crash.
    for (int64_t offset = log->logStartOffset(); offset < log->logEndOffset(); ++offset) {
      Bytes out;
      (void)log->read(offset, 1 << 16, out);
    }
    (void)log->offsetForTimestamp(1005);
    Bytes batch = makeBatch({"after"}, 1);
    ASSERT_TRUE(log->append(batch, 1).isOk());
  }
}

}  // namespace
}  // namespace runnel::storage
