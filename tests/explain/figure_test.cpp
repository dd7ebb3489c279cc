// SPDX-License-Identifier: Apache-2.0
// Figure grids: panels land where the layout says, scaled with their aspect, with the mark.

#include "core/explain/figure.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/common/error.h"

namespace camlabel::explain {
namespace {

TEST(FigureGrid, PanelsAreScaledIntoTheirCellsWithTheirAspect) {
  const cv::Mat red(20, 10, CV_8UC3, cv::Scalar(0, 0, 255));  // 10 wide, 20 high
  const cv::Mat gray(10, 10, CV_8UC1, cv::Scalar(100));
  GridLayout layout;
  layout.cellSize = 64;
  layout.mark.clear();
  const cv::Mat page = composeGrid({{{red, ""}, {gray, ""}}}, layout);
  // No title or row titles: the first cell starts 8 pixels in. The red panel becomes 32 x 64,
  // centred: columns 24..55.
  EXPECT_EQ(page.at<cv::Vec3b>(40, 40), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(page.at<cv::Vec3b>(40, 12), cv::Vec3b(255, 255, 255));  // beside it: the page
  // The gray panel fills the second cell (starts at 8 + 64 + 8 = 80).
  EXPECT_EQ(page.at<cv::Vec3b>(40, 110), cv::Vec3b(100, 100, 100));
  EXPECT_EQ(page.cols, 8 + 2 * (64 + 8));
}

TEST(FigureGrid, TheResearchMarkIsOnByDefault) {
  const cv::Mat gray(16, 16, CV_8UC1, cv::Scalar(255));
  GridLayout withMark;
  withMark.cellSize = 64;
  GridLayout without = withMark;
  without.mark.clear();
  const cv::Mat marked = composeGrid({{{gray, ""}}}, withMark);
  const cv::Mat plain = composeGrid({{{gray, ""}}}, without);
  ASSERT_GT(marked.rows, plain.rows);
  // Ink along the bottom where the mark is written.
  cv::Mat bottom;
  cv::cvtColor(marked.rowRange(plain.rows, marked.rows), bottom, cv::COLOR_BGR2GRAY);
  EXPECT_GT(cv::countNonZero(bottom < 128), 20);
}

TEST(FigureGrid, RejectsNothingToShowAndBadPanels) {
  EXPECT_THROW(composeGrid({}), Error);
  EXPECT_THROW(composeGrid({{}}), Error);
  EXPECT_THROW(composeGrid({{{cv::Mat(), "x"}}}), Error);
  EXPECT_THROW(composeGrid({{{cv::Mat(4, 4, CV_32F), "x"}}}), Error);
  // Captions outside ASCII are drawn, not refused.
  EXPECT_NO_THROW(composeGrid({{{cv::Mat(4, 4, CV_8UC1), "正常 Normal"}}}));
}

}  // namespace
}  // namespace camlabel::explain
