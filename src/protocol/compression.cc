#include "protocol/compression.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace runnel::protocol {
namespace {

// A growable output window over `out`: codecs write into [used, out.size()) and ask for
// more room when it fills up, never beyond `max`.
class Sink {
 public:
  Sink(Bytes& out, size_t initial, size_t max) : out_(out), max_(max) {
    out_.resize(std::min(std::max<size_t>(initial, 256), max_));
  }
  uint8_t* cursor() { return out_.data() + used_; }
  size_t room() const { return out_.size() - used_; }
  void advance(size_t n) { used_ += n; }
  bool grow() {
    if (out_.size() >= max_) return false;
    out_.resize(std::min(out_.size() * 2, max_));
    return true;
  }
  void finish() { out_.resize(used_); }

 private:
  Bytes& out_;
  size_t used_ = 0;
  size_t max_;
};

Status tooLarge(std::string_view codec) {
  return Status::corruption(std::string(codec) + " data decompresses beyond the size limit");
}

Status gzipCompress(ByteSpan input, Bytes& out) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::internal("deflateInit2 failed");
  }
  size_t start = out.size();
  out.resize(start + deflateBound(&zs, uLong(input.size())) + 32);
  zs.next_in = const_cast<Bytef*>(input.data());
  zs.avail_in = uInt(input.size());
  zs.next_out = out.data() + start;
  zs.avail_out = uInt(out.size() - start);
  int rc = deflate(&zs, Z_FINISH);
  out.resize(start + zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? Status::ok() : Status::internal("gzip compression failed");
}

Status gzipDecompress(ByteSpan input, Bytes& out, size_t max_size) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::internal("inflateInit2 failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  Sink sink(out, input.size() * 4, max_size);
  zs.next_in = const_cast<Bytef*>(input.data());
  zs.avail_in = uInt(input.size());
  while (true) {
    if (sink.room() == 0 && !sink.grow()) return tooLarge("gzip");
    zs.next_out = sink.cursor();
    zs.avail_out = uInt(std::min<size_t>(sink.room(), UINT32_MAX));
    uInt before = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    sink.advance(before - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // concatenated gzip members
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) return Status::corruption("gzip data is truncated");
    if (rc != Z_OK && rc != Z_BUF_ERROR) return Status::corruption("gzip data is corrupt");
  }
  sink.finish();
  return Status::ok();
}

Status snappyRaw(ByteSpan input, Sink& sink) {
  const char* src = reinterpret_cast<const char*>(input.data());
  size_t length = 0;
  if (!snappy::GetUncompressedLength(src, input.size(), &length)) {
    return Status::corruption("snappy data is corrupt");
  }
  // Snappy cannot expand more than 32-fold; a larger claim is a lie we need not allocate for.
  if (length > input.size() * 32 + 64) return Status::corruption("snappy length header is implausible");
  while (sink.room() < length) {
    if (!sink.grow()) return tooLarge("snappy");
  }
  if (!snappy::RawUncompress(src, input.size(), reinterpret_cast<char*>(sink.cursor()))) {
    return Status::corruption("snappy data is corrupt");
  }
  sink.advance(length);
  return Status::ok();
}

constexpr uint8_t kXerialMagic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr size_t kXerialHeaderSize = 16;  // magic, version, compatible version

Status snappyDecompress(ByteSpan input, Bytes& out, size_t max_size) {
  Sink sink(out, input.size() * 3, max_size);
  if (input.size() >= kXerialHeaderSize && std::memcmp(input.data(), kXerialMagic, 8) == 0) {
    ByteReader in(input.subspan(kXerialHeaderSize));
    while (!in.atEnd()) {
      uint32_t block_size = in.be32();
      ByteSpan block = in.bytes(block_size);
      if (!in.ok()) return Status::corruption("xerial snappy block is truncated");
      RUNNEL_RETURN_IF_ERROR(snappyRaw(block, sink));
    }
  } else {
    RUNNEL_RETURN_IF_ERROR(snappyRaw(input, sink));
  }
  sink.finish();
  return Status::ok();
}

Status lz4Compress(ByteSpan input, Bytes& out) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  size_t start = out.size();
  out.resize(start + LZ4F_compressFrameBound(input.size(), &prefs));
  size_t n = LZ4F_compressFrame(out.data() + start, out.size() - start, input.data(), input.size(), &prefs);
  if (LZ4F_isError(n)) return Status::internal(std::string("lz4 compression failed: ") + LZ4F_getErrorName(n));
  out.resize(start + n);
  return Status::ok();
}

struct Lz4ContextDeleter {
  void operator()(LZ4F_dctx* ctx) const { LZ4F_freeDecompressionContext(ctx); }
};

Status lz4Decompress(ByteSpan input, Bytes& out, size_t max_size) {
  // One context per thread: creating one costs an allocation of about 100 KiB.
  thread_local std::unique_ptr<LZ4F_dctx, Lz4ContextDeleter> context = [] {
    LZ4F_dctx* ctx = nullptr;
    LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION);
    return std::unique_ptr<LZ4F_dctx, Lz4ContextDeleter>(ctx);
  }();
  if (!context) return Status::internal("cannot create an lz4 decompression context");
  LZ4F_resetDecompressionContext(context.get());
  Sink sink(out, input.size() * 4, max_size);
  size_t in_pos = 0;
  size_t hint = 1;
  while (in_pos < input.size()) {
    if (sink.room() == 0 && !sink.grow()) return tooLarge("lz4");
    size_t dst_size = sink.room();
    size_t src_size = input.size() - in_pos;
    hint = LZ4F_decompress(context.get(), sink.cursor(), &dst_size, input.data() + in_pos, &src_size, nullptr);
    if (LZ4F_isError(hint)) {
      return Status::corruption(std::string("lz4 data is corrupt: ") + LZ4F_getErrorName(hint));
    }
    in_pos += src_size;
    sink.advance(dst_size);
    if (src_size == 0 && dst_size == 0 && sink.room() > 0) break;  // no progress
  }
  // The decoder may still hold output after consuming all input.
  while (hint != 0) {
    if (sink.room() == 0 && !sink.grow()) return tooLarge("lz4");
    size_t dst_size = sink.room();
    size_t src_size = 0;
    hint = LZ4F_decompress(context.get(), sink.cursor(), &dst_size, nullptr, &src_size, nullptr);
    if (LZ4F_isError(hint)) return Status::corruption("lz4 data is corrupt");
    sink.advance(dst_size);
    if (dst_size == 0 && hint != 0) return Status::corruption("lz4 frame is truncated");
  }
  sink.finish();
  return Status::ok();
}

Status zstdCompress(ByteSpan input, Bytes& out) {
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> context(ZSTD_createCCtx(), ZSTD_freeCCtx);
  size_t start = out.size();
  out.resize(start + ZSTD_compressBound(input.size()));
  size_t n = ZSTD_compressCCtx(context.get(), out.data() + start, out.size() - start, input.data(),
                               input.size(), ZSTD_CLEVEL_DEFAULT);
  if (ZSTD_isError(n)) return Status::internal(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
  out.resize(start + n);
  return Status::ok();
}

Status zstdDecompress(ByteSpan input, Bytes& out, size_t max_size) {
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  ZSTD_DCtx_reset(context.get(), ZSTD_reset_session_only);
  Sink sink(out, input.size() * 4, max_size);
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  size_t rc = 1;
  while (in.pos < in.size || rc != 0) {
    if (sink.room() == 0 && !sink.grow()) return tooLarge("zstd");
    ZSTD_outBuffer o{sink.cursor(), sink.room(), 0};
    size_t in_before = in.pos;
    rc = ZSTD_decompressStream(context.get(), &o, &in);
    if (ZSTD_isError(rc)) return Status::corruption(std::string("zstd data is corrupt: ") + ZSTD_getErrorName(rc));
    sink.advance(o.pos);
    if (rc != 0 && o.pos == 0 && in.pos == in_before && o.size > 0) {
      return Status::corruption("zstd frame is truncated");
    }
  }
  sink.finish();
  return Status::ok();
}

}  // namespace

Result<Compression> parseCompression(std::string_view name) {
  if (name == "none") return Compression::kNone;
  if (name == "gzip") return Compression::kGzip;
  if (name == "snappy") return Compression::kSnappy;
  if (name == "lz4") return Compression::kLz4;
  if (name == "zstd") return Compression::kZstd;
  return Status::invalidArgument("unknown compression type '" + std::string(name) +
                                 "' (expected none, gzip, snappy, lz4 or zstd)");
}

std::string_view compressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kSnappy: return "snappy";
    case Compression::kLz4: return "lz4";
    case Compression::kZstd: return "zstd";
  }
  return "unknown";
}

Status compress(Compression compression, ByteSpan input, Bytes& out) {
  switch (compression) {
    case Compression::kNone:
      out.insert(out.end(), input.begin(), input.end());
      return Status::ok();
    case Compression::kGzip: return gzipCompress(input, out);
    case Compression::kSnappy: {
      size_t start = out.size();
      out.resize(start + snappy::MaxCompressedLength(input.size()));
      size_t n = 0;
      snappy::RawCompress(reinterpret_cast<const char*>(input.data()), input.size(),
                          reinterpret_cast<char*>(out.data() + start), &n);
      out.resize(start + n);
      return Status::ok();
    }
    case Compression::kLz4: return lz4Compress(input, out);
    case Compression::kZstd: return zstdCompress(input, out);
  }
  return Status::invalidArgument("unknown compression codec");
}

Status decompress(Compression compression, ByteSpan input, Bytes& out, size_t max_size) {
  switch (compression) {
    case Compression::kNone:
      if (input.size() > max_size) return tooLarge("uncompressed");
      out.assign(input.begin(), input.end());
      return Status::ok();
    case Compression::kGzip: return gzipDecompress(input, out, max_size);
    case Compression::kSnappy: return snappyDecompress(input, out, max_size);
    case Compression::kLz4: return lz4Decompress(input, out, max_size);
    case Compression::kZstd: return zstdDecompress(input, out, max_size);
  }
  return Status::corruption("unknown compression codec " + std::to_string(int(compression)));
}

}  // namespace runnel::protocol
