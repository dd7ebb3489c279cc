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
#include <system_error>

namespace camlabel::fuzz {

/// The input written to this process's scratch file, whose path is returned.
inline std::filesystem::path asFile(const std::uint8_t* data, std::size_t size,
                                    const char* extension = "") {
  // Removed when the process exits normally (a run's end, or -runs=N in CI); a crash leaves it
  // beside the reproducer.
  struct ScratchDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("camlabel-fuzz-" + std::to_string(::getpid()));
    ScratchDir() { std::filesystem::create_directories(path); }
    ~ScratchDir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const ScratchDir dir;
  const std::filesystem::path file = dir.path / (std::string("input") + extension);
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
