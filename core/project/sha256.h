#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace camlabel::project {

/// SHA-256 of a file as 64 lowercase hex digits, read in 1 MiB blocks (constant memory).
/// Throws camlabel::InputError naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& path);

/// SHA-256 of bytes as 64 lowercase hex digits.
std::string sha256Hex(std::string_view data);

}  // namespace camlabel::project
