// SELECT ... FROM ... [JOIN ...] [WINDOW ...] [WHERE ...] [GROUP BY ...] [PARTITION BY ...]
// [HAVING ...] [EMIT CHANGES|FINAL] [LIMIT n], in the order ksqlDB's grammar fixes.

#include "sql/parser_internal.h"

namespace runnel::sql::internal {
namespace {

// Non-reserved words that start a clause here, so are not a source's alias.
bool startsClause(const Token& token, const Token& after) {
  return (token.isKeyword("PARTITION") && after.isKeyword("BY")) ||
         (token.isKeyword("EMIT") && (after.isKeyword("CHANGES") || after.isKeyword("FINAL")));
}

}  // namespace

Query Parser::query() {
  expectKeyword("SELECT");
  Query query;
  do {
    SelectItem item;
    if (acceptSymbol("*")) {
      item.star = true;
    } else if (atIdentifier() && atSymbol(".", 1) && atSymbol("*", 2)) {
      item.star = true;
      item.star_source = identifier();
      next();
      next();
    } else {
      item.expression = expression();
      if (atSymbol("->") && atSymbol("*", 1)) {
        next();
        next();
        item.struct_star = true;
      } else if (acceptKeyword("AS")) {
        item.alias = identifier();
      } else if (atIdentifier()) {
        item.alias = identifier();
      }
    }
    query.select.push_back(std::move(item));
  } while (acceptSymbol(","));

  expectKeyword("FROM");
  query.from = relation();
  while (atKeyword("JOIN") || atKeyword("INNER") || atKeyword("LEFT") || atKeyword("RIGHT") || atKeyword("FULL")) {
    query.joins.push_back(join());
  }
  if (acceptKeyword("WINDOW")) query.window = window();
  if (acceptKeyword("WHERE")) query.where = expression();
  if (acceptKeyword("GROUP")) {
    expectKeyword("BY");
    query.group_by = groupingExpressions();
  }
  if (acceptKeyword("PARTITION")) {
    expectKeyword("BY");
    query.partition_by = groupingExpressions();
  }
  if (acceptKeyword("HAVING")) query.having = expression();
  if (acceptKeyword("EMIT")) {
    if (acceptKeyword("CHANGES")) {
      query.emit_changes = true;
    } else if (acceptKeyword("FINAL")) {
      query.emit_final = true;
    } else {
      failAtOrNear(peek());
    }
  }
  if (acceptKeyword("LIMIT")) query.limit = integerValue();
  return query;
}

std::vector<ExprPtr> Parser::groupingExpressions() {
  // `GROUP BY (a, b)` groups by a list; `GROUP BY (a + b) * 2` by one expression (and so
  // for PARTITION BY). Try the
  // list first and back up when it turns out to be one parenthesised operand.
  size_t start = pos_;
  std::vector<ExprPtr> list;
  if (acceptSymbol("(")) {
    if (!atSymbol(")")) list = valueExpressionList();
    if (list.size() != 1) {
      expectSymbol(")");
      return list;
    }
    pos_ = start;
  }
  return valueExpressionList();
}

std::vector<ExprPtr> Parser::valueExpressionList() {
  std::vector<ExprPtr> list;
  do {
    list.push_back(valueExpression());
  } while (acceptSymbol(","));
  return list;
}

Relation Parser::relation() {
  Relation relation;
  relation.location = peek().location;
  relation.name = identifier();
  relation.alias = alias();
  return relation;
}

std::string Parser::alias() {
  if (acceptKeyword("AS")) return identifier();
  if (atIdentifier() && !startsClause(peek(), peek(1))) return identifier();
  return {};
}

JoinClause Parser::join() {
  JoinClause join;
  join.type = "INNER";
  if (acceptKeyword("LEFT")) {
    join.type = "LEFT";
  } else if (acceptKeyword("RIGHT")) {
    join.type = "RIGHT";
  } else if (acceptKeyword("FULL")) {
    join.type = "FULL";
  } else {
    acceptKeyword("INNER");
  }
  if (join.type != "INNER") acceptKeyword("OUTER");
  expectKeyword("JOIN");
  join.right = relation();
  // ksqlDB's grammar puts WITHIN before ON; after it is accepted too.
  bool on_first = acceptKeyword("ON");
  if (on_first) join.on = expression();
  if (atKeyword("WITHIN")) {
    const Token& first = next();
    if (atSymbol("(")) {
      skipBalanced();
    } else {
      windowSize();
    }
    if (acceptKeyword("GRACE")) {
      expectKeyword("PERIOD");
      windowSize();
    }
    join.within = std::string(textBetween(first, previous()));
  }
  if (!on_first) {
    expectKeyword("ON");
    join.on = expression();
  }
  return join;
}

WindowClause Parser::window() {
  if (atIdentifier() && atSymbol("(", 2)) next();  // ksqlDB lets a window be named
  const Token& first = peek();
  WindowClause window;
  if (!first.isKeyword("TUMBLING") && !first.isKeyword("HOPPING") && !first.isKeyword("SESSION")) {
    failAtOrNear(first);
  }
  window.type = upperCase(next().raw);
  skipBalanced();
  window.text = std::string(textBetween(first, previous()));
  return window;
}

bool Parser::atWindowUnit() const {
  static constexpr std::string_view kUnits[] = {"DAY",    "DAYS",   "HOUR",   "HOURS",       "MINUTE",
                                                "MINUTES", "SECOND", "SECONDS", "MILLISECOND", "MILLISECONDS"};
  for (std::string_view unit : kUnits) {
    if (atKeyword(unit)) return true;
  }
  return false;
}

void Parser::windowSize() {
  integerValue();
  if (!atWindowUnit()) failAtOrNear(peek());
  next();
}

void Parser::skipBalanced() {
  expectSymbol("(");
  int depth = 1;
  while (depth > 0) {
    const Token& token = next();
    if (token.kind == TokenKind::kEnd) failAtOrNear(token);
    if (token.isSymbol("(")) ++depth;
    if (token.isSymbol(")")) --depth;
  }
}

}  // namespace runnel::sql::internal
