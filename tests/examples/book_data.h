#pragma once

// The book's tutorial data files, for the examples' tests.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace runnel::examples::book_data {

// $RUNNEL_BOOK_TUTORIALS, else the folder CMake was given; nullopt when it is missing.
inline std::optional<std::filesystem::path> bookTutorials() {
  const char* env = std::getenv("RUNNEL_BOOK_TUTORIALS");
  std::filesystem::path dir = env != nullptr && *env != '\0' ? env : RUNNEL_BOOK_TUTORIALS_DEFAULT;
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return dir;
}

// The non-empty lines of `relative` under the book's folder.
inline std::vector<std::string> readLines(const std::filesystem::path& dir, const std::string& relative) {
  std::ifstream in(dir / relative);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace runnel::examples::book_data

// Skips the test when the book's data folder is missing; else binds `var` to it.
#define BOOK_DATA_OR_SKIP(var)                                                                        \
  auto var##_found = ::runnel::examples::book_data::bookTutorials();                                    \
  if (!var##_found) {                                                                                 \
    GTEST_SKIP() << "the book's data folder is missing: set RUNNEL_BOOK_TUTORIALS to the book-tutorials " \
                    "folder (default " RUNNEL_BOOK_TUTORIALS_DEFAULT ")";                             \
  }                                                                                                   \
  const std::filesystem::path& var = *var##_found
