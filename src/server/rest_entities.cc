#include "server/rest_entities.h"

#include "common/json_writer.h"

namespace runnel::server {
namespace {

using Kind = sql::StatementResult::Kind;

void writeSources(json::Writer& writer, const char* type, const char* member,
                  const std::vector<sql::SourceSummary>& sources) {
  writer.writeKey("@type");
  writer.writeString(type);
  writer.writeKey(member);
  writer.startArray();
  for (const auto& source : sources) {
    writer.startObject();
    writer.writeKey("type");
    writer.writeString(source.type);
    writer.writeKey("name");
    writer.writeString(source.name);
    writer.writeKey("topic");
    writer.writeString(source.topic);
    writer.writeKey("keyFormat");
    writer.writeString(source.key_format);
    writer.writeKey("valueFormat");
    writer.writeString(source.value_format);
    writer.writeKey("isWindowed");
    writer.writeBool(source.windowed);
    writer.endObject();
  }
  writer.endArray();
}

void writeQueries(json::Writer& writer, const std::vector<sql::QuerySummary>& queries) {
  writer.writeKey("@type");
  writer.writeString("queries");
  writer.writeKey("queries");
  writer.startArray();
  for (const auto& query : queries) {
    writer.startObject();
    writer.writeKey("queryString");
    writer.writeString(query.statement_text);
    writer.writeKey("sinks");
    writer.startArray();
    writer.writeString(query.sink);
    writer.endArray();
    writer.writeKey("sinkKafkaTopics");
    writer.startArray();
    writer.writeString(query.sink_topic);
    writer.endArray();
    writer.writeKey("id");
    writer.writeString(query.id);
    writer.writeKey("statusCount");
    writer.startObject();
    writer.writeKey(query.state);
    writer.writeInt64(1);
    writer.endObject();
    writer.writeKey("queryType");
    writer.writeString("PERSISTENT");
    writer.writeKey("state");
    writer.writeString(query.state);
    writer.endObject();
  }
  writer.endArray();
}

// ksqlDB's FieldInfo list: {"name", "schema": {"type", ...}, "type": "KEY" for key columns}.
void writeFields(json::Writer& writer, const std::vector<sql::FieldDescription>& fields) {
  writer.writeKey("fields");
  writer.startArray();
  for (const auto& field : fields) {
    writer.startObject();
    writer.writeKey("name");
    writer.writeString(field.name);
    writer.writeKey("schema");
    writer.startObject();
    writer.writeKey("type");
    writer.writeString(field.type);
    writer.writeKey("fields");
    writer.writeNull();
    writer.writeKey("memberSchema");
    writer.writeNull();
    writer.endObject();
    if (!field.key.empty()) {
      writer.writeKey("type");
      writer.writeString("KEY");
    }
    writer.endObject();
  }
  writer.endArray();
}

void writeStrings(json::Writer& writer, const char* key, const std::vector<std::string>& values) {
  writer.writeKey(key);
  writer.startArray();
  for (const auto& value : values) writer.writeString(value);
  writer.endArray();
}

// ksqlDB's FunctionDescriptionList ("describe_function"); built-in functions are
// Confluent's, from the "internal" jar, as ksqlDB labels its own.
void writeFunction(json::Writer& writer, const sql::FunctionDescription& function) {
  writer.writeKey("@type");
  writer.writeString("describe_function");
  writer.writeKey("name");
  writer.writeString(function.name);
  writer.writeKey("description");
  writer.writeString(function.description);
  writer.writeKey("author");
  writer.writeString("Confluent");
  writer.writeKey("version");
  writer.writeString("");
  writer.writeKey("path");
  writer.writeString("internal");
  writer.writeKey("functions");
  writer.startArray();
  for (const auto& variant : function.variants) {
    writer.startObject();
    writer.writeKey("arguments");
    writer.startArray();
    for (const auto& argument : variant.argument_list) {
      writer.startObject();
      writer.writeKey("name");
      writer.writeString(argument.name);
      writer.writeKey("type");
      writer.writeString(argument.type);
      writer.writeKey("description");
      writer.writeString("");
      writer.writeKey("isVariadic");
      writer.writeBool(argument.variadic);
      writer.endObject();
    }
    writer.endArray();
    writer.writeKey("returnType");
    writer.writeString(variant.return_type);
    writer.writeKey("description");
    writer.writeString(variant.description);
    std::vector<std::string> types;
    for (const auto& argument : variant.argument_list) types.push_back(argument.type);
    writeStrings(writer, "argumentTypes", types);
    writer.endObject();
  }
  writer.endArray();
  writer.writeKey("type");
  writer.writeString(function.type);
}

// ksqlDB's QueryDescriptionEntity ("queryDescription").
void writeQueryDescription(json::Writer& writer, const sql::QueryDescription& query) {
  writer.writeKey("@type");
  writer.writeString("queryDescription");
  writer.writeKey("queryDescription");
  writer.startObject();
  writer.writeKey("id");
  writer.writeString(query.id);
  writer.writeKey("statementText");
  writer.writeString(query.statement_text);
  writer.writeKey("windowType");
  writer.writeNull();
  writeFields(writer, query.fields);
  writeStrings(writer, "sources", query.sources);
  writeStrings(writer, "sinks", query.sinks);
  writer.writeKey("topology");
  writer.writeString(query.topology);
  writer.writeKey("executionPlan");
  writer.writeString(query.execution_plan);
  writer.writeKey("overriddenProperties");
  writer.startObject();
  for (const auto& [name, value] : query.overridden_properties) {
    writer.writeKey(name);
    writer.writeString(value);
  }
  writer.endObject();
  writer.writeKey("queryType");
  writer.writeString(query.query_type);
  writer.writeKey("state");
  if (query.state.empty()) {
    writer.writeNull();
  } else {
    writer.writeString(query.state);
  }
  writer.endObject();
}

void writeDescription(json::Writer& writer, const sql::SourceDescription& description) {
  writer.writeKey("@type");
  writer.writeString("sourceDescription");
  writer.writeKey("sourceDescription");
  writer.startObject();
  writer.writeKey("name");
  writer.writeString(description.summary.name);
  writer.writeKey("windowType");
  writer.writeNull();
  writer.writeKey("readQueries");
  writer.startArray();
  for (const auto& id : description.read_queries) {
    writer.startObject();
    writer.writeKey("id");
    writer.writeString(id);
    writer.endObject();
  }
  writer.endArray();
  writer.writeKey("writeQueries");
  writer.startArray();
  for (const auto& id : description.write_queries) {
    writer.startObject();
    writer.writeKey("id");
    writer.writeString(id);
    writer.endObject();
  }
  writer.endArray();
  writeFields(writer, description.fields);
  writer.writeKey("type");
  writer.writeString(description.summary.type);
  writer.writeKey("timestamp");
  writer.writeString(description.timestamp_column);
  writer.writeKey("statistics");
  writer.writeString("");
  writer.writeKey("errorStats");
  writer.writeString("");
  writer.writeKey("extended");
  writer.writeBool(description.extended);
  writer.writeKey("keyFormat");
  writer.writeString(description.summary.key_format);
  writer.writeKey("valueFormat");
  writer.writeString(description.summary.value_format);
  writer.writeKey("topic");
  writer.writeString(description.summary.topic);
  writer.writeKey("partitions");
  writer.writeInt64(description.partitions);
  writer.writeKey("replication");
  writer.writeInt64(description.replicas);
  writer.writeKey("statement");
  writer.writeString(description.statement_text);
  writer.endObject();
}

void writeProperties(json::Writer& writer, const sql::StatementResult& result) {
  switch (result.kind) {
    case Kind::kProperties:
      writer.writeKey("@type");
      writer.writeString("properties");
      writer.writeKey("properties");
      writer.startArray();
      for (const auto& [name, value] : result.properties) {
        writer.startObject();
        writer.writeKey("name");
        writer.writeString(name);
        writer.writeKey("scope");
        writer.writeString(name.rfind("ksql.streams.", 0) == 0 ? "STREAMS" : "KSQL");
        writer.writeKey("value");
        writer.writeString(value);
        writer.endObject();
      }
      writer.endArray();
      break;
    case Kind::kVariables:
      writer.writeKey("@type");
      writer.writeString("variables");
      writer.writeKey("variables");
      writer.startArray();
      for (const auto& [name, value] : result.properties) {
        writer.startObject();
        writer.writeKey("name");
        writer.writeString(name);
        writer.writeKey("value");
        writer.writeString(value);
        writer.endObject();
      }
      writer.endArray();
      break;
    case Kind::kTypes:
      writer.writeKey("@type");
      writer.writeString("type_list");
      writer.writeKey("types");
      writer.startObject();
      for (const auto& [name, type] : result.properties) {
        writer.writeKey(name);
        writer.startObject();
        writer.writeKey("type");
        writer.writeString(type);
        writer.endObject();
      }
      writer.endObject();
      break;
    default:
      writer.writeKey("@type");
      writer.writeString("function_names");
      writer.writeKey("functions");
      writer.startArray();
      for (const auto& [name, type] : result.properties) {
        writer.startObject();
        writer.writeKey("name");
        writer.writeString(name);
        writer.writeKey("type");
        writer.writeString(type);
        writer.endObject();
      }
      writer.endArray();
      break;
  }
}

void writeStatus(json::Writer& writer, const sql::StatementResult& result, int64_t sequence) {
  writer.writeKey("@type");
  writer.writeString("currentStatus");
  writer.writeKey("commandId");
  writer.writeString(result.query_id.empty() ? "statement" : result.query_id);
  writer.writeKey("commandStatus");
  writer.startObject();
  writer.writeKey("status");
  writer.writeString("SUCCESS");
  writer.writeKey("message");
  writer.writeString(result.message);
  writer.writeKey("queryId");
  if (result.query_id.empty()) {
    writer.writeNull();
  } else {
    writer.writeString(result.query_id);
  }
  writer.endObject();
  writer.writeKey("commandSequenceNumber");
  writer.writeInt64(sequence);
}

}  // namespace

void appendEntity(const sql::StatementResult& result, int64_t sequence, std::string& out) {
  json::Writer writer(out);
  writer.startObject();
  switch (result.kind) {
    case Kind::kStatus: writeStatus(writer, result, sequence); break;
    case Kind::kStreams: writeSources(writer, "streams", "streams", result.sources); break;
    case Kind::kTables: writeSources(writer, "tables", "tables", result.sources); break;
    case Kind::kQueries: writeQueries(writer, result.queries); break;
    case Kind::kTopics: {
      writer.writeKey("@type");
      writer.writeString("kafka_topics");
      writer.writeKey("topics");
      writer.startArray();
      for (const auto& name : result.names) {
        writer.startObject();
        writer.writeKey("name");
        writer.writeString(name);
        writer.endObject();
      }
      writer.endArray();
      break;
    }
    case Kind::kDescription: writeDescription(writer, *result.description); break;
    case Kind::kFunctionDescription: writeFunction(writer, *result.function); break;
    case Kind::kQueryDescription: writeQueryDescription(writer, *result.query_description); break;
    default: writeProperties(writer, result); break;
  }
  writer.writeKey("statementText");
  writer.writeString(result.statement_text);
  writer.writeKey("warnings");
  writer.startArray();
  writer.endArray();
  writer.endObject();
}

std::string statementError(const std::string& message, const std::string& statement_text,
                           const std::vector<std::string>& entities) {
  std::string out;
  json::Writer writer(out);
  writer.startObject();
  writer.writeKey("@type");
  writer.writeString("statement_error");
  writer.writeKey("error_code");
  writer.writeInt64(kBadStatement);
  writer.writeKey("message");
  writer.writeString(message);
  writer.writeKey("statementText");
  writer.writeString(statement_text);
  writer.writeKey("entities");
  writer.startArray();
  for (const auto& entity : entities) writer.writeRaw(entity);
  writer.endArray();
  writer.endObject();
  return out;
}

std::string genericError(int code, const std::string& message) {
  std::string out;
  json::Writer writer(out);
  writer.startObject();
  writer.writeKey("@type");
  writer.writeString("generic_error");
  writer.writeKey("error_code");
  writer.writeInt64(code);
  writer.writeKey("message");
  writer.writeString(message);
  writer.endObject();
  return out;
}

}  // namespace runnel::server
