// SPDX-License-Identifier: Apache-2.0
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/common/error.h"
#include "core/explain/cam_render.h"
#include "test_support.h"

namespace camlabel::test {
namespace {

using explain::CamColormap;

cv::Mat randomGray(int rows, int cols) {
  cv::Mat gray(rows, cols, CV_8UC1);
  cv::RNG rng(7);
  rng.fill(gray, cv::RNG::UNIFORM, 0, 256);
  return gray;
}

cv::Mat randomMap(int rows, int cols) {
  cv::Mat map(rows, cols, CV_32FC1);
  cv::RNG rng(11);
  rng.fill(map, cv::RNG::UNIFORM, 0.0, 1.0);
  return map;
}

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

TEST(CamRender, OpacityZeroIsTheGrayImageAndOneIsTheColourMap) {
  const cv::Mat gray = randomGray(40, 40);
  const cv::Mat map = randomMap(40, 40);
  for (const auto colormap : {CamColormap::Jet, CamColormap::Viridis}) {
    cv::Mat grayBgr;
    cv::cvtColor(gray, grayBgr, cv::COLOR_GRAY2BGR);
    const cv::Mat transparent = explain::overlayCam(gray, map, colormap, 0.0);
    EXPECT_EQ(transparent.type(), CV_8UC3);
    EXPECT_TRUE(same(transparent, grayBgr));
    EXPECT_TRUE(
        same(explain::overlayCam(gray, map, colormap, 1.0), explain::colorizeCam(map, colormap)));
    // Half way: between the two, per channel (within rounding).
    const cv::Mat half = explain::overlayCam(gray, map, colormap, 0.5);
    cv::Mat expected;
    cv::addWeighted(grayBgr, 0.5, explain::colorizeCam(map, colormap), 0.5, 0.0, expected, CV_32F);
    cv::Mat halfF;
    half.convertTo(halfF, CV_32F);
    EXPECT_LE(cv::norm(halfF, expected, cv::NORM_INF), 0.5 + 1e-6);
  }
}

TEST(CamRender, MapIsResizedToTheImage) {
  const cv::Mat gray = randomGray(50, 70);
  const cv::Mat map = randomMap(96, 96);
  const cv::Mat overlay = explain::overlayCam(gray, map, CamColormap::Jet, 1.0);
  EXPECT_EQ(overlay.size(), gray.size());
  cv::Mat resized;
  cv::resize(map, resized, gray.size(), 0, 0, cv::INTER_LINEAR);
  EXPECT_TRUE(same(overlay, explain::colorizeCam(resized, CamColormap::Jet)));
}

// The heatmap written beside an overlay is resizeCam's: torch's bilinear interpolation
// (align_corners=False, no antialiasing) is an independent implementation of the same resampling.
TEST(CamRender, ResizeCamIsBilinearWithHalfPixelCentres) {
  const cv::Mat map = randomMap(24, 24);
  const at::Tensor tensor = at::from_blob(map.data, {1, 1, 24, 24}, at::kFloat).clone();
  for (const cv::Size size : {cv::Size(96, 96), cv::Size(70, 50), cv::Size(12, 12)}) {
    const cv::Mat resized = explain::resizeCam(map, size);
    ASSERT_EQ(resized.size(), size);
    const at::Tensor expected = at::upsample_bilinear2d(tensor, {size.height, size.width}, false);
    const cv::Mat expectedMat = explain::camToMat(expected[0][0]);
    EXPECT_LE(cv::norm(resized, expectedMat, cv::NORM_INF), 1e-4) << size;
  }
  EXPECT_TRUE(same(explain::resizeCam(map, map.size()), map));
  EXPECT_THROW(explain::resizeCam(randomGray(8, 8), cv::Size(4, 4)), Error);
  EXPECT_THROW(explain::resizeCam(map, cv::Size(0, 4)), Error);
}

TEST(CamRender, ColourMapsDifferAndJetRunsFromBlueToRed) {
  cv::Mat ramp(1, 2, CV_32FC1);
  ramp.at<float>(0, 0) = 0.0F;
  ramp.at<float>(0, 1) = 1.0F;
  const cv::Mat jet = explain::colorizeCam(ramp, CamColormap::Jet);
  const cv::Mat viridis = explain::colorizeCam(ramp, CamColormap::Viridis);
  const auto low = jet.at<cv::Vec3b>(0, 0);  // BGR
  const auto high = jet.at<cv::Vec3b>(0, 1);
  EXPECT_GT(low[0], low[2]);
  EXPECT_GT(high[2], high[0]);
  EXPECT_FALSE(same(jet, viridis));
  // Out-of-range values are clamped, not wrapped.
  cv::Mat outside(1, 2, CV_32FC1);
  outside.at<float>(0, 0) = -3.0F;
  outside.at<float>(0, 1) = 7.0F;
  EXPECT_TRUE(same(explain::colorizeCam(outside, CamColormap::Jet), jet));
  EXPECT_EQ(explain::parseCamColormap("viridis"), CamColormap::Viridis);
  EXPECT_THROW(explain::parseCamColormap("rainbow"), Error);
}

TEST(CamRender, RejectsBadOpacityAndTypes) {
  const cv::Mat gray = randomGray(8, 8);
  const cv::Mat map = randomMap(8, 8);
  EXPECT_THROW(explain::overlayCam(gray, map, CamColormap::Jet, 1.5), Error);
  EXPECT_THROW(explain::overlayCam(gray, map, CamColormap::Jet, -0.1), Error);
  cv::Mat colour;
  cv::cvtColor(gray, colour, cv::COLOR_GRAY2BGR);
  EXPECT_THROW(explain::overlayCam(colour, map, CamColormap::Jet, 0.5), Error);
  EXPECT_THROW(explain::colorizeCam(gray, CamColormap::Jet), Error);
}

TEST(CamRender, TensorBecomesMatAndTiffReadsBackAsFloat) {
  const at::Tensor tensor = at::rand({96, 80}, at::kFloat);
  const cv::Mat map = explain::camToMat(tensor);
  ASSERT_EQ(map.type(), CV_32FC1);
  ASSERT_EQ(map.rows, 96);
  ASSERT_EQ(map.cols, 80);
  EXPECT_EQ(map.at<float>(5, 7), tensor[5][7].item<float>());

  TempDir dir;
  explain::writeCamTiff(dir / "heat.tiff", map);
  const cv::Mat back = cv::imread((dir / "heat.tiff").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(back.type(), CV_32FC1);
  EXPECT_TRUE(same(back, map));
  EXPECT_THROW(explain::writeCamTiff(dir / "heat.png", map), Error);
  cv::Mat eight;
  map.convertTo(eight, CV_8UC1, 255);
  EXPECT_THROW(explain::writeCamTiff(dir / "heat8.tiff", eight), Error);
}

TEST(CommonScale, KeepsWhichMapIsStronger) {
  // Two maps of the same shape, one at a third of the other's strength: min-max normalisation
  // would make them equal; on a common scale the weaker stays a third.
  cv::Mat strong = (cv::Mat_<float>(2, 2) << 0, 3, 6, 9);
  cv::Mat weak = strong / 3;
  const std::vector<cv::Mat> maps = explain::onCommonScale({strong, weak}, cv::Size(4, 4));
  ASSERT_EQ(maps.size(), 2U);
  double top0 = 0, top1 = 0;
  cv::minMaxLoc(maps[0], nullptr, &top0);
  cv::minMaxLoc(maps[1], nullptr, &top1);
  EXPECT_NEAR(top0, 1.0, 1e-6);
  EXPECT_NEAR(top1, 1.0 / 3, 1e-6);
  EXPECT_EQ(maps[1].size(), cv::Size(4, 4));
  EXPECT_EQ(cv::norm(maps[0] / 3 - maps[1], cv::NORM_INF) < 1e-6, true);
  const std::vector<cv::Mat> zeros =
      explain::onCommonScale({cv::Mat::zeros(2, 2, CV_32F)}, cv::Size(3, 3));
  EXPECT_EQ(cv::countNonZero(zeros[0]), 0);
  EXPECT_THROW(explain::onCommonScale({cv::Mat(2, 2, CV_32F, cv::Scalar(-1))}, cv::Size(2, 2)),
               Error);
}

}  // namespace
}  // namespace camlabel::test
