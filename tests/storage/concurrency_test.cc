// Concurrent appends, reads, flushes and retention; and acknowledged appends surviving a
// SIGKILL. Meant to run under the ASan/UBSan build as well.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "storage/partition_log.h"
#include "storage/test_util.h"

namespace runnel::storage {
namespace {

using testing::makeBatchOf;
using testing::splitBatches;
using testing::TempDir;

// Checks one read result: whole batches with good CRCs, contiguous, the first holding `offset`.
void checkRead(const Bytes& out, int64_t offset) {
  auto batches = splitBatches(out);
  ASSERT_FALSE(batches.empty()) << offset;
  EXPECT_LE(batches[0].base_offset, offset);
  EXPECT_GE(batches[0].last_offset, offset);
  size_t at = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    EXPECT_TRUE(batchCrcMatches(ByteSpan(out).subspan(at, batches[i].size))) << offset;
    if (i > 0) {
      EXPECT_EQ(batches[i].base_offset, batches[i - 1].last_offset + 1);
    }
    at += batches[i].size;
  }
  EXPECT_EQ(at, out.size());
}

TEST(ConcurrencyTest, OneAppenderTwoReadersWithFlushAndRetention) {
  TempDir tmp;
  LogConfig config;
  config.segment_bytes = 8 * 1024;
  config.index_interval_bytes = 256;
  config.retention_bytes = 64 * 1024;
  config.flush_messages = 500;
  auto opened = PartitionLog::open(tmp.path(), config);
  ASSERT_TRUE(opened.isOk());
  PartitionLog& log = **opened;
  constexpr int kBatches = 3000;
  std::atomic<bool> done{false};

  std::thread appender([&] {
    for (int i = 0; i < kBatches; ++i) {
      Bytes batch = makeBatchOf(1 + i % 9, 10 + i % 90, i);
      auto r = log.append(batch, i);
      ASSERT_TRUE(r.isOk()) << r.status().toString();
      if (i % 100 == 0) {
        ASSERT_TRUE(log.applyRetention(i).isOk());
      }
    }
    done = true;
  });
  auto reader = [&](unsigned seed) {
    std::mt19937 rng(seed);
    int reads = 0;
    while (!done || reads < 100) {
      int64_t start = log.logStartOffset();
      int64_t end = log.logEndOffset();
      if (end == start) continue;
      int64_t offset = start + int64_t(rng() % uint64_t(end - start));
      Bytes out;
      Status s = log.read(offset, 1 + rng() % 4096, out);
      if (s.code() == Status::Code::kOutOfRange) {
        EXPECT_LT(offset, log.logStartOffset());  // retention overtook us
        continue;
      }
      ASSERT_TRUE(s.isOk()) << s.toString();
      checkRead(out, offset);
      if (reads % 50 == 0) {
        ASSERT_TRUE(log.offsetForTimestamp(int64_t(rng() % kBatches)).isOk());
      }
      ++reads;
    }
  };
  std::thread reader1(reader, 1), reader2(reader, 2);
  std::thread flusher([&] {
    while (!done) {
      ASSERT_TRUE(log.flush().isOk());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  appender.join();
  reader1.join();
  reader2.join();
  flusher.join();
  EXPECT_GT(log.logStartOffset(), 0);
  ASSERT_TRUE(log.applyRetention(kBatches).isOk());
  EXPECT_LE(log.sizeBytes(), uint64_t(64 * 1024 + 8 * 1024));
}

TEST(ConcurrencyTest, AcknowledgedAppendsSurviveSigkill) {
  TempDir tmp;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    LogConfig config;
    config.segment_bytes = 64 * 1024;  // rolls happen during the run too
    auto log = PartitionLog::open(tmp.path(), config);
    if (!log.isOk()) ::_exit(2);
    for (int i = 0;; ++i) {
      Bytes batch = makeBatchOf(1 + i % 5, 100, i);
      auto r = (*log)->append(batch, i);
      if (!r.isOk()) ::_exit(3);
      int64_t acked = r->last_offset;
      if (::write(pipe_fds[1], &acked, sizeof acked) != sizeof acked) ::_exit(4);
    }
  }
  ::close(pipe_fds[1]);
  int64_t acked = -1;
  int64_t value;
  int received = 0;
  while (received < 2000 && ::read(pipe_fds[0], &value, sizeof value) == sizeof value) {
    acked = value;
    ++received;
  }
  ::kill(child, SIGKILL);
  while (::read(pipe_fds[0], &value, sizeof value) == sizeof value) acked = value;
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_GE(acked, 0);

  RecoveryReport report;
  auto log = PartitionLog::open(tmp.path(), LogConfig{}, &report);
  ASSERT_TRUE(log.isOk()) << log.status().toString();
  EXPECT_GT((*log)->logEndOffset(), acked);
  int64_t offset = 0;
  while (offset <= acked) {
    Bytes out;
    ASSERT_TRUE((*log)->read(offset, 1 << 20, out).isOk());
    checkRead(out, offset);
    offset = splitBatches(out).back().last_offset + 1;
  }
}

}  // namespace
}  // namespace runnel::storage
