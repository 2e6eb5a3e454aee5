// Cutting a script into statements at its top-level `;`, as ksqlDB's CLI and RUN SCRIPT
// do: quotes and comments hide semicolons.

#include "sql/lexer.h"
#include "sql/parser.h"

namespace runnel::sql {
namespace {

class Splitter {
 public:
  explicit Splitter(std::string_view script) : script_(script) {}

  Result<std::vector<StatementText>> run() {
    std::vector<StatementText> statements;
    while (true) {
      RUNNEL_RETURN_IF_ERROR(skipSpaceAndComments());
      if (pos_ >= script_.size()) return statements;
      if (script_[pos_] == ';') {  // an empty statement says nothing
        advance();
        continue;
      }
      size_t start = pos_;
      SourceLocation location{line_, column_};
      while (pos_ < script_.size() && script_[pos_] != ';') {
        char c = script_[pos_];
        if (c == '\'' || c == '"' || c == '`') {
          RUNNEL_RETURN_IF_ERROR(skipQuoted(c));
        } else if (at("--") || at("/*")) {
          RUNNEL_RETURN_IF_ERROR(skipSpaceAndComments());
        } else {
          advance();
        }
      }
      if (pos_ < script_.size()) advance();  // the `;` belongs to its statement
      statements.push_back({std::string(script_.substr(start, pos_ - start)), location});
    }
  }

 private:
  bool at(std::string_view text) const { return script_.substr(pos_, text.size()) == text; }

  void advance() {
    if (script_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  Status skipQuoted(char quote) {
    SourceLocation start{line_, column_};
    advance();
    while (true) {
      if (pos_ >= script_.size()) {
        return syntaxError(start, quote == '\'' ? "unterminated string literal" : "unterminated quoted identifier");
      }
      bool closing = script_[pos_] == quote;
      advance();
      if (closing) {
        if (pos_ < script_.size() && script_[pos_] == quote) {
          advance();  // a doubled quote stands for one
        } else {
          return Status::ok();
        }
      }
    }
  }

  Status skipSpaceAndComments() {
    while (pos_ < script_.size()) {
      char c = script_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance();
      } else if (at("--")) {
        while (pos_ < script_.size() && script_[pos_] != '\n') advance();
      } else if (at("/*")) {
        SourceLocation start{line_, column_};
        advance();
        advance();
        while (pos_ < script_.size() && !at("*/")) advance();
        if (pos_ >= script_.size()) return syntaxError(start, "unterminated comment");
        advance();
        advance();
      } else {
        break;
      }
    }
    return Status::ok();
  }

  std::string_view script_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

Result<std::vector<StatementText>> splitStatements(std::string_view script) { return Splitter(script).run(); }

}  // namespace runnel::sql
