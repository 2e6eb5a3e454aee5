#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace runnel::sql {

// BYTES as text, the way ksqlDB writes them in JSON, DELIMITED and the REST API: Java's
// basic Base64 (RFC 4648 alphabet, with padding).
void appendBase64(std::string_view bytes, std::string& out);

// Java's Base64.getDecoder(): padding optional, no whitespace; an illegal character fails
// with "Illegal base64 character <hex>".
Status decodeBase64(std::string_view text, std::string& out);

}  // namespace runnel::sql
