#include <editline/readline.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/sql_shell.h"
#include "sql/parser.h"

namespace runnel::cli {
namespace {

std::string historyPath() {
  const char* home = std::getenv("HOME");
  return home ? std::string(home) + "/.runnel_sql_history" : std::string();
}

// A statement is complete once the text has a top-level `;` at its end.
bool complete(const std::string& text) {
  auto statements = sql::splitStatements(text);
  if (!statements.isOk() || statements->empty()) return false;
  auto last = text.find_last_not_of(" \t\r\n");
  return last != std::string::npos && text[last] == ';';
}

int interactive(SqlShell& shell) {
  std::string history = historyPath();
  if (!history.empty()) read_history(history.c_str());
  std::cout << "Type SQL statements ending with ';' (exit or Ctrl-D to leave).\n";
  std::string pending;
  for (;;) {
    char* line = readline(pending.empty() ? "ksql> " : ">     ");
    if (line == nullptr) break;
    std::string text(line);
    std::free(line);
    if (pending.empty()) {
      std::string word = text.substr(0, text.find_first_of(" ;"));
      for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (word == "exit" || word == "quit") break;
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
    }
    pending += (pending.empty() ? "" : "\n") + text;
    if (!complete(pending)) continue;
    add_history(pending.c_str());
    Status status = shell.runScript(pending);
    if (!status.isOk() && status.code() != Status::Code::kInvalidArgument) std::cout << status.message() << "\n";
    pending.clear();
  }
  if (!history.empty()) write_history(history.c_str());
  std::cout << "Exiting.\n";
  return 0;
}

}  // namespace

int sqlMain(int argc, char** argv) {
  CLI::App app{"The SQL shell: runs ksqlDB statements against a Runnel (or ksqlDB) server's REST API."};
  app.name("runnel sql");
  std::string server = "http://127.0.0.1:8088";
  std::string file;
  std::string execute;
  std::vector<std::string> defines;
  std::string output = "TABULAR";
  app.add_option("server", server, "the server's URL")->capture_default_str();
  app.add_option("-f,--file", file, "run the statements of this file, then exit")->check(CLI::ExistingFile);
  app.add_option("-e,--execute", execute, "run these statements, then exit");
  app.add_option("-d,--define", defines, "a variable for ${name} substitution: name=value (repeatable)");
  app.add_option("-o,--output", output, "TABULAR or JSON")->capture_default_str()
      ->check(CLI::IsMember({"TABULAR", "JSON"}, CLI::ignore_case));
  CLI11_PARSE(app, argc, argv);

  for (auto& c : output) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  SqlShell shell(server, std::cout, output == "JSON" ? OutputFormat::kJson : OutputFormat::kTabular);
  for (const auto& assignment : defines) {
    auto equals = assignment.find('=');
    if (equals == std::string::npos) {
      std::cerr << "runnel sql: --define expects name=value, got '" << assignment << "'\n";
      return 1;
    }
    shell.define(assignment.substr(0, equals), assignment.substr(equals + 1));
  }
  auto info = shell.serverInfo();
  if (!info.isOk()) {
    std::cerr << "runnel sql: the server at " << server << " does not answer: " << info.status().message() << "\n";
    return 1;
  }
  if (!file.empty() || !execute.empty()) {
    std::string script = execute;
    if (!file.empty()) {
      std::ifstream in(file);
      std::ostringstream text;
      text << in.rdbuf();
      script = text.str();
    }
    Status status = shell.runScript(script);
    if (!status.isOk()) {
      if (status.code() != Status::Code::kInvalidArgument) std::cerr << "runnel sql: " << status.message() << "\n";
      return 1;
    }
    return 0;
  }
  std::cout << *info << "\n";
  if (!isatty(STDIN_FILENO)) {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return shell.runScript(text.str()).isOk() ? 0 : 1;
  }
  return interactive(shell);
}

}  // namespace runnel::cli
