#include "server/command_status.h"

#include <fmt/format.h>

#include "common/json_writer.h"

namespace runnel::server {

std::optional<std::string> commandId(const sql::Statement& statement) {
  return std::visit(
      [](const auto& body) -> std::optional<std::string> {
        using T = std::decay_t<decltype(body)>;
        auto type = [](bool is_table) { return is_table ? "table" : "stream"; };
        if constexpr (std::is_same_v<T, sql::CreateSource> || std::is_same_v<T, sql::CreateAsSelect>) {
          return fmt::format("{}/`{}`/create", type(body.is_table), body.name);
        } else if constexpr (std::is_same_v<T, sql::InsertInto>) {
          return fmt::format("stream/`{}`/create", body.target);
        } else if constexpr (std::is_same_v<T, sql::DropSource>) {
          return fmt::format("{}/{}/drop", type(body.is_table), body.name);
        } else if constexpr (std::is_same_v<T, sql::AlterSource>) {
          return fmt::format("{}/{}/alter", type(body.is_table), body.name);
        } else if constexpr (std::is_same_v<T, sql::CreateType>) {
          return fmt::format("type/{}/create", body.name);
        } else if constexpr (std::is_same_v<T, sql::DropType>) {
          return fmt::format("type/{}/drop", body.name);
        } else if constexpr (std::is_same_v<T, sql::Terminate>) {
          return fmt::format("terminate/{}/execute", body.all ? "ALL" : body.query_id);
        } else {
          return std::nullopt;
        }
      },
      statement.body);
}

void CommandStatuses::record(const std::string& id, std::string message, std::string query_id) {
  std::lock_guard lock(mutex_);
  statuses_[id] = {std::move(message), std::move(query_id)};
}

std::string CommandStatuses::allJson() const {
  std::lock_guard lock(mutex_);
  std::string out;
  json::Writer writer(out);
  writer.startObject();
  writer.writeKey("commandStatuses");
  writer.startObject();
  for (const auto& [id, entry] : statuses_) {
    writer.writeKey(id);
    writer.writeString("SUCCESS");
  }
  writer.endObject();
  writer.endObject();
  return out;
}

std::optional<std::string> CommandStatuses::statusJson(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = statuses_.find(id);
  if (it == statuses_.end()) return std::nullopt;
  std::string out;
  json::Writer writer(out);
  writer.startObject();
  writer.writeKey("status");
  writer.writeString("SUCCESS");
  writer.writeKey("message");
  writer.writeString(it->second.message);
  writer.writeKey("queryId");
  if (it->second.query_id.empty()) {
    writer.writeNull();
  } else {
    writer.writeString(it->second.query_id);
  }
  writer.endObject();
  return out;
}

}  // namespace runnel::server
