#pragma once

#include <filesystem>
#include <string_view>

#include "common/status.h"

namespace runnel {

// Replaces `path` with `contents` so that a crash leaves either the old or the new file:
// write a temporary beside it, fsync, rename over, fsync the directory.
Status writeFileAtomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace runnel
