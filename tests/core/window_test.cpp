// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/imaging/window.h"

namespace camlabel::imaging {
namespace {

ImageInfo huInfo() {
  ImageInfo info;
  info.meaning = PixelMeaning::Hounsfield;
  info.minValue = -1024;
  info.maxValue = 2000;
  return info;
}

TEST(Window, PresetsAndCustomParse) {
  const ImageInfo info = huInfo();
  EXPECT_EQ(parseWindow("lung", info), (Window{-600, 1500}));
  EXPECT_EQ(parseWindow("Mediastinal", info), (Window{40, 400}));
  EXPECT_EQ(parseWindow("bone", info), (Window{400, 1800}));
  EXPECT_EQ(parseWindow("-500,1200", info), (Window{-500, 1200}));
  EXPECT_EQ(parseWindow(" 40 , 350 ", info), (Window{40, 350}));
  EXPECT_EQ(parseWindow("auto", info), (Window{488, 3024}));
  EXPECT_THROW(parseWindow("lungs", info), Error);
  EXPECT_THROW(parseWindow("40,0", info), Error);
  EXPECT_THROW(parseWindow("40,-5", info), Error);
  EXPECT_THROW(parseWindow("40,abc", info), Error);
}

TEST(Window, StoredMeansTheFilesWindowOrAsStored) {
  ImageInfo info = huInfo();
  info.storedWindow = Window{50, 350};
  EXPECT_EQ(parseWindow("stored", info), (Window{50, 350}));
  EXPECT_EQ(defaultWindow(info), (Window{50, 350}));
  ImageInfo eight;
  eight.meaning = PixelMeaning::Stored8;
  EXPECT_EQ(parseWindow("stored", eight), kAsStored8Window);
}

TEST(Window, LinearMappingWithClamping) {
  cv::Mat values = (cv::Mat_<float>(1, 6) << -2000, -1350, -600, 150, 149, 5000);
  const cv::Mat out = applyWindow(values, kLungWindow);  // [-1350, 150]
  EXPECT_FLOAT_EQ(out.at<float>(0), 0.0F);
  EXPECT_FLOAT_EQ(out.at<float>(1), 0.0F);
  EXPECT_FLOAT_EQ(out.at<float>(2), 0.5F);
  EXPECT_FLOAT_EQ(out.at<float>(3), 1.0F);
  EXPECT_NEAR(out.at<float>(4), 1499.0 / 1500.0, 1e-6);
  EXPECT_FLOAT_EQ(out.at<float>(5), 1.0F);
}

TEST(Window, AsStoredIsTheIdentityOnEightBit) {
  cv::Mat values(1, 256, CV_32F);
  for (int i = 0; i < 256; ++i)
    values.at<float>(i) = static_cast<float>(i);
  CtImage image{values, {}};
  const cv::Mat rendered = renderWindowed8(image, kAsStored8Window);
  for (int i = 0; i < 256; ++i)
    ASSERT_EQ(rendered.at<uchar>(i), i);
}

}  // namespace
}  // namespace camlabel::imaging
