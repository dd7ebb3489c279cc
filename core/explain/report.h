// SPDX-License-Identifier: Apache-2.0
#pragma once
// Report figures on disk: PNG, or PDF at print resolution.

#include <filesystem>
#include <string>

#include <opencv2/core/mat.hpp>

namespace camlabel::explain {

/// Writes a figure (CV_8UC3 BGR, e.g. from composeGrid) to `path`, atomically: .png as it is;
/// .pdf as an A4 page (landscape when the figure is wider than high) with the figure scaled to
/// fit 15 mm margins, at the figure's own resolution, and only a generic title and creator in
/// the document's metadata (no file names, paths or patient data). Throws camlabel::Error for
/// another extension or a write that fails.
void writeFigure(const std::filesystem::path& path, const cv::Mat& figure);

}  // namespace camlabel::explain
