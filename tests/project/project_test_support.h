// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <opencv2/core.hpp>

#include "core/imaging/image_writer.h"
#include "test_support.h"

namespace camlabel::test {

/// Writes a small 8-bit PNG whose pixels depend on seed, so distinct seeds give distinct files.
inline void writeTestPng(const std::filesystem::path& path, int seed) {
  std::filesystem::create_directories(path.parent_path());
  cv::Mat image(16, 16, CV_8UC1);
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x)
      image.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>((x * 7 + y * 13 + seed * 31) % 256);
  image.at<std::uint8_t>(0, 0) = static_cast<std::uint8_t>(seed);
  image.at<std::uint8_t>(0, 1) = static_cast<std::uint8_t>(seed >> 8);
  imaging::writeImageFile(path, image);
}

}  // namespace camlabel::test
