// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace camlabel {

/// SHA-256 of a file as 64 lowercase hex digits, read in 1 MiB blocks (constant memory).
/// Throws camlabel::InputError naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& path);

/// SHA-256 of bytes as 64 lowercase hex digits.
std::string sha256Hex(std::string_view data);

/// SHA-256 computed piece by piece, for data that is never in memory at once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size);
  /// 64 lowercase hex digits; the object may not be updated afterwards.
  std::string hexDigest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace camlabel
