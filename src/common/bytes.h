#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace runnel {

// Leaves new elements uninitialized on resize(): buffers are resized and then filled
// (pread, memcpy, encoders), and zero-filling megabytes per Fetch showed up as ~9% of the
// broker's CPU. Explicit values (Bytes(n, 0), assign) still initialize.
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using Bytes = std::vector<uint8_t, DefaultInitAllocator<uint8_t>>;
using ByteSpan = std::span<const uint8_t>;

inline std::string_view asStringView(ByteSpan bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
inline ByteSpan asBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Big-endian (network order) loads and stores, as every fixed-width Kafka field is.
inline uint16_t loadBe16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
inline uint32_t loadBe32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline uint64_t loadBe64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
inline void storeBe16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
inline void storeBe32(uint8_t* p, uint32_t v) {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
inline void storeBe64(uint8_t* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

inline uint64_t zigzagEncode(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
inline int64_t zigzagDecode(uint64_t v) { return int64_t(v >> 1) ^ -int64_t(v & 1); }

// Appends big-endian integers, varints and raw bytes to a growable buffer.
class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) : out_(out) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void be16(uint16_t v) { storeBe16(grow(2), v); }
  void be32(uint32_t v) { storeBe32(grow(4), v); }
  void be64(uint64_t v) { storeBe64(grow(8), v); }
  void uvarint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(uint8_t(v) | 0x80);
      v >>= 7;
    }
    out_.push_back(uint8_t(v));
  }
  void varint(int64_t v) { uvarint(zigzagEncode(v)); }
  void raw(const void* data, size_t n) {
    if (n) std::memcpy(grow(n), data, n);
  }
  void raw(ByteSpan bytes) { raw(bytes.data(), bytes.size()); }
  void raw(std::string_view text) { raw(text.data(), text.size()); }

  size_t size() const { return out_.size(); }
  // Reserves n bytes to fill in later (a length or CRC); returns their offset.
  size_t placeholder(size_t n) {
    grow(n);
    return out_.size() - n;
  }
  uint8_t* at(size_t offset) { return out_.data() + offset; }
  Bytes& buffer() { return out_; }

 private:
  uint8_t* grow(size_t n) {
    size_t old = out_.size();
    out_.resize(old + n);
    return out_.data() + old;
  }

  Bytes& out_;
};

// Reads big-endian integers, varints and byte ranges from a span. A read past the end
// sets a sticky failure flag and returns zeros: callers check ok() once after a group of
// reads instead of after each one.
class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  bool ok() const { return ok_; }
  void fail() {
    ok_ = false;
    pos_ = data_.size();
  }
  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool atEnd() const { return pos_ == data_.size(); }

  uint8_t u8() { return has(1) ? data_[pos_++] : 0; }
  uint16_t be16() { return has(2) ? advance(loadBe16(data_.data() + pos_), 2) : 0; }
  uint32_t be32() { return has(4) ? advance(loadBe32(data_.data() + pos_), 4) : 0; }
  uint64_t be64() { return has(8) ? advance(loadBe64(data_.data() + pos_), 8) : 0; }
  uint64_t uvarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!has(1)) return 0;
      uint8_t b = data_[pos_++];
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail();
    return 0;
  }
  int64_t varint() { return zigzagDecode(uvarint()); }
  // The next n bytes, or an empty span (and failure) if fewer remain.
  ByteSpan bytes(size_t n) {
    if (!has(n)) return {};
    ByteSpan out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(size_t n) { bytes(n); }

 private:
  bool has(size_t n) {
    if (ok_ && data_.size() - pos_ >= n) return true;
    fail();
    return false;
  }
  template <typename T>
  T advance(T v, size_t n) {
    pos_ += n;
    return v;
  }

  ByteSpan data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace runnel
