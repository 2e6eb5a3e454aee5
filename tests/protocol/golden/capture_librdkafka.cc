// Captures the request frames a real client (librdkafka) sends, as golden bytes for
// golden_test.cc. It plays a one-broker cluster on 127.0.0.1: answers ApiVersions,
// Metadata and Produce with our own encoder, and writes each distinct request frame
// (size prefix excluded) as hex to <out-dir>/<api>_v<version>[_<topic>].hex.
//
//   protocol_golden_capture tests/protocol/golden

#include <arpa/inet.h>
#include <librdkafka/rdkafka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "protocol/messages.h"

using namespace runnel;
using namespace runnel::protocol;

namespace {

constexpr int64_t kTimestamp = 1700000000000;
const char* kCodecs[] = {"none", "gzip", "snappy", "lz4", "zstd"};

std::mutex mutex;
std::map<std::string, Bytes> captured;
int port = 0;

bool readFully(int fd, uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= size_t(r);
  }
  return true;
}

void writeFully(int fd, const Bytes& b) {
  size_t off = 0;
  while (off < b.size()) {
    ssize_t w = ::write(fd, b.data() + off, b.size() - off);
    if (w <= 0) return;
    off += size_t(w);
  }
}

std::string apiName(int16_t key) {
  switch (ApiKey(key)) {
    case ApiKey::kApiVersions: return "api_versions";
    case ApiKey::kMetadata: return "metadata";
    case ApiKey::kProduce: return "produce";
    default: return "api" + std::to_string(key);
  }
}

void answer(int fd, const RequestHeader& header, ByteSpan body, Bytes& out, std::string& name) {
  int16_t v = header.api_version;
  if (header.api_key == int16_t(ApiKey::kApiVersions)) {
    ApiVersionsResponse response;
    for (const ApiSupport& api : supportedApis()) {
      response.api_keys.push_back({int16_t(api.key), api.min_version, api.max_version, {}});
    }
    encodeResponseFrame(response, v, header.correlation_id, out);
  } else if (header.api_key == int16_t(ApiKey::kMetadata)) {
    MetadataRequest request;
    (void)decodeBody(body, v, request);
    MetadataResponse response;
    response.brokers.push_back({0, "127.0.0.1", port, std::nullopt, {}});
    response.cluster_id = "golden-cluster";
    response.controller_id = 0;
    for (const auto& topic : request.topics.value_or(std::vector<MetadataRequest::Topic>{})) {
      MetadataResponse::Topic t;
      t.name = topic.name;
      MetadataResponse::Partition p;
      p.replica_nodes = {0};
      p.isr_nodes = {0};
      t.partitions.push_back(p);
      response.topics.push_back(t);
    }
    encodeResponseFrame(response, v, header.correlation_id, out);
  } else if (header.api_key == int16_t(ApiKey::kProduce)) {
    ProduceRequest request;
    (void)decodeBody(body, v, request);
    ProduceResponse response;
    for (const auto& topic : request.topic_data) {
      name += "_" + topic.name;
      ProduceResponse::TopicProduceResponse t;
      t.name = topic.name;
      for (const auto& partition : topic.partition_data) t.partition_responses.push_back({partition.index});
      response.responses.push_back(t);
    }
    if (request.acks != 0) encodeResponseFrame(response, v, header.correlation_id, out);
  }
  writeFully(fd, out);
}

void serve(int fd) {
  while (true) {
    uint8_t size_bytes[4];
    if (!readFully(fd, size_bytes, 4)) break;
    Bytes frame(loadBe32(size_bytes));
    if (!readFully(fd, frame.data(), frame.size())) break;
    size_t body_offset = 0;
    auto header = decodeRequestHeader(frame, body_offset);
    if (!header.isOk()) break;
    std::string name = apiName(header->api_key) + "_v" + std::to_string(header->api_version);
    Bytes out;
    answer(fd, *header, ByteSpan(frame).subspan(body_offset), out, name);
    std::lock_guard lock(mutex);
    captured.emplace(name, frame);
  }
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(listener, 8) != 0) return 1;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  std::thread([listener] {
    while (true) {
      int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      std::thread(serve, fd).detach();
    }
  }).detach();

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::string bootstrap = "127.0.0.1:" + std::to_string(port);
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof(err));
  rd_kafka_conf_set(conf, "client.id", "runnel-golden", err, sizeof(err));
  rd_kafka_conf_set(conf, "partitioner", "murmur2_random", err, sizeof(err));
  rd_kafka_conf_set(conf, "linger.ms", "0", err, sizeof(err));
  // CAPTURE_DEBUG=msg,feature shows what the client concluded from our ApiVersions.
  if (const char* debug = std::getenv("CAPTURE_DEBUG")) rd_kafka_conf_set(conf, "debug", debug, err, sizeof(err));
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (!producer) return 1;
  for (const char* codec : kCodecs) {
    rd_kafka_topic_conf_t* tconf = rd_kafka_topic_conf_new();
    rd_kafka_topic_conf_set(tconf, "compression.codec", codec, err, sizeof(err));
    std::string topic_name = std::string("golden-") + codec;
    rd_kafka_topic_t* topic = rd_kafka_topic_new(producer, topic_name.c_str(), tconf);
    for (int i = 0; i < 3; ++i) {
      std::string key = "key-" + std::to_string(i);
      std::string value = "hello " + std::string(codec) + " " + std::to_string(i) + std::string(500, 'x');
      rd_kafka_producev(producer, RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(0),
                        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(value.data(), value.size()),
                        RD_KAFKA_V_TIMESTAMP(kTimestamp + i), RD_KAFKA_V_HEADER("h", "v", 1),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
    rd_kafka_topic_destroy(topic);
  }
  int unflushed = rd_kafka_flush(producer, 10000);
  rd_kafka_destroy(producer);
  ::shutdown(listener, SHUT_RDWR);

  std::lock_guard lock(mutex);
  for (const auto& [name, frame] : captured) {
    std::ofstream out(std::string(argv[1]) + "/" + name + ".hex");
    out << "# Request frame (without its size prefix) sent by librdkafka " << rd_kafka_version_str()
        << ",\n# captured by tests/protocol/golden/capture_librdkafka.cc.\n";
    for (size_t i = 0; i < frame.size(); ++i) {
      char hex[3];
      std::snprintf(hex, sizeof(hex), "%02x", frame[i]);
      out << hex << ((i % 32 == 31 || i + 1 == frame.size()) ? "\n" : "");
    }
    std::printf("%s: %zu bytes\n", name.c_str(), frame.size());
  }
  return unflushed == 0 ? 0 : 1;
}
