#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace runnel {

// A 128-bit id (Kafka topic ids, cluster ids), printed as Kafka prints them: 22 chars
// of URL-safe base64 without padding.
using Uuid128 = std::array<uint8_t, 16>;

Uuid128 randomUuid();
std::string uuidToBase64(const Uuid128& id);
std::optional<Uuid128> uuidFromBase64(std::string_view text);

}  // namespace runnel
