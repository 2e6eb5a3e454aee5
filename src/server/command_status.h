#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sql/ast.h"

namespace runnel::server {

// ksqlDB's command id of a statement that changes the catalog, "<type>/<entity>/<action>":
// "stream/`S`/create" (CREATE STREAM, CSAS and INSERT INTO name the source quoted),
// "table/T/drop", "type/MY_TYPE/create", "terminate/CSAS_S_0/execute", "stream/S/alter";
// nullopt for statements ksqlDB assigns none.
std::optional<std::string> commandId(const sql::Statement& statement);

// GET /status: the status of each command the server ran or replayed, by command id (a
// later command with the same id replaces the earlier one, as in ksqlDB).
class CommandStatuses {
 public:
  void record(const std::string& id, std::string message, std::string query_id);
  // {"commandStatuses": {"stream/`S`/create": "SUCCESS", ...}}
  std::string allJson() const;
  // {"status": "SUCCESS", "message": "Stream created", "queryId": null}, or nullopt for
  // an unknown id.
  std::optional<std::string> statusJson(const std::string& id) const;

 private:
  struct Entry {
    std::string message;
    std::string query_id;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> statuses_;
};

}  // namespace runnel::server
