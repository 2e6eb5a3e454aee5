#include "sql/engine/pull_query_keys.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql/expression.h"

namespace runnel::sql {
namespace {

// A read of every key fixed by its values: a key column -> the values it may take.
using KeyBounds = std::vector<std::vector<Value>>;

// A lookup would multiply out IN lists of several key columns; past this it scans.
constexpr size_t kMaxLookups = 1000;

void flatten(const Expr& expr, Operator op, std::vector<const Expr*>& out) {
  if (expr.kind == ExprKind::kBinary && expr.op == op) {
    for (const auto& child : expr.children) flatten(*child, op, out);
    return;
  }
  out.push_back(&expr);
}

class KeyExtractor {
 public:
  KeyExtractor(const DataSource& table, const std::string& alias, const FunctionRegistry& functions)
      : table_(table), alias_(alias), functions_(functions) {}

  Result<std::optional<std::vector<GenericKey>>> keys(const Expr& where) {
    std::vector<const Expr*> disjuncts;
    flatten(where, Operator::kOr, disjuncts);
    std::vector<GenericKey> out;
    for (const Expr* disjunct : disjuncts) {
      RUNNEL_ASSIGN_OR_RETURN(auto bounds, boundsOf(*disjunct));
      if (!bounds) return std::optional<std::vector<GenericKey>>();
      if (!expand(*bounds, out)) return std::optional<std::vector<GenericKey>>();
    }
    return std::optional<std::vector<GenericKey>>(std::move(out));
  }

 private:
  // The key column `expr` names, or -1.
  int keyColumn(const Expr& expr) const {
    if (expr.kind != ExprKind::kColumn) return -1;
    if (!expr.qualifier.empty() && expr.qualifier != alias_) return -1;
    for (size_t i = 0; i < table_.schema.key.size(); ++i) {
      if (table_.schema.key[i].name == expr.name) return static_cast<int>(i);
    }
    return -1;
  }

  // The value of an expression that reads no column, converted to key column `column`'s
  // type; nullopt when the expression needs a row.
  Result<std::optional<Value>> constant(const Expr& expr, int column) const {
    ExpressionScope no_columns;
    auto compiled = compileExpression(expr, no_columns, functions_);
    if (!compiled.isOk()) return std::optional<Value>();
    const Column& key = table_.schema.key[column];
    Value value = compiled->evaluate({});
    const SqlTypePtr& type = compiled->type();
    if (value.isNull() || !type || sameType(type, key.type)) return std::optional<Value>(std::move(value));
    if (type->isNumeric() && key.type->isNumeric()) {
      Value cast = castValue(value, *type, *key.type);
      if (!cast.isNull()) return std::optional<Value>(std::move(cast));
    }
    return Status::invalidArgument(fmt::format("{} can not be converted to the type of the key column: {} {} KEY",
                                               expr.text, key.name, key.type->toString()));
  }

  // What one conjunction fixes: each key column's values, or nullopt when a key column
  // is left open.
  Result<std::optional<KeyBounds>> boundsOf(const Expr& disjunct) const {
    std::vector<const Expr*> conjuncts;
    flatten(disjunct, Operator::kAnd, conjuncts);
    KeyBounds bounds(table_.schema.key.size());
    std::vector<bool> fixed(bounds.size(), false);
    for (const Expr* conjunct : conjuncts) {
      if (conjunct->kind == ExprKind::kBinary && conjunct->op == Operator::kEqual) {
        for (int side = 0; side < 2; ++side) {
          int column = keyColumn(*conjunct->children[side]);
          if (column < 0 || fixed[column]) continue;
          RUNNEL_ASSIGN_OR_RETURN(auto value, constant(*conjunct->children[1 - side], column));
          if (!value) continue;
          bounds[column] = {std::move(*value)};
          fixed[column] = true;
          break;
        }
      } else if (conjunct->kind == ExprKind::kIn && !conjunct->negated) {
        int column = keyColumn(*conjunct->children[0]);
        if (column < 0 || fixed[column]) continue;
        std::vector<Value> values;
        bool constant_list = true;
        for (size_t i = 1; i < conjunct->children.size() && constant_list; ++i) {
          RUNNEL_ASSIGN_OR_RETURN(auto value, constant(*conjunct->children[i], column));
          if (value) values.push_back(std::move(*value));
          constant_list = value.has_value();
        }
        if (!constant_list) continue;
        bounds[column] = std::move(values);
        fixed[column] = true;
      }
    }
    if (bounds.empty() || std::find(fixed.begin(), fixed.end(), false) != fixed.end()) {
      return std::optional<KeyBounds>();
    }
    return std::optional<KeyBounds>(std::move(bounds));
  }

  // Appends every combination of the bounds' values (NULLs name no key), each once.
  static bool expand(const KeyBounds& bounds, std::vector<GenericKey>& out) {
    size_t combinations = 1;
    for (const auto& values : bounds) combinations *= std::max<size_t>(values.size(), 1);
    if (out.size() + combinations > kMaxLookups) return false;
    for (size_t n = 0; n < combinations; ++n) {
      GenericKey key;
      bool has_null = false;
      size_t rest = n;
      for (size_t c = bounds.size(); c-- > 0;) {
        if (bounds[c].empty()) return true;
        const Value& value = bounds[c][rest % bounds[c].size()];
        rest /= bounds[c].size();
        has_null = has_null || value.isNull();
        key.values.insert(key.values.begin(), value);
      }
      if (!has_null && std::find(out.begin(), out.end(), key) == out.end()) out.push_back(std::move(key));
    }
    return true;
  }

  const DataSource& table_;
  const std::string& alias_;
  const FunctionRegistry& functions_;
};

bool readsColumns(const Expr& expr) {
  if (expr.kind == ExprKind::kColumn) return true;
  for (const auto& child : expr.children) {
    if (readsColumns(*child)) return true;
  }
  return false;
}

bool isComparison(Operator op) {
  return op == Operator::kEqual || op == Operator::kLess || op == Operator::kLessOrEqual || op == Operator::kGreater ||
         op == Operator::kGreaterOrEqual;
}

}  // namespace

KeyRange keyRangeOfWhere(const Expr* where, const DataSource& table, const std::string& alias) {
  auto keyColumn = [&](const Expr& expr) {
    if (expr.kind != ExprKind::kColumn || (!expr.qualifier.empty() && expr.qualifier != alias)) return -1;
    for (size_t i = 0; i < table.schema.key.size(); ++i) {
      if (table.schema.key[i].name == expr.name) return static_cast<int>(i);
    }
    return -1;
  };
  if (where == nullptr) return {};
  std::vector<const Expr*> disjuncts;
  flatten(*where, Operator::kOr, disjuncts);
  // A range scan reads one range of a single key column; anything else is a table scan.
  bool single_range = disjuncts.size() == 1 && table.schema.key.size() == 1;
  for (const Expr* disjunct : disjuncts) {
    std::vector<const Expr*> conjuncts;
    flatten(*disjunct, Operator::kAnd, conjuncts);
    std::vector<bool> bounded(table.schema.key.size(), false);
    for (const Expr* conjunct : conjuncts) {
      int column = -1;
      if (conjunct->kind == ExprKind::kBinary && isComparison(conjunct->op)) {
        for (int side = 0; side < 2 && column < 0; ++side) {
          if (!readsColumns(*conjunct->children[1 - side])) column = keyColumn(*conjunct->children[side]);
        }
      }
      if (column >= 0) bounded[column] = true;
    }
    size_t count = std::count(bounded.begin(), bounded.end(), true);
    if (count == 0) return {false, "WHERE clause missing key column for disjunct: " + disjunct->text};
    if (count < bounded.size()) return {false, "Multi-column sources must specify every key in the WHERE clause."};
  }
  return {single_range, {}};
}

Result<std::optional<std::vector<GenericKey>>> keysOfWhere(const Expr* where, const DataSource& table,
                                                           const std::string& alias,
                                                           const FunctionRegistry& functions) {
  if (where == nullptr || table.schema.key.empty()) return std::optional<std::vector<GenericKey>>();
  return KeyExtractor(table, alias, functions).keys(*where);
}

}  // namespace runnel::sql
