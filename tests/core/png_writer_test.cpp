// SPDX-License-Identifier: Apache-2.0
// PNG written through libpng, checked against OpenCV's own decoder.

#include "core/imaging/png_writer.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/common/error.h"
#include "core/imaging/image_writer.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

cv::Mat randomImage(int type, int rows, int cols) {
  cv::Mat image(rows, cols, type);
  cv::RNG rng(static_cast<std::uint64_t>(type) * 7919 + 13);
  rng.fill(image, cv::RNG::UNIFORM, 0, CV_MAT_DEPTH(type) == CV_16U ? 65536 : 256);
  return image;
}

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.type() == b.type() && a.size() == b.size() && cv::norm(a, b, cv::NORM_INF) == 0;
}

TEST(PngWriter, OpenCvDecodesExactlyWhatWasWritten) {
  for (const int type : {CV_8UC1, CV_16UC1, CV_8UC3, CV_16UC3, CV_8UC4, CV_16UC4}) {
    SCOPED_TRACE(type);
    const cv::Mat image = randomImage(type, 37, 53);
    const std::vector<std::uint8_t> png = detail::encodePng(image);
    ASSERT_GT(png.size(), 8U);
    const cv::Mat decoded = cv::imdecode(png, cv::IMREAD_UNCHANGED);
    EXPECT_TRUE(same(decoded, image));  // BGR order kept, 16-bit samples unchanged
  }
  // A view into a larger image (rows not contiguous) is written as the view.
  const cv::Mat large = randomImage(CV_8UC1, 40, 40);
  const cv::Mat view = large(cv::Rect(5, 7, 20, 11));
  EXPECT_TRUE(same(cv::imdecode(detail::encodePng(view), cv::IMREAD_UNCHANGED), view));
}

TEST(PngWriter, RefusesWhatAPngCannotHold) {
  EXPECT_FALSE(detail::pngEncodable(cv::Mat(4, 4, CV_32FC1)));
  EXPECT_FALSE(detail::pngEncodable(cv::Mat(4, 4, CV_8UC2)));
  EXPECT_FALSE(detail::pngEncodable(cv::Mat()));
  EXPECT_THROW(detail::encodePng(cv::Mat(4, 4, CV_32FC1)), Error);
}

TEST(PngWriter, WriteImageFileUsesItForPngWhateverTheCase) {
  test::TempDir dir;
  const cv::Mat image = randomImage(CV_16UC1, 16, 24);
  writeImageFile(dir.path() / "slice.PNG", image);
  EXPECT_TRUE(same(cv::imread((dir.path() / "slice.PNG").string(), cv::IMREAD_UNCHANGED), image));
}

}  // namespace
}  // namespace camlabel::imaging
