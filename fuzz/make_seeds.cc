// Writes the seed corpora for the fuzz targets, run by hand when the formats change:
//
//   fuzz_make_seeds fuzz/corpus
//
// Request frames: every served request API at every served version, its fields filled by
// the tests' Filler, plus the librdkafka frames from tests/protocol/golden. Record
// batches: one per codec, with and without headers and nulls.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "protocol/api.h"
#include "protocol/message_filler.h"  // tests/protocol
#include "protocol/record_batch.h"
#include "request_types.h"

using namespace runnel;
using namespace runnel::protocol;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, ByteSpan bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

Bytes readHex(const fs::path& path) {
  std::ifstream in(path);
  Bytes out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    for (size_t i = 0; i + 1 < line.size(); i += 2) out.push_back(uint8_t(std::stoi(line.substr(i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  fs::path requests = fs::path(argv[1]) / "fuzz_request_decoder";
  fs::path batches = fs::path(argv[1]) / "fuzz_record_batch";
  fs::create_directories(requests);
  fs::create_directories(batches);

  for (const ApiSupport& api : supportedApis()) {
    fuzz::withRequestType(int16_t(api.key), [&]<typename Msg>(int16_t) {
      for (int16_t version = api.min_version; version <= api.max_version; ++version) {
        Msg msg;
        testing::Filler(version, version >= Msg::kFirstFlexibleVersion, 1u + uint32_t(version)).structure(msg);
        Bytes frame;
        encodeRequestFrame(msg, version, 1, std::string("seed"), frame);
        write(requests / ("api" + std::to_string(int(api.key)) + "_v" + std::to_string(version)),
              ByteSpan(frame).subspan(4));
      }
    });
  }
  for (const auto& entry : fs::directory_iterator(argv[2])) {
    if (entry.path().extension() != ".hex") continue;
    Bytes frame = readHex(entry.path());
    write(requests / ("golden_" + entry.path().stem().string()), frame);
  }

  RecordHeader headers[] = {{"h", asBytes("v")}, {"null", std::nullopt}};
  for (int codec = 0; codec <= 4; ++codec) {
    RecordBatchBuilder builder(Compression(codec), 10);
    builder.add(1000, asBytes("key"), asBytes("value value value value"), headers);
    builder.add(1001, std::nullopt, std::nullopt);
    builder.add(999, asBytes(""), asBytes("last"));
    Bytes data = builder.build();
    builder.reset(13);
    builder.add(2000, std::nullopt, asBytes("second batch"));
    (void)builder.appendTo(data);
    write(batches / ("batches_" + std::string(compressionName(Compression(codec)))), data);
  }
  std::printf("seeds written to %s\n", argv[1]);
  return 0;
}
