#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/image_folder.h"
#include "core/imaging/window.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

cv::Mat ramp16(int rows, int cols) {
  cv::Mat m(rows, cols, CV_16U);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      m.at<std::uint16_t>(r, c) = static_cast<std::uint16_t>(r * 40 + c);
  return m;
}

TEST(ImageReader, SixteenBitPngCarriesHounsfieldPlus1024) {
  TempDir dir;
  const cv::Mat stored = ramp16(20, 30);
  ASSERT_TRUE(cv::imwrite((dir / "ct.png").string(), stored));
  const CtImage image = readImage(dir / "ct.png");
  EXPECT_EQ(image.info.format, ImageFormat::Png);
  EXPECT_EQ(image.info.meaning, PixelMeaning::Hounsfield);
  EXPECT_EQ(image.info.bitsPerSample, 16);
  EXPECT_EQ(image.values.at<float>(0, 0), -1024.0F);
  EXPECT_EQ(image.values.at<float>(19, 29), 19 * 40 + 29 - 1024.0F);
  EXPECT_EQ(image.info.minValue, -1024.0);
  EXPECT_EQ(defaultWindow(image.info), kLungWindow);

  ReadOptions raw;
  raw.sixteenBitIsHounsfield = false;
  const CtImage plain = readImage(dir / "ct.png", raw);
  EXPECT_EQ(plain.info.meaning, PixelMeaning::Stored);
  EXPECT_EQ(plain.values.at<float>(0, 0), 0.0F);
}

TEST(ImageReader, SixteenBitTiffAndFloatTiff) {
  TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "ct16.tiff").string(), ramp16(16, 16)));
  const CtImage sixteen = readImage(dir / "ct16.tiff");
  EXPECT_EQ(sixteen.info.format, ImageFormat::Tiff);
  EXPECT_EQ(sixteen.values.at<float>(1, 2), 40 + 2 - 1024.0F);

  cv::Mat hu(16, 16, CV_32F, cv::Scalar(-850.25F));
  hu.at<float>(3, 4) = 1200.5F;
  ASSERT_TRUE(cv::imwrite((dir / "float.tif").string(), hu));
  const CtImage floating = readImage(dir / "float.tif");
  EXPECT_EQ(floating.info.meaning, PixelMeaning::Hounsfield);
  EXPECT_EQ(floating.info.bitsPerSample, 32);
  EXPECT_EQ(floating.values.at<float>(3, 4), 1200.5F);
  EXPECT_EQ(floating.info.minValue, -850.25);
}

TEST(ImageReader, EightBitFormatsAreAsStored) {
  TempDir dir;
  cv::Mat gray(24, 40, CV_8U);
  cv::randu(gray, 0, 256);
  for (const char* name : {"a.png", "a.bmp", "a.tif"}) {
    ASSERT_TRUE(cv::imwrite((dir / name).string(), gray));
    const CtImage image = readImage(dir / name);
    EXPECT_EQ(image.info.meaning, PixelMeaning::Stored8) << name;
    EXPECT_EQ(image.info.width, 40);
    EXPECT_EQ(image.info.height, 24);
    cv::Mat back;
    image.values.convertTo(back, CV_8U);
    EXPECT_EQ(cv::norm(back, gray, cv::NORM_INF), 0) << name << " is lossless";
    EXPECT_EQ(defaultWindow(image.info), kAsStored8Window);
  }
  // JPEG is lossy: close, not equal.
  cv::Mat smooth(64, 64, CV_8U);
  for (int r = 0; r < 64; ++r)
    for (int c = 0; c < 64; ++c)
      smooth.at<uchar>(r, c) = static_cast<uchar>(2 * r + c);
  ASSERT_TRUE(cv::imwrite((dir / "a.jpg").string(), smooth, {cv::IMWRITE_JPEG_QUALITY, 95}));
  const CtImage jpeg = readImage(dir / "a.jpg");
  EXPECT_EQ(jpeg.info.format, ImageFormat::Jpeg);
  cv::Mat back;
  jpeg.values.convertTo(back, CV_8U);
  EXPECT_LE(cv::norm(back, smooth, cv::NORM_INF), 8);
}

TEST(ImageReader, ColourIsConvertedToGrayWithAWarning) {
  TempDir dir;
  cv::Mat colour(16, 16, CV_8UC3, cv::Scalar(30, 60, 90));  // B, G, R
  ASSERT_TRUE(cv::imwrite((dir / "c.png").string(), colour));
  const CtImage image = readImage(dir / "c.png");
  ASSERT_EQ(image.info.warnings.size(), 1U);
  EXPECT_EQ(image.info.samplesPerPixel, 3);
  // ITU-R BT.601 luma: 0.299 R + 0.587 G + 0.114 B.
  EXPECT_NEAR(image.values.at<float>(5, 5), 0.299 * 90 + 0.587 * 60 + 0.114 * 30, 0.51);
}

TEST(ImageReader, FormatComesFromContentNotName) {
  TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "x.png").string(), ramp16(10, 10)));
  std::filesystem::rename(dir / "x.png", dir / "x.dcm");
  EXPECT_EQ(readImage(dir / "x.dcm").info.format, ImageFormat::Png);
}

TEST(ImageFolder, ListsImagesRecursivelyInNaturalOrder) {
  TempDir dir;
  fs::create_directories(dir / "b");
  for (const char* name : {"img10.png", "img2.png", "IMG1.dcm", "notes.txt", "b/img3.tif"})
    test::writeFile(dir / name, "x");
  std::vector<std::string> names;
  for (const fs::path& p : listImageFiles(dir.path()))
    names.push_back(p.lexically_relative(dir.path()).string());
  EXPECT_EQ(names, (std::vector<std::string>{"b/img3.tif", "IMG1.dcm", "img2.png", "img10.png"}));
  EXPECT_EQ(listImageFiles(dir.path(), false).size(), 3U);
  EXPECT_THROW(listImageFiles(dir / "none"), InputError);
}

}  // namespace
}  // namespace camlabel::imaging
