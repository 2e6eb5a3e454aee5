#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "sql/functions/registry_impl.h"
#include "sql/functions/signature.h"

namespace runnel::sql {
namespace {

using functions::matchSignature;
using functions::Param;
using functions::SignatureMatch;

std::string upperCase(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

Status unknownFunction(const std::string& name) {
  return Status::notFound(fmt::format("Can't find any functions with the name '{}'", name));
}

template <class Variant>
Status rejectedTypes(const std::string& display_name, const std::vector<Variant>& variants,
                     std::span<const SqlTypePtr> arg_types) {
  std::string message = fmt::format(
      "Function '{}' does not accept parameters {}.\nValid alternatives are:", display_name,
      functions::argumentTypesText(arg_types));
  for (const Variant& variant : variants) {
    std::string params = functions::paramsForError(variant.params, variant.variadic);
    if constexpr (requires { variant.literal_params; }) {
      if (!variant.literal_params.empty()) {
        if (!params.empty()) params += ", ";
        params += functions::paramsForError(variant.literal_params, false);
      }
    }
    message += fmt::format("\n{}({})", display_name, params);
  }
  return Status::invalidArgument(std::move(message));
}

struct Candidate {
  size_t variant = 0;
  SignatureMatch match;
};

// The cheapest matching variant. A tie is ambiguous, as in ksqlDB, unless a NULL argument
// caused it (NULL fits every parameter): then the first declared variant wins.
template <class Variant, class Matcher>
Result<Candidate> pickVariant(const std::string& display_name, const std::vector<Variant>& variants,
                              std::span<const SqlTypePtr> arg_types, Matcher matches) {
  std::optional<Candidate> best;
  bool tied = false;
  for (size_t i = 0; i < variants.size(); ++i) {
    auto match = matches(variants[i]);
    if (!match) continue;
    // A fixed signature beats a variadic one at equal cost.
    auto rank = [&](size_t v, int cost) { return std::pair(cost, variants[v].variadic); };
    if (!best || rank(i, match->cost) < rank(best->variant, best->match.cost)) {
      best = Candidate{i, std::move(*match)};
      tied = false;
    } else if (rank(i, match->cost) == rank(best->variant, best->match.cost)) {
      tied = true;
    }
  }
  if (!best) return rejectedTypes(display_name, variants, arg_types);
  const bool has_null =
      std::any_of(arg_types.begin(), arg_types.end(), [](const SqlTypePtr& t) { return !t; });
  if (tied && !has_null) {
    return Status::invalidArgument(
        fmt::format("Function '{}' cannot be resolved due to ambiguous method parameters {}.",
                    display_name, functions::argumentTypesText(arg_types)));
  }
  return *std::move(best);
}

// The type a literal argument has, for matching literal parameters and for messages.
SqlTypePtr literalType(const Value& value) {
  if (value.is<bool>()) return SqlType::boolean();
  if (value.is<int32_t>()) return SqlType::integer();
  if (value.is<int64_t>()) return SqlType::bigint();
  if (value.is<double>()) return SqlType::doubleType();
  if (value.is<std::string>()) return SqlType::string();
  return nullptr;
}

bool literalFits(const Param& param, const Value& value) {
  if (param.kind == Param::Kind::kAny) return true;
  switch (param.type->kind) {
    case TypeKind::kBoolean:
      return value.is<bool>();
    case TypeKind::kInt:
      return value.is<int32_t>() ||
             (value.is<int64_t>() && value.asBigint() == static_cast<int32_t>(value.asBigint()));
    case TypeKind::kBigint:
      return value.is<int32_t>() || value.is<int64_t>();
    default:
      return false;
  }
}

FunctionDescription::Variant describeVariant(const auto& variant) {
  std::string arguments = functions::paramsForDescribe(variant.params, variant.variadic);
  auto argument_list = functions::describeArguments(variant.params, variant.variadic);
  if constexpr (requires { variant.literal_params; }) {
    if (!variant.literal_params.empty()) {
      if (!arguments.empty()) arguments += ", ";
      arguments += functions::paramsForDescribe(variant.literal_params, false);
      auto literals = functions::describeArguments(variant.literal_params, false);
      argument_list.insert(argument_list.end(), literals.begin(), literals.end());
    }
  }
  return {std::move(arguments), variant.return_text, variant.description, std::move(argument_list)};
}

FunctionDescription describeScalar(const functions::ScalarFunction& function) {
  FunctionDescription description{
      function.name, "SCALAR", function.category, function.description, {}};
  for (const auto& variant : function.variants)
    description.variants.push_back(describeVariant(variant));
  return description;
}

FunctionDescription describeAggregate(const functions::AggregateFunctionDef& function) {
  FunctionDescription description{
      function.name, "AGGREGATE", "AGGREGATE", function.description, {}};
  for (const auto& variant : function.variants)
    description.variants.push_back(describeVariant(variant));
  return description;
}

}  // namespace

FunctionRegistry::Impl::Impl() {
  functions::Catalog catalog;
  functions::registerStringFunctions(catalog);
  functions::registerMathFunctions(catalog);
  functions::registerConditionalFunctions(catalog);
  functions::registerJsonFunctions(catalog);
  functions::registerDateTimeFunctions(catalog);
  functions::registerBasicAggregates(catalog);
  functions::registerOffsetAggregates(catalog);
  functions::registerCollectionAggregates(catalog);
  functions::registerKeyFunctions(catalog);
  functions::registerComparisonFunctions(catalog);
  functions::registerBytesFunctions(catalog);
  functions::registerCollectionFunctions(catalog);
  scalars_ = std::move(catalog.scalars());
  aggregates_ = std::move(catalog.aggregates());
  for (size_t i = 0; i < scalars_.size(); ++i) scalar_index_.emplace(scalars_[i].name, i);
  for (size_t i = 0; i < aggregates_.size(); ++i) aggregate_index_.emplace(aggregates_[i].name, i);
}

const functions::ScalarFunction* FunctionRegistry::Impl::findScalar(
    const std::string& upper_name) const {
  auto it = scalar_index_.find(upper_name);
  return it == scalar_index_.end() ? nullptr : &scalars_[it->second];
}

const functions::AggregateFunctionDef* FunctionRegistry::Impl::findAggregate(
    const std::string& upper_name) const {
  auto it = aggregate_index_.find(upper_name);
  return it == aggregate_index_.end() ? nullptr : &aggregates_[it->second];
}

FunctionRegistry::FunctionRegistry() : impl_(std::make_unique<Impl>()) {}

const FunctionRegistry& FunctionRegistry::builtin() {
  static const FunctionRegistry registry;
  return registry;
}

Result<BoundScalarFunction> FunctionRegistry::bindScalar(
    const std::string& name, const std::vector<SqlTypePtr>& arg_types) const {
  const functions::ScalarFunction* function = impl_->findScalar(upperCase(name));
  if (!function) return unknownFunction(name);
  RUNNEL_ASSIGN_OR_RETURN(Candidate chosen,
                          pickVariant(function->display_name, function->variants, arg_types,
                                      [&](const functions::ScalarVariant& variant) {
                                        return matchSignature(variant.params, variant.variadic,
                                                              arg_types);
                                      }));
  return function->variants[chosen.variant].bind(std::move(chosen.match.param_types));
}

bool FunctionRegistry::isAggregate(const std::string& name) const {
  return impl_->findAggregate(upperCase(name)) != nullptr;
}

Result<std::unique_ptr<AggregateFunction>> FunctionRegistry::makeAggregate(
    const std::string& name, const std::vector<SqlTypePtr>& arg_types,
    const std::vector<Value>& literal_args) const {
  const functions::AggregateFunctionDef* function = impl_->findAggregate(upperCase(name));
  if (!function) return unknownFunction(name);
  std::vector<SqlTypePtr> all_types = arg_types;  // what an error message lists
  for (const Value& literal : literal_args) all_types.push_back(literalType(literal));
  RUNNEL_ASSIGN_OR_RETURN(
      Candidate chosen,
      pickVariant(function->name, function->variants, all_types,
                  [&](const functions::AggregateVariant& variant) -> std::optional<SignatureMatch> {
                    if (variant.literal_params.size() != literal_args.size()) return std::nullopt;
                    for (size_t i = 0; i < literal_args.size(); ++i) {
                      if (!literalFits(variant.literal_params[i], literal_args[i]))
                        return std::nullopt;
                    }
                    return matchSignature(variant.params, variant.variadic, arg_types);
                  }));
  return function->variants[chosen.variant].make(std::move(chosen.match.param_types), literal_args);
}

std::vector<FunctionDescription> FunctionRegistry::list() const {
  std::vector<FunctionDescription> all;
  for (const auto& function : impl_->scalars()) all.push_back(describeScalar(function));
  for (const auto& function : impl_->aggregates()) all.push_back(describeAggregate(function));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return all;
}

Result<FunctionDescription> FunctionRegistry::describe(const std::string& name) const {
  const std::string upper = upperCase(name);
  if (const auto* scalar = impl_->findScalar(upper)) return describeScalar(*scalar);
  if (const auto* aggregate = impl_->findAggregate(upper)) return describeAggregate(*aggregate);
  return unknownFunction(name);
}

Value AggregateFunction::undo(std::span<const Value>, Value aggregate) const {
  // Only functions that support undo are planned onto tables (supportsUndo()); the engine
  // never asks the others to take a record back.
  return aggregate;
}

}  // namespace runnel::sql
