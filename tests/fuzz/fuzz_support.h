// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every fuzz target shares: the input as a file (the readers under test take paths), and a
// finding for anything but the clear refusal a reader owes bad input.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace camlabel::fuzz {

/// The input written to this process's scratch file, whose path is returned.
inline std::filesystem::path asFile(const std::uint8_t* data, std::size_t size,
                                    const char* extension = "") {
  static const std::filesystem::path dir = [] {
    auto d =
        std::filesystem::temp_directory_path() / ("camlabel-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const std::filesystem::path file = dir / (std::string("input") + extension);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return file;
}

/// A property that does not hold: reported and stopped, so libFuzzer keeps the input.
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "camlabel fuzz finding: %s\n", what.c_str());
  std::abort();
}

}  // namespace camlabel::fuzz
