#include "common/json_tree.h"

#include <cmath>

#include "common/json_reader.h"
#include "common/json_writer.h"

namespace runnel::json {
namespace {

Result<JsonTree> convert(const json::Value& value) {
  JsonTree tree;
  switch (value.type()) {
    case json::Type::kNull: break;
    case json::Type::kBool:
      tree.kind = JsonTree::Kind::kBool;
      tree.boolean = *value.getBool();
      break;
    case json::Type::kInt64: {
      tree.kind = JsonTree::Kind::kNumber;
      int64_t number = *value.getInt64();
      tree.number = static_cast<double>(number);
      tree.text = std::to_string(number);
      break;
    }
    case json::Type::kUint64: {
      tree.kind = JsonTree::Kind::kNumber;
      uint64_t number = *value.getUint64();
      tree.number = static_cast<double>(number);
      tree.text = std::to_string(number);
      break;
    }
    case json::Type::kDouble: {
      tree.kind = JsonTree::Kind::kNumber;
      tree.number = *value.getDouble();
      std::string text;
      json::Writer(text).writeDouble(tree.number);
      tree.text = text;
      break;
    }
    case json::Type::kString:
      tree.kind = JsonTree::Kind::kString;
      tree.text = std::string(*value.getString());
      break;
    case json::Type::kArray: {
      tree.kind = JsonTree::Kind::kArray;
      RUNNEL_ASSIGN_OR_RETURN(auto array, value.getArray());
      for (auto item : array) {
        RUNNEL_ASSIGN_OR_RETURN(auto child, convert(item));
        tree.items.push_back(std::move(child));
      }
      break;
    }
    case json::Type::kObject: {
      tree.kind = JsonTree::Kind::kObject;
      RUNNEL_ASSIGN_OR_RETURN(auto object, value.getObject());
      for (auto [name, member] : object) {
        RUNNEL_ASSIGN_OR_RETURN(auto child, convert(member));
        tree.members.emplace_back(std::string(name), std::move(child));
      }
      break;
    }
  }
  return tree;
}

void write(const JsonTree& tree, json::Writer& writer) {
  switch (tree.kind) {
    case JsonTree::Kind::kNull: writer.writeNull(); break;
    case JsonTree::Kind::kBool: writer.writeBool(tree.boolean); break;
    case JsonTree::Kind::kNumber: writer.writeRaw(tree.text); break;
    case JsonTree::Kind::kString: writer.writeString(tree.text); break;
    case JsonTree::Kind::kArray:
      writer.startArray();
      for (const auto& item : tree.items) write(item, writer);
      writer.endArray();
      break;
    case JsonTree::Kind::kObject:
      writer.startObject();
      for (const auto& [name, member] : tree.members) {
        writer.writeKey(name);
        write(member, writer);
      }
      writer.endObject();
      break;
  }
}

}  // namespace

std::string withoutComments(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      out.push_back('\n');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const JsonTree* JsonTree::find(std::string_view name) const {
  for (const auto& [member_name, member] : members) {
    if (member_name == name) return &member;
  }
  return nullptr;
}

std::string JsonTree::toJson() const {
  std::string out;
  json::Writer writer(out);
  write(*this, writer);
  return out;
}

Result<JsonTree> parseJsonTree(std::string_view text, bool lenient) {
  json::Parser parser;
  std::string cleaned = lenient ? withoutComments(text) : std::string(text);
  RUNNEL_ASSIGN_OR_RETURN(auto root, parser.parse(cleaned));
  return convert(root);
}

bool sameJson(const JsonTree& a, const JsonTree& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case JsonTree::Kind::kNull: return true;
    case JsonTree::Kind::kBool: return a.boolean == b.boolean;
    case JsonTree::Kind::kNumber:
      return a.number == b.number || (std::isnan(a.number) && std::isnan(b.number));
    case JsonTree::Kind::kString: return a.text == b.text;
    case JsonTree::Kind::kArray:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (!sameJson(a.items[i], b.items[i])) return false;
      }
      return true;
    case JsonTree::Kind::kObject:
      if (a.members.size() != b.members.size()) return false;
      for (const auto& [name, member] : a.members) {
        const JsonTree* other = b.find(name);
        if (other == nullptr || !sameJson(member, *other)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace runnel::json
