#include "sql/functions/signature.h"

#include <algorithm>

namespace runnel::sql::functions {
namespace {

// Position on the widening ladder; -1 for types that never widen.
int ladderRank(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt:
      return 0;
    case TypeKind::kBigint:
      return 1;
    case TypeKind::kDecimal:
      return 2;
    case TypeKind::kDouble:
      return 3;
    default:
      return -1;
  }
}

// The DECIMAL an integer widens to: just wide enough for every value of its type.
SqlTypePtr decimalFor(const SqlType& type) {
  if (type.kind == TypeKind::kInt) return SqlType::decimal(10, 0);
  if (type.kind == TypeKind::kBigint) return SqlType::decimal(19, 0);
  return nullptr;
}

SqlTypePtr asDecimal(const SqlTypePtr& type) {
  return type->kind == TypeKind::kDecimal ? type : decimalFor(*type);
}

// The narrowest DECIMAL that holds every value of both.
SqlTypePtr mergeDecimals(const SqlTypePtr& a, const SqlTypePtr& b) {
  const int scale = std::max(a->scale, b->scale);
  const int digits = std::max(a->precision - a->scale, b->precision - b->scale);
  return SqlType::decimal(std::min(38, digits + scale), scale);
}

// The cost of passing `arg` where `target` is declared; nullopt when it cannot be.
std::optional<int> wideningCost(const SqlType& arg, const SqlType& target) {
  if (arg == target) return 0;
  const int from = ladderRank(arg.kind);
  const int to = ladderRank(target.kind);
  if (from < 0 || to < 0 || to < from) return std::nullopt;
  if (target.kind == TypeKind::kDecimal) {
    // Only into a DECIMAL with room for every integer digit and every fraction digit.
    const SqlType& source = arg.kind == TypeKind::kDecimal ? arg : *decimalFor(arg);
    const bool fits = target.scale >= source.scale &&
                      target.precision - target.scale >= source.precision - source.scale;
    if (!fits) return std::nullopt;
    return std::max(1, to - from);
  }
  if (to == from) return std::nullopt;
  return to - from;
}

// The one type all generic T arguments bind to: equal types, or numeric ones widened to
// the widest of them.
std::optional<SqlTypePtr> unifyGeneric(const std::vector<SqlTypePtr>& types) {
  SqlTypePtr bound;
  for (const SqlTypePtr& type : types) {
    if (!type || sameType(bound, type)) continue;
    if (!bound) {
      bound = type;
      continue;
    }
    const int a = ladderRank(bound->kind);
    const int b = ladderRank(type->kind);
    if (a < 0 || b < 0) return std::nullopt;
    if (std::max(a, b) == ladderRank(TypeKind::kDouble)) {
      bound = SqlType::doubleType();
    } else if (std::max(a, b) == ladderRank(TypeKind::kDecimal)) {
      bound = mergeDecimals(asDecimal(bound), asDecimal(type));
    } else if (b > a) {
      bound = type;
    }
  }
  if (!bound) return std::nullopt;
  return bound;
}

std::string javaTypeName(const SqlType& type) {
  switch (type.kind) {
    case TypeKind::kInt:
      return "INT";
    case TypeKind::kString:
      return "VARCHAR";
    case TypeKind::kDecimal:
      return "DECIMAL";
    case TypeKind::kArray:
      return "ARRAY<" + javaTypeName(*type.element) + ">";
    case TypeKind::kMap:
      return "MAP<" + javaTypeName(*type.key) + ", " + javaTypeName(*type.element) + ">";
    default:
      return type.toString();
  }
}

std::string paramTypeName(const Param& param) {
  switch (param.kind) {
    case Param::Kind::kType:
      return javaTypeName(*param.type);
    case Param::Kind::kAnyDecimal:
      return "DECIMAL";
    case Param::Kind::kGeneric:
      return "T";
    case Param::Kind::kAny:
      return "ANY";
    case Param::Kind::kResolvedByBind:
      return "T";
  }
  return "?";
}

template <class Render>
std::string joinParams(const std::vector<Param>& params, bool variadic, Render render) {
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ", ";
    const bool repeated = variadic && i + 1 == params.size();
    out += render(params[i].name, paramTypeName(params[i]) + (repeated ? "[]" : ""));
  }
  return out;
}

}  // namespace

Param param(std::string name, SqlTypePtr type) {
  return {std::move(name), Param::Kind::kType, std::move(type)};
}
Param anyDecimal(std::string name) { return {std::move(name), Param::Kind::kAnyDecimal, nullptr}; }
Param generic(std::string name) { return {std::move(name), Param::Kind::kGeneric, nullptr}; }
Param anyType(std::string name) { return {std::move(name), Param::Kind::kAny, nullptr}; }
Param resolvedByBind(std::string name) {
  return {std::move(name), Param::Kind::kResolvedByBind, nullptr};
}

ScalarVariant fixedVariant(std::vector<Param> params, SqlTypePtr return_type, ScalarInvoke invoke,
                           std::string description, bool variadic) {
  ScalarVariant variant;
  variant.params = std::move(params);
  variant.variadic = variadic;
  variant.return_text = javaTypeName(*return_type);
  variant.description = std::move(description);
  variant.bind = [return_type = std::move(return_type), invoke = std::move(invoke)](
                     std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    return BoundScalarFunction{std::move(types), return_type, invoke};
  };
  return variant;
}

std::optional<SignatureMatch> matchSignature(const std::vector<Param>& params, bool variadic,
                                             std::span<const SqlTypePtr> arg_types) {
  const size_t fixed = variadic ? params.size() - 1 : params.size();
  if (arg_types.size() < fixed || (!variadic && arg_types.size() != fixed)) return std::nullopt;
  auto param_at = [&](size_t i) -> const Param& { return params[std::min(i, params.size() - 1)]; };

  std::vector<SqlTypePtr> generic_args;
  for (size_t i = 0; i < arg_types.size(); ++i) {
    if (param_at(i).kind == Param::Kind::kGeneric) generic_args.push_back(arg_types[i]);
  }
  SqlTypePtr generic_type;
  if (!generic_args.empty()) {
    auto unified = unifyGeneric(generic_args);
    if (!unified) return std::nullopt;
    generic_type = *unified;
  }

  SignatureMatch match;
  for (size_t i = 0; i < arg_types.size(); ++i) {
    const Param& p = param_at(i);
    const SqlTypePtr& arg = arg_types[i];
    SqlTypePtr target;
    switch (p.kind) {
      case Param::Kind::kType:
        target = p.type;
        break;
      case Param::Kind::kGeneric:
        target = generic_type;
        break;
      case Param::Kind::kAny:
        target = arg ? arg : SqlType::string();
        break;
      case Param::Kind::kResolvedByBind:
        match.param_types.push_back(arg);
        continue;
      case Param::Kind::kAnyDecimal:
        if (!arg) return std::nullopt;  // no precision to bind to
        if (arg->kind == TypeKind::kDecimal) {
          target = arg;
        } else {
          target = decimalFor(*arg);
          if (!target) return std::nullopt;
          match.cost += 2 - ladderRank(arg->kind);
        }
        break;
    }
    if (arg && p.kind != Param::Kind::kAnyDecimal) {
      auto cost = wideningCost(*arg, *target);
      if (!cost) return std::nullopt;
      match.cost += *cost;
    }
    match.param_types.push_back(std::move(target));
  }
  return match;
}

std::string paramsForError(const std::vector<Param>& params, bool variadic) {
  return joinParams(params, variadic, [](const std::string& name, const std::string& type) {
    return type + " " + name;
  });
}

std::string paramsForDescribe(const std::vector<Param>& params, bool variadic) {
  return joinParams(params, variadic, [](const std::string& name, const std::string& type) {
    return name + " " + type;
  });
}

std::vector<FunctionDescription::Argument> describeArguments(const std::vector<Param>& params, bool variadic) {
  std::vector<FunctionDescription::Argument> out;
  for (size_t i = 0; i < params.size(); ++i) {
    out.push_back({params[i].name, paramTypeName(params[i]), variadic && i + 1 == params.size()});
  }
  return out;
}

std::string argumentTypesText(std::span<const SqlTypePtr> arg_types) {
  std::string out = "(";
  for (size_t i = 0; i < arg_types.size(); ++i) {
    if (i > 0) out += ", ";
    out += arg_types[i] ? arg_types[i]->toString() : "null";
  }
  return out + ")";
}

}  // namespace runnel::sql::functions
