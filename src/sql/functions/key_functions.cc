#include "sql/functions/catalog.h"

// Functions about a row's key and value columns.
namespace runnel::sql::functions {

void registerKeyFunctions(Catalog& catalog) {
  ScalarVariant identity;
  identity.params = {generic("source")};
  identity.return_text = "T";
  identity.bind = [](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    SqlTypePtr type = types[0];
    return BoundScalarFunction{std::move(types), std::move(type),
                               [](std::span<const Value> args) { return args[0]; }};
  };
  // The value is the argument's; what AS_VALUE changes is where the query puts it: an
  // expression that is not a bare key column lands in the value.
  catalog.addScalar(ScalarFunction{"AS_VALUE", "AS_VALUE", "OTHER",
                                   "Used exclusively in the projection of a query to allow a key column to be "
                                   "copied into the value schema.",
                                   {std::move(identity)}});
}

}  // namespace runnel::sql::functions
