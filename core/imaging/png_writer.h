// SPDX-License-Identifier: Apache-2.0
#pragma once
// PNG written through libpng directly: `render`, masks and phantoms need no OpenCV codec module
// (raster_codecs.h), whose loading costs about 70 ms at a command's start (issue 14).

#include <cstdint>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace camlabel::imaging::detail {

/// True for what encodePng takes: 8- or 16-bit unsigned samples, 1 (gray), 3 (BGR) or 4 (BGRA)
/// channels, at least one pixel.
bool pngEncodable(const cv::Mat& image);

/// The image as a PNG file's bytes: gray, RGB or RGBA at the image's depth, samples unchanged
/// (16-bit ones stored big-endian, as PNG wants). Throws camlabel::Error for an image
/// pngEncodable refuses, and with libpng's message when it fails.
std::vector<std::uint8_t> encodePng(const cv::Mat& image);

}  // namespace camlabel::imaging::detail
