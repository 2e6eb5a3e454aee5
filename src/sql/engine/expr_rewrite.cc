#include "sql/engine/expr_rewrite.h"

namespace runnel::sql {

ExprPtr makeColumnRef(const std::string& name, const std::string& qualifier) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kColumn;
  expr->name = name;
  expr->qualifier = qualifier;
  expr->text = qualifier.empty() ? name : qualifier + "." + name;
  return expr;
}

bool sameExpression(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || a.children.size() != b.children.size()) return false;
  if (a.kind == ExprKind::kColumn) return a.name == b.name;
  if (a.op != b.op || a.name != b.name || a.negated != b.negated || a.has_operand != b.has_operand ||
      a.has_else != b.has_else || a.star != b.star || a.distinct != b.distinct || a.field_names != b.field_names) {
    return false;
  }
  if (a.kind == ExprKind::kLiteral && !(a.literal == b.literal && sameType(a.literal_type, b.literal_type))) {
    return false;
  }
  if (a.kind == ExprKind::kCast && !sameType(a.target_type, b.target_type)) return false;
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!sameExpression(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

ExprPtr rewriteExpression(const ExprPtr& expr, const std::function<ExprPtr(const ExprPtr&)>& replace) {
  if (ExprPtr replaced = replace(expr)) return replaced;
  if (expr->children.empty()) return expr;
  auto copy = std::make_shared<Expr>(*expr);
  for (auto& child : copy->children) child = rewriteExpression(child, replace);
  return copy;
}

void forEachColumn(const Expr& expr, const std::function<void(const Expr&)>& visit) {
  if (expr.kind == ExprKind::kColumn) visit(expr);
  if (expr.kind == ExprKind::kLambda) return;  // its parameters are not columns
  for (const auto& child : expr.children) forEachColumn(*child, visit);
}

std::string implicitColumnName(const Expr& expr) {
  if (expr.kind == ExprKind::kColumn) return expr.name;
  if (expr.kind == ExprKind::kDereference) return expr.name;
  return {};
}

}  // namespace runnel::sql
