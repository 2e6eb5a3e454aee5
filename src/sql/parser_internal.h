#pragma once

// The recursive-descent parser shared by parser*.cc. Not part of the module's interface.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/ast.h"
#include "sql/lexer.h"
#include "sql/parser.h"

namespace runnel::sql::internal {

// Unwinds the parser to its entry point, which turns it back into a Status: the grammar
// functions stay readable and no exception leaves the module.
struct ParseFailure {
  Status status;
};

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, std::string_view text, const TypeLookup& types)
      : tokens_(tokens), text_(text), types_(types) {}

  // ---- Cursor (parser.cc) --------------------------------------------------------------
  const Token& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return tokens_[i < tokens_.size() ? i : tokens_.size() - 1];
  }
  const Token& next() {
    const Token& token = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  // The last token consumed; only after one was.
  const Token& previous() const { return tokens_[pos_ > 0 ? pos_ - 1 : 0]; }
  bool atEnd() const { return peek().kind == TokenKind::kEnd; }
  bool atKeyword(std::string_view keyword, size_t ahead = 0) const { return peek(ahead).isKeyword(keyword); }
  bool atSymbol(std::string_view symbol, size_t ahead = 0) const { return peek(ahead).isSymbol(symbol); }
  bool acceptKeyword(std::string_view keyword);
  bool acceptSymbol(std::string_view symbol);
  void expectKeyword(std::string_view keyword);
  void expectSymbol(std::string_view symbol);
  // The text between two tokens, as written.
  std::string_view textBetween(const Token& first, const Token& last) const;

  [[noreturn]] void failAtOrNear(const Token& token) const;
  [[noreturn]] void fail(const Token& token, std::string_view detail) const;

  // An identifier as ksqlDB resolves it (upper-cased unless quoted). Fails on a reserved
  // word, naming it.
  std::string identifier();
  bool atIdentifier(size_t ahead = 0) const;
  static bool isReserved(const Token& token);
  static bool isReservedWord(std::string_view upper_case);
  // A name as expression texts show it: quoted when it is not upper-case or is reserved,
  // so that the text parses back to the same name.
  static std::string formatName(const std::string& name);

  // Guards against stack exhaustion (in parsing and in destroying the tree): every nesting
  // level and every link of a left-deep operator chain counts, and input nested deeper
  // than kMaxDepth is a syntax error. A failed parse is thrown away, so only the success
  // paths give depth back.
  void deepen();
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser) : parser_(parser) { parser.deepen(); }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };
  static constexpr int kMaxDepth = 200;

  // ---- Expressions (parser_expressions.cc) ---------------------------------------------
  ExprPtr expression();
  ExprPtr valueExpression();  // without AND/OR/NOT and predicates, as GROUP BY takes
  std::vector<ExprPtr> valueExpressionList();  // one or more, comma-separated
  int64_t integerValue();  // a (possibly negative) integer literal, e.g. LIMIT's

  // ---- Types (parser_types.cc) ---------------------------------------------------------
  SqlTypePtr type();

  // ---- Queries (parser_query.cc) -------------------------------------------------------
  Query query();  // from SELECT on

  // ---- Statements (parser_statements.cc) -----------------------------------------------
  StatementBody statement();
  Properties properties();  // WITH's parenthesised list, after WITH
  TableElement tableElement(bool allow_constraints);

 private:
  // `operand (op operand)*`, left-associative; `match` says which operator a token is.
  using OperatorMatcher = std::optional<Operator> (*)(const Token& token);
  ExprPtr leftAssociative(ExprPtr (Parser::*operand)(), OperatorMatcher match);
  ExprPtr orExpression();
  ExprPtr andExpression();
  ExprPtr notExpression();
  ExprPtr predicated();
  ExprPtr concatenation();
  ExprPtr additive();
  ExprPtr multiplicative();
  ExprPtr unary();
  ExprPtr postfix();
  ExprPtr primary();
  ExprPtr literal();
  ExprPtr numericLiteral(const Token& token, bool negative);
  ExprPtr identifierExpression();
  ExprPtr functionCall(const Token& name_token, const std::string& name);  // name upper-cased even if quoted
  ExprPtr functionArgument();
  ExprPtr lambda();
  bool atLambda() const;
  ExprPtr caseExpression(const Token& case_token);
  ExprPtr castExpression(const Token& cast_token);
  ExprPtr arrayConstructor(const Token& array_token);
  ExprPtr mapConstructor(const Token& map_token);
  ExprPtr structConstructor(const Token& struct_token);
  std::vector<ExprPtr> expressionList(std::string_view close);

  SqlTypePtr structType();
  int typeParameter();

  std::vector<ExprPtr> groupingExpressions();  // of GROUP BY and PARTITION BY
  Relation relation();  // a source and its alias
  std::string alias();
  JoinClause join();
  WindowClause window();
  void skipBalanced();
  bool atWindowUnit() const;
  void windowSize();  // `number unit`, as WITHIN and GRACE PERIOD take it  // a parenthesised group, kept only as text

  const std::vector<Token>& tokens_;
  std::string_view text_;
  const TypeLookup& types_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// Runs `parse` and turns a ParseFailure into its Status.
template <class T, class F>
Result<T> runParser(F&& parse) {
  try {
    return parse();
  } catch (ParseFailure& failure) {
    return std::move(failure.status);
  }
}

}  // namespace runnel::sql::internal
