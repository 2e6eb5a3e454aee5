#include "cli/sql_printer.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/json_reader.h"
#include "common/json_tree.h"

namespace runnel::cli {
namespace {

std::string text(const json::Value& value) {
  switch (value.type()) {
    case json::Type::kNull: return "null";
    case json::Type::kString: return std::string(*value.getString());
    case json::Type::kBool: return *value.getBool() ? "true" : "false";
    case json::Type::kInt64: return std::to_string(*value.getInt64());
    case json::Type::kUint64: return std::to_string(*value.getUint64());
    case json::Type::kDouble: return fmt::format("{}", *value.getDouble());
    default: return "...";
  }
}

std::string member(const json::Object& object, std::string_view name) {
  auto value = object.find(name);
  return value ? text(*value) : std::string();
}

std::string pad(std::string_view cell, size_t width) {
  std::string out(cell);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

// The rows of a "fields" list (ksqlDB's FieldInfo) as the CLI's Field / Type table shows them.
std::vector<std::vector<std::string>> fieldRows(const json::Object& holder, bool is_table) {
  std::vector<std::vector<std::string>> rows;
  auto fields = holder.find("fields");
  if (!fields || !fields->getArray().isOk()) return rows;
  json::Array items = *fields->getArray();
  for (auto item : items) {
    auto field = *item.getObject();
    std::string column_type;
    if (auto schema = field.find("schema"); schema && schema->getObject().isOk()) {
      column_type = member(*schema->getObject(), "type");
    }
    if (column_type == "STRING") column_type = "VARCHAR(STRING)";
    if (member(field, "type") == "KEY") column_type += is_table ? " (primary key)" : " (key)";
    rows.push_back({member(field, "name"), column_type});
  }
  return rows;
}

std::vector<std::string> strings(const json::Object& holder, std::string_view name) {
  std::vector<std::string> out;
  auto list = holder.find(name);
  if (!list || !list->getArray().isOk()) return out;
  json::Array items = *list->getArray();
  for (auto item : items) out.push_back(text(item));
  return out;
}

}  // namespace

void SqlPrinter::printFunction(const json::Object& function) {
  std::string name = member(function, "name");
  auto line = [&](std::string_view label, const std::string& value, bool sub = false) {
    out_ << (sub ? "\t" : "") << fmt::format("{:<12}: {}\n", label, value);
  };
  out_ << "\n";
  line("Name", name);
  if (std::string author = member(function, "author"); !author.empty()) line("Author", author);
  if (std::string version = member(function, "version"); !version.empty()) line("Version", version);
  if (std::string overview = member(function, "description"); !overview.empty()) line("Overview", overview);
  line("Type", member(function, "type"));
  line("Jar", member(function, "path"));
  line("Variations", "");
  auto variants = function.find("functions");
  if (!variants || !variants->getArray().isOk()) return;
  json::Array items = *variants->getArray();
  for (auto item : items) {
    auto variant = *item.getObject();
    std::string arguments;
    std::vector<std::pair<std::string, std::string>> described;
    if (auto list = variant.find("arguments"); list && list->getArray().isOk()) {
      json::Array args = *list->getArray();
      for (auto arg_value : args) {
        auto arg = *arg_value.getObject();
        std::string type = member(arg, "type") + (member(arg, "isVariadic") == "true" ? "[]" : "");
        std::string arg_name = member(arg, "name");
        arguments += (arguments.empty() ? "" : ", ") + (arg_name.empty() ? type : arg_name + " " + type);
        if (std::string about = member(arg, "description"); !about.empty()) described.emplace_back(arg_name, about);
      }
    }
    out_ << "\n";
    line("Variation", fmt::format("{}({})", name, arguments), true);
    line("Returns", member(variant, "returnType"), true);
    if (std::string about = member(variant, "description"); !about.empty()) line("Description", about, true);
    for (const auto& [arg_name, about] : described) line(arg_name, about, true);
  }
}

void SqlPrinter::printQueryDescription(const json::Object& query) {
  auto line = [&](std::string_view label, const std::string& value) {
    out_ << fmt::format("{:<20} : {}\n", label, value);
  };
  auto heading = [&](std::string_view title, std::string_view rule) {
    out_ << fmt::format("\n{:<20}\n{:<20}\n", title, rule);
  };
  out_ << "\n";
  line("ID", member(query, "id"));
  line("Query Type", member(query, "queryType"));
  if (std::string sql = member(query, "statementText"); !sql.empty()) line("SQL", sql);
  if (auto rows = fieldRows(query, false); !rows.empty()) printTable({"Field", "Type"}, rows);
  if (auto sources = strings(query, "sources"); !sources.empty()) {
    heading("Sources that this query reads from: ", "-----------------------------------");
    for (const auto& source : sources) out_ << source << "\n";
    out_ << "\nFor source description please run: DESCRIBE [EXTENDED] <SourceId>\n";
  }
  if (auto sinks = strings(query, "sinks"); !sinks.empty()) {
    heading("Sinks that this query writes to: ", "-----------------------------------");
    for (const auto& sink : sinks) out_ << sink << "\n";
    out_ << "\nFor sink description please run: DESCRIBE [EXTENDED] <SinkId>\n";
  }
  if (std::string plan = member(query, "executionPlan"); !plan.empty()) {
    heading("Execution plan", "--------------");
    out_ << plan << "\n";
  }
  if (std::string topology = member(query, "topology"); !topology.empty()) {
    heading("Processing topology", "-------------------");
    out_ << topology << "\n";
  }
  if (auto properties = query.find("overriddenProperties"); properties && properties->getObject().isOk()) {
    std::vector<std::vector<std::string>> rows;
    json::Object overridden = *properties->getObject();
    for (auto [name, value] : overridden) rows.push_back({std::string(name), text(value)});
    if (!rows.empty()) {
      heading("Overridden Properties", "---------------------");
      printTable({"Property", "Value"}, rows);
    }
  }
}

void SqlPrinter::printTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    widths[c] = header[c].size();
    for (const auto& row : rows) widths[c] = std::max(widths[c], c < row.size() ? row[c].size() : 0);
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < widths.size(); ++c) {
      out += (c == 0 ? " " : " | ") + pad(c < cells.size() ? cells[c] : "", widths[c]);
    }
    return out + " ";
  };
  std::string first = line(header);
  std::string rule(first.size(), '-');
  out_ << "\n" << first << "\n" << rule << "\n";
  for (const auto& row : rows) out_ << line(row) << "\n";
  out_ << rule << "\n";
}

Status SqlPrinter::printEntities(std::string_view body) {
  if (format_ == OutputFormat::kJson) {
    out_ << body << "\n";
    return Status::ok();
  }
  json::Parser parser;
  RUNNEL_ASSIGN_OR_RETURN(auto root, parser.parse(body));
  RUNNEL_ASSIGN_OR_RETURN(auto entities, root.getArray());
  for (auto entity_value : entities) {
    RUNNEL_ASSIGN_OR_RETURN(auto entity, entity_value.getObject());
    std::string type = member(entity, "@type");
    if (type == "currentStatus") {
      auto status = entity.find("commandStatus");
      std::string message = status && status->getObject().isOk() ? member(*status->getObject(), "message") : "";
      if (!message.empty()) printTable({"Message"}, {{message}});
    } else if (type == "streams" || type == "tables") {
      bool streams = type == "streams";
      std::vector<std::vector<std::string>> rows;
      if (auto list = entity.find(type); list && list->getArray().isOk()) {
        json::Array items = *list->getArray();
        for (auto item : items) {
          auto source = *item.getObject();
          rows.push_back({member(source, "name"), member(source, "topic"), member(source, "keyFormat"),
                          member(source, "valueFormat"), member(source, "isWindowed")});
        }
      }
      printTable({streams ? "Stream Name" : "Table Name", "Kafka Topic", "Key Format", "Value Format", "Windowed"},
                 rows);
    } else if (type == "queries") {
      std::vector<std::vector<std::string>> rows;
      if (auto list = entity.find("queries"); list && list->getArray().isOk()) {
        json::Array items = *list->getArray();
        for (auto item : items) {
          auto query = *item.getObject();
          rows.push_back({member(query, "id"), member(query, "queryType"), member(query, "state"),
                          member(query, "queryString")});
        }
      }
      printTable({"Query ID", "Query Type", "Status", "Query"}, rows);
    } else if (type == "kafka_topics") {
      std::vector<std::vector<std::string>> rows;
      if (auto list = entity.find("topics"); list && list->getArray().isOk()) {
        json::Array items = *list->getArray();
        for (auto item : items) rows.push_back({member(*item.getObject(), "name")});
      }
      printTable({"Kafka Topic"}, rows);
    } else if (type == "sourceDescription") {
      auto description = entity.find("sourceDescription");
      if (!description || !description->getObject().isOk()) continue;
      auto source = *description->getObject();
      out_ << "\nName                 : " << member(source, "name") << "\n";
      printTable({"Field", "Type"}, fieldRows(source, member(source, "type") == "TABLE"));
      out_ << "For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;\n";
    } else if (type == "properties" || type == "variables") {
      bool properties = type == "properties";
      std::vector<std::vector<std::string>> rows;
      if (auto list = entity.find(type); list && list->getArray().isOk()) {
        json::Array items = *list->getArray();
        for (auto item : items) {
          auto property = *item.getObject();
          rows.push_back({member(property, "name"), member(property, "value")});
        }
      }
      printTable({properties ? "Property" : "Variable Name", "Value"}, rows);
    } else if (type == "function_names") {
      std::vector<std::vector<std::string>> rows;
      if (auto list = entity.find("functions"); list && list->getArray().isOk()) {
        json::Array items = *list->getArray();
        for (auto item : items) {
          auto function = *item.getObject();
          rows.push_back({member(function, "name"), member(function, "type")});
        }
      }
      printTable({"Function Name", "Type"}, rows);
    } else if (type == "describe_function") {
      printFunction(entity);
    } else if (type == "queryDescription") {
      if (auto query = entity.find("queryDescription"); query && query->getObject().isOk()) {
        printQueryDescription(*query->getObject());
      }
    } else {
      out_ << body << "\n";
    }
  }
  return Status::ok();
}

void SqlPrinter::printError(std::string_view body) {
  json::Parser parser;
  auto root = parser.parse(body);
  if (root.isOk() && root->getObject().isOk()) {
    std::string message = member(*root->getObject(), "message");
    if (!message.empty()) {
      out_ << message << "\n";
      return;
    }
  }
  out_ << body << "\n";
}

void SqlPrinter::startRows(const std::vector<std::string>& columns) {
  widths_.clear();
  if (format_ == OutputFormat::kJson) return;
  std::string border = "+";
  std::string names = "|";
  for (const auto& column : columns) {
    size_t width = std::max<size_t>(column.size(), 20);
    widths_.push_back(width);
    border += std::string(width, '-') + "+";
    names += pad(column, width) + "|";
  }
  out_ << border << "\n" << names << "\n" << border << "\n";
  out_.flush();
}

void SqlPrinter::printRow(std::string_view row_json) {
  if (format_ == OutputFormat::kJson) {
    out_ << row_json << "\n";
    out_.flush();
    return;
  }
  auto row = json::parseJsonTree(row_json);
  if (!row.isOk() || row->kind != json::JsonTree::Kind::kArray) {
    out_ << row_json << "\n";
    return;
  }
  std::string line = "|";
  for (size_t c = 0; c < row->items.size(); ++c) {
    const json::JsonTree& value = row->items[c];
    std::string cell = value.kind == json::JsonTree::Kind::kString ? value.text : value.toJson();
    line += pad(cell, c < widths_.size() ? widths_[c] : cell.size()) + "|";
  }
  out_ << line << "\n";
  out_.flush();
}

void SqlPrinter::endRows(std::string_view message) {
  if (!message.empty()) out_ << message << "\n";
  out_.flush();
}

}  // namespace runnel::cli
