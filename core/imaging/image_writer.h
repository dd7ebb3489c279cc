// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include <opencv2/core/mat.hpp>

namespace camlabel::imaging {

/// Writes an image (format from the extension: .png keeps 8- and 16-bit and is written by
/// libpng; other formats, .tiff also float, through OpenCV's codecs). Written to a temporary file
/// in the same folder and renamed, so a reader never sees half a file. Throws camlabel::Error
/// naming the path and the reason.
void writeImageFile(const std::filesystem::path& path, const cv::Mat& image);

}  // namespace camlabel::imaging
