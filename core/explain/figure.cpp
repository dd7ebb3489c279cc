// SPDX-License-Identifier: Apache-2.0
#include "core/explain/figure.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/common/error.h"

namespace camlabel::explain {

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kScale = 0.45;
constexpr int kThickness = 1;
constexpr int kLine = 20;  ///< height of one line of text
constexpr int kGap = 8;    ///< between cells
const cv::Scalar kInk(30, 30, 30);
const cv::Scalar kWhite(255, 255, 255);

std::string ascii(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += '?';
      while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80)
        ++i;
    }
  }
  return out;
}

/// Draws text left-aligned at (x, baseline y), cut to fit width.
void drawText(cv::Mat& page, std::string text, int x, int y, int width) {
  text = ascii(text);
  int base = 0;
  while (!text.empty() && cv::getTextSize(text, kFont, kScale, kThickness, &base).width > width)
    text.pop_back();
  cv::putText(page, text, {x, y}, kFont, kScale, kInk, kThickness, cv::LINE_AA);
}

cv::Mat asBgr(const cv::Mat& image) {
  if (image.empty() || image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3))
    throw Error("a figure panel must be a non-empty 8-bit gray or colour image");
  cv::Mat bgr;
  if (image.channels() == 1) {
    cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  } else {
    bgr = image;
  }
  return bgr;
}

}  // namespace

cv::Mat composeGrid(const std::vector<std::vector<Panel>>& rows, const GridLayout& layout) {
  std::size_t columns = 0;
  for (const auto& row : rows)
    columns = std::max(columns, row.size());
  if (rows.empty() || columns == 0) throw Error("a figure needs at least one panel");
  const int cell = std::max(32, layout.cellSize);
  const int left = layout.rowTitles.empty() ? kGap : 60;
  const int top =
      kGap + (layout.title.empty() ? 0 : kLine + 4) + (layout.columnTitles.empty() ? 0 : kLine);
  const int rowHeight = cell + kLine + kGap;
  const int width = left + static_cast<int>(columns) * (cell + kGap);
  const int height =
      top + static_cast<int>(rows.size()) * rowHeight + (layout.mark.empty() ? 0 : kLine + 4);
  cv::Mat page(height, width, CV_8UC3, kWhite);

  if (!layout.title.empty()) drawText(page, layout.title, left, kGap + 14, width - left);
  const int titlesY = top - 6;
  for (std::size_t c = 0; c < layout.columnTitles.size() && c < columns; ++c) {
    drawText(page, layout.columnTitles[c], left + static_cast<int>(c) * (cell + kGap), titlesY,
             cell);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int y0 = top + static_cast<int>(r) * rowHeight;
    if (r < layout.rowTitles.size())
      drawText(page, layout.rowTitles[r], 4, y0 + cell / 2, left - 8);
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const Panel& panel = rows[r][c];
      const int x0 = left + static_cast<int>(c) * (cell + kGap);
      const cv::Mat bgr = asBgr(panel.image);
      const double f =
          std::min(static_cast<double>(cell) / bgr.cols, static_cast<double>(cell) / bgr.rows);
      const cv::Size size(std::max(1, static_cast<int>(bgr.cols * f)),
                          std::max(1, static_cast<int>(bgr.rows * f)));
      cv::Mat scaled;
      cv::resize(bgr, scaled, size, 0, 0, f < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
      scaled.copyTo(page(cv::Rect(x0 + (cell - size.width) / 2, y0 + (cell - size.height) / 2,
                                  size.width, size.height)));
      drawText(page, panel.caption, x0, y0 + cell + 15, cell);
    }
  }
  if (!layout.mark.empty()) drawText(page, layout.mark, left, height - 8, width - left);
  return page;
}

}  // namespace camlabel::explain
