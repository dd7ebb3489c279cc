// SPDX-License-Identifier: Apache-2.0
#pragma once
// Figures for teaching and reports: panels of images and heatmaps laid out in a grid with
// captions. Pixels only: nothing here knows a file name, a path or a patient.

#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace camlabel::explain {

/// One cell: an 8-bit gray or BGR image of any size, and the line under it.
struct Panel {
  cv::Mat image;
  std::string caption;
};

struct GridLayout {
  int cellSize = 256;                     ///< each panel is scaled to fit a square this big
  std::string title;                      ///< above everything; empty: none
  std::vector<std::string> columnTitles;  ///< above the first row; may be empty
  std::vector<std::string> rowTitles;     ///< left of each row; may be empty
  /// The mark clinical viewers put on exported images, along the bottom; empty: none.
  std::string mark = "Research use only - not for diagnosis";
};

/// Lays the rows of panels out (rows may have different lengths; missing cells stay blank) on a
/// white page, each panel scaled to fit cellSize (aspect kept, centred), its caption below it.
/// Text is drawn with OpenCV's Hershey font, which has ASCII only: other characters are drawn
/// as '?'. Returns CV_8UC3 (BGR). Throws camlabel::Error when there is no panel or a panel
/// image is empty or not 8-bit with 1 or 3 channels.
cv::Mat composeGrid(const std::vector<std::vector<Panel>>& rows, const GridLayout& layout = {});

}  // namespace camlabel::explain
