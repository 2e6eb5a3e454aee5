#pragma once

// The compression codecs of Kafka record batches (attribute bits 0-2). The codecs work on
// whole buffers: a batch is compressed or decompressed as one unit, into a caller-owned
// buffer so that a reader can reuse its allocation from batch to batch.

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace runnel::protocol {

enum class Compression : uint8_t { kNone = 0, kGzip = 1, kSnappy = 2, kLz4 = 3, kZstd = 4 };

// Accepts Kafka's compression.type names: none, gzip, snappy, lz4, zstd.
Result<Compression> parseCompression(std::string_view name);
std::string_view compressionName(Compression compression);

// Whether attribute bits hold a codec this build knows (0-4).
inline bool isKnownCompression(int bits) { return bits >= 0 && bits <= 4; }

// Decompressed data larger than this is treated as corrupt: a batch cannot legitimately
// exceed the broker's message size limits, and the bound keeps a small malicious input
// from making us allocate gigabytes.
inline constexpr size_t kMaxDecompressedSize = size_t(256) << 20;

// Appends the compressed form of `input` to `out`. kNone appends `input` unchanged.
// Snappy is written raw (as librdkafka does); gzip as a gzip stream; lz4 as an LZ4 frame
// with independent 64 KiB blocks; zstd as one frame.
Status compress(Compression compression, ByteSpan input, Bytes& out);

// Replaces the contents of `out` with the decompressed form of `input`, keeping its
// capacity. Snappy input may be raw or xerial-framed (what the Java client writes).
Status decompress(Compression compression, ByteSpan input, Bytes& out,
                  size_t max_size = kMaxDecompressedSize);

}  // namespace runnel::protocol
