#include "sql/engine/metastore.h"

#include <algorithm>

namespace runnel::sql {

const DataSource* MetaStore::source(const std::string& name) const {
  auto it = sources_.find(name);
  return it == sources_.end() ? nullptr : &it->second;
}

SqlTypePtr MetaStore::type(const std::string& name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second;
}

const QueryInfo* MetaStore::query(const std::string& id) const {
  auto it = queries_.find(id);
  return it == queries_.end() ? nullptr : &it->second;
}

QueryInfo* MetaStore::mutableQuery(const std::string& id) {
  auto it = queries_.find(id);
  return it == queries_.end() ? nullptr : &it->second;
}

std::vector<std::string> MetaStore::queriesReading(const std::string& source) const {
  std::vector<std::string> out;
  for (const auto& [id, query] : queries_) {
    if (std::find(query.sources.begin(), query.sources.end(), source) != query.sources.end()) out.push_back(id);
  }
  return out;
}

std::vector<std::string> MetaStore::queriesWriting(const std::string& source) const {
  std::vector<std::string> out;
  for (const auto& [id, query] : queries_) {
    if (query.sink == source) out.push_back(id);
  }
  return out;
}

}  // namespace runnel::sql
