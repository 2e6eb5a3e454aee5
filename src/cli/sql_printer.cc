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

}  // namespace

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
      std::vector<std::vector<std::string>> rows;
      if (auto fields = source.find("fields"); fields && fields->getArray().isOk()) {
        json::Array items = *fields->getArray();
        for (auto item : items) {
          auto field = *item.getObject();
          std::string column_type;
          if (auto schema = field.find("schema"); schema && schema->getObject().isOk()) {
            column_type = member(*schema->getObject(), "type");
          }
          if (column_type == "STRING") column_type = "VARCHAR(STRING)";
          if (member(field, "type") == "KEY") {
            column_type += member(source, "type") == "TABLE" ? " (primary key)" : " (key)";
          }
          rows.push_back({member(field, "name"), column_type});
        }
      }
      printTable({"Field", "Type"}, rows);
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
