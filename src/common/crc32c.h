#pragma once

#include <cstddef>
#include <cstdint>

namespace runnel {

// CRC-32C (Castagnoli), the checksum of Kafka's record batch v2. Uses the SSE4.2 crc32
// instruction when the CPU has it; Debian packages no C/C++ CRC-32C library.
// `crc` is a previous result to extend, 0 to start.
uint32_t crc32c(const void* data, size_t size, uint32_t crc = 0);

}  // namespace runnel
