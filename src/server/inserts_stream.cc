#include "server/inserts_stream.h"

#include <fmt/format.h>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "server/rest_entities.h"

namespace runnel::server {
namespace {

std::string ack(int64_t seq) { return fmt::format(R"({{"status":"ok","seq":{}}})", seq); }

std::string error(int64_t seq, int code, const std::string& message) {
  std::string out;
  json::Writer writer(out);
  writer.startObject();
  writer.writeKey("status");
  writer.writeString("error");
  writer.writeKey("seq");
  writer.writeInt64(seq);
  writer.writeKey("errorCode");
  writer.writeInt64(code);
  writer.writeKey("message");
  writer.writeString(message);
  writer.endObject();
  return out;
}

Result<std::string> targetOf(std::string_view arguments) {
  json::Parser parser;
  auto root = parser.parse(arguments);
  if (!root.isOk()) return Status::invalidArgument("Invalid JSON in request: " + root.status().message());
  auto object = root->getObject();
  if (!object.isOk()) return Status::invalidArgument("Invalid JSON in request: the arguments are not an object");
  auto target = object->find("target");
  if (!target || target->type() != json::Type::kString) return Status::invalidArgument("No target in arguments");
  return std::string(*target->getString());
}

}  // namespace

net::Response insertsStream(sql::Engine& engine, std::mutex& engine_mutex, const net::Request& request) {
  std::string_view body = request.body;
  auto line_end = body.find('\n');
  auto target = targetOf(body.substr(0, line_end));
  if (!target.isOk()) return net::Response::json(400, genericError(kBadRequest, target.status().message()));
  Result<std::string> stream = Status::internal("unset");
  {
    std::lock_guard lock(engine_mutex);
    stream = engine.insertsStreamTarget(*target);
  }
  if (!stream.isOk()) return net::Response::json(400, genericError(kBadStatement, stream.status().message()));

  std::vector<std::string> acks;
  json::Parser parser;
  int64_t seq = 0;
  while (line_end != std::string_view::npos) {
    size_t start = line_end + 1;
    line_end = body.find('\n', start);
    std::string_view row = body.substr(start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                 : line_end - start);
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto parsed = parser.parse(row);
    if (!parsed.isOk() || parsed->type() != json::Type::kObject) {
      acks.push_back(error(seq, kBadRequest, "Invalid JSON in inserts stream"));
      break;
    }
    Status inserted;
    {
      std::lock_guard lock(engine_mutex);
      inserted = engine.insertJsonRow(*stream, row);
    }
    acks.push_back(inserted.isOk() ? ack(seq) : error(seq, kBadRequest, inserted.message()));
    ++seq;
  }

  auto accept = request.header("Accept");
  bool json_array = accept && accept->find("application/json") != std::string_view::npos &&
                    accept->find("application/vnd.ksqlapi.delimited.v1") == std::string_view::npos;
  std::string out;
  if (json_array) out += "[";
  for (size_t i = 0; i < acks.size(); ++i) {
    if (json_array && i > 0) out += ",";
    out += acks[i];
    if (!json_array) out += "\n";
  }
  if (json_array) out += "]";
  net::Response response = net::Response::json(200, std::move(out));
  if (!json_array) response.content_type = "application/vnd.ksqlapi.delimited.v1";
  return response;
}

}  // namespace runnel::server
