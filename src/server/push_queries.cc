#include "server/push_queries.h"

#include <fmt/format.h>

#include "net/http_server.h"
#include "server/rest_entities.h"
#include "sql/row_format.h"
#include "sql/value.h"

namespace runnel::server {
namespace {

constexpr auto kSlowClientGrace = std::chrono::seconds(30);

}  // namespace

// One push query and its client.
struct PushQueries::Running {
  sql::Engine::PushQuery query;
  PushFraming framing = PushFraming::kQuery;
  std::mutex mutex;
  std::shared_ptr<net::ResponseStream> stream;
  std::string pending;  // rows that came before the stream was attached
  // Rows (and whether each is a tombstone) that came before the query's columns were known.
  std::vector<std::pair<sql::GenericRow, bool>> early;
  int64_t rows = 0;
  bool done = false;

  std::string rowText(const sql::GenericRow& row, bool tombstone) const {
    return frameRow(row, query.column_types, framing, tombstone);
  }

  std::string ending(const char* message) const { return frameEnd(message, framing); }

  // Writes `text`, waiting a while for a slow client; false when the client is gone.
  bool send(const std::string& text) {
    if (!stream) {
      pending += text;
      return true;
    }
    auto result = stream->write(text);
    if (result == net::ResponseStream::WriteResult::kSlowClient && stream->waitForSpace(text.size(), kSlowClientGrace)) {
      result = stream->write(text);
    }
    if (result == net::ResponseStream::WriteResult::kSlowClient) stream->abort();
    return result == net::ResponseStream::WriteResult::kOk;
  }

  // Returns true when the query should stop.
  bool onRow(const sql::GenericRow& row, bool tombstone) {
    std::lock_guard lock(mutex);
    if (done) return false;
    if (query.id.empty()) {
      early.emplace_back(row, tombstone);
      return false;
    }
    bool alive = send(rowText(row, tombstone));
    ++rows;
    if (alive && (!query.limit || rows < *query.limit)) return false;
    if (alive) finish("Limit Reached");
    done = true;
    return true;
  }

  void finish(const char* message) {
    std::string text = ending(message);
    if (!text.empty()) send(text);
    if (stream) stream->close();
  }
};

PushQueries::PushQueries(sql::Engine& engine, std::mutex& engine_mutex)
    : engine_(engine), engine_mutex_(engine_mutex), stopper_([this] { stopLoop(); }) {}

PushQueries::~PushQueries() {
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (const auto& [id, running] : running_) to_stop_.push_back(id);
  }
  wake_.notify_all();
  stopper_.join();
}

net::Response PushQueries::start(const std::string& statement, sql::Session session, PushFraming framing) {
  auto running = std::make_shared<Running>();
  running->framing = framing;
  std::weak_ptr<Running> weak = running;
  Result<sql::Engine::PushQuery> started = Status::internal("not started");
  {
    std::lock_guard lock(engine_mutex_);
    started = engine_.startPushQuery(statement, session, [this, weak](const sql::GenericRow& row, bool tombstone) {
      auto query = weak.lock();
      if (query && query->onRow(row, tombstone)) requestStop(query->query.id);
    });
  }
  if (!started.isOk()) return net::Response::json(400, statementError(started.status().message(), statement, {}));
  std::vector<std::pair<sql::GenericRow, bool>> early;
  {
    std::lock_guard lock(running->mutex);
    running->query = *started;
    early.swap(running->early);
  }
  for (const auto& [row, tombstone] : early) {
    if (running->onRow(row, tombstone)) requestStop(started->id);
  }
  {
    std::lock_guard lock(mutex_);
    running_[started->id] = running;
  }
  const char* content_type = framing == PushFraming::kDelimited ? "application/vnd.ksqlapi.delimited.v1"
                                                                : "application/json";
  std::string id = started->id;
  return net::Response::streaming(200, content_type, [this, running, id](std::shared_ptr<net::ResponseStream> stream) {
    stream->setOnDisconnect([this, id] { requestStop(id); });
    std::lock_guard lock(running->mutex);
    running->stream = std::move(stream);
    const sql::Engine::PushQuery& query = running->query;
    std::string first = frameHeader({query.id, query.column_names, query.column_types, {}}, running->framing) +
                        running->pending;
    running->pending.clear();
    running->send(first);
    if (running->done) running->finish("Limit Reached");
  });
}

bool PushQueries::close(const std::string& query_id) {
  std::shared_ptr<Running> running;
  {
    std::lock_guard lock(mutex_);
    auto it = running_.find(query_id);
    if (it == running_.end()) return false;
    running = it->second;
  }
  {
    std::lock_guard lock(running->mutex);
    if (!running->done) running->finish("Query closed");
    running->done = true;
  }
  requestStop(query_id);
  return true;
}

void PushQueries::requestStop(const std::string& query_id) {
  {
    std::lock_guard lock(mutex_);
    to_stop_.push_back(query_id);
  }
  wake_.notify_all();
}

void PushQueries::stopLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !to_stop_.empty() || shutting_down_; });
    if (to_stop_.empty() && shutting_down_) return;
    std::string id = std::move(to_stop_.front());
    to_stop_.pop_front();
    auto it = running_.find(id);
    if (it == running_.end()) continue;
    std::shared_ptr<Running> running = it->second;
    running_.erase(it);
    lock.unlock();
    (void)engine_.stopPushQuery(id);
    {
      std::lock_guard query_lock(running->mutex);
      if (running->stream) running->stream->close();
    }
    lock.lock();
  }
}

}  // namespace runnel::server
