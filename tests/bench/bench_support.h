// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every benchmark prints and times with: the machine, wall time, and the process's memory
// as Linux reports it. Header-only: each benchmark is one translation unit.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

namespace camlabel::bench {

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The value at rank q * n of n sorted values (q = 0.5: the median, q = 1: the largest); sorted
/// must not be empty.
inline double atRank(const std::vector<double>& sorted, double q) {
  return sorted[std::min(sorted.size() - 1,
                         static_cast<std::size_t>(q * static_cast<double>(sorted.size())))];
}

/// The first line of a text file that starts with prefix; empty when there is none.
inline std::string firstLineWith(const char* file, const std::string& prefix) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return {};
}

/// The CPU's model name from /proc/cpuinfo.
inline std::string cpuModel() {
  const std::string line = firstLineWith("/proc/cpuinfo", "model name");
  const auto colon = line.find(':');
  return colon == std::string::npos ? "unknown CPU" : line.substr(colon + 2);
}

/// A memory figure of /proc/self/status in MB, e.g. key "VmHWM:" (peak) or "VmRSS:" (now).
inline double statusMb(const std::string& key) {
  const std::string line = firstLineWith("/proc/self/status", key);
  return line.empty() ? 0.0 : std::stod(line.substr(key.size())) / 1024.0;
}

}  // namespace camlabel::bench
