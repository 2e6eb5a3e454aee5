#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/sql_printer.h"
#include "common/result.h"

namespace runnel::net {
class HttpClient;
}

namespace runnel::cli {

// A session with a SQL server, as the ksql CLI keeps one: statements go to the REST API
// (/ksql, or /query-stream for SELECT and PRINT, whose rows print as they arrive); SET,
// UNSET, DEFINE, UNDEFINE, RUN SCRIPT and OUTPUT are handled here and travel with each
// request as properties and variables.
class SqlShell {
 public:
  SqlShell(std::string server, std::ostream& out, OutputFormat format);
  ~SqlShell();

  void define(const std::string& name, const std::string& value) { variables_[name] = value; }
  // Runs every statement of `text`; stops at the first that fails.
  Status runScript(std::string_view text);
  // Runs one complete statement.
  Status run(const std::string& statement);
  // Checks that the server answers (GET /info) and returns its version line.
  Result<std::string> serverInfo();

 private:
  Status runQuery(const std::string& statement);
  // PRINT: /query answers with the text lines the ksql CLI prints as they are.
  Status runPrint(const std::string& statement);
  Status runOnServer(const std::string& statement);
  std::string requestBody(const std::string& statement, const char* statement_member,
                          const char* properties_member) const;

  std::string server_;
  std::ostream& out_;
  SqlPrinter printer_;
  std::unique_ptr<net::HttpClient> http_;
  std::map<std::string, std::string> properties_;
  std::map<std::string, std::string> variables_;
};

// `runnel sql`: the interactive shell (libedit), or -f FILE / -e "statements".
int sqlMain(int argc, char** argv);

}  // namespace runnel::cli
