#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace runnel {

// Standard base64 (RFC 4648, with padding), as Java's Base64 encoder writes BYTES in JSON.
std::string encodeBase64(std::string_view data);
// Accepts padded or unpadded input; nullopt on a character outside the alphabet.
std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace runnel
