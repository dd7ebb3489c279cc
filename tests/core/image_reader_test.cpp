// SPDX-License-Identifier: Apache-2.0
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

std::string errorOfProbe(const fs::path& path, const ReadOptions& options = {}) {
  try {
    probeImage(path, options);
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path.string());
    return e.reason();
  }
  ADD_FAILURE() << "probed " << path;
  return {};
}

TEST(ImageProbe, AgreesWithTheDecoderOnEveryRasterFormat) {
  TempDir dir;
  cv::Mat colour(21, 34, CV_8UC3);
  cv::randu(colour, 0, 256);
  const std::pair<const char*, cv::Mat> files[] = {
      {"a16.png", ramp16(37, 53)}, {"c.png", colour}, {"a16.tif", ramp16(37, 53)},
      {"c.tif", colour},           {"c.bmp", colour}, {"a.jpg", cv::Mat(40, 24, CV_8U, 7)}};
  for (const auto& [name, pixels] : files) {
    ASSERT_TRUE(cv::imwrite((dir / name).string(), pixels));
    const ImageProbe probe = probeImage(dir / name);
    const CtImage image = readImage(dir / name);
    EXPECT_EQ(probe.format, image.info.format) << name;
    EXPECT_EQ(probe.width, image.info.width) << name;
    EXPECT_EQ(probe.height, image.info.height) << name;
    EXPECT_EQ(probe.bitsPerSample, image.info.bitsPerSample) << name;
    EXPECT_EQ(probe.samplesPerPixel, image.info.samplesPerPixel) << name;
    EXPECT_EQ(probe.frameCount, 1) << name;
    EXPECT_TRUE(probe.modality.empty()) << name;
  }
}

TEST(ImageProbe, RefusesBrokenHeadersAndCutFilesButNotDamagedPixels) {
  TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "ok.png").string(), ramp16(32, 32)));
  const std::string png = test::readFile(dir / "ok.png");

  test::writeFile(dir / "cut.png", png.substr(0, png.size() - 20));
  EXPECT_NE(errorOfProbe(dir / "cut.png").find("truncated PNG"), std::string::npos);

  std::string badHeader = png;
  badHeader[24] = 3;  // bit depth 3 does not exist
  test::writeFile(dir / "header.png", badHeader);
  EXPECT_NE(errorOfProbe(dir / "header.png").find("impossible bit depth 3"), std::string::npos);

  test::writeFile(dir / "text.png", "just some text, not an image at all");
  EXPECT_NE(errorOfProbe(dir / "text.png").find("not an image"), std::string::npos);
  test::writeFile(dir / "empty.png", "");
  EXPECT_NE(errorOfProbe(dir / "empty.png").find("empty"), std::string::npos);

  ReadOptions small;
  small.maxSide = 16;
  EXPECT_NE(errorOfProbe(dir / "ok.png", small).find("larger than the limit"), std::string::npos);
  cv::imwrite((dir / "tiny.png").string(), cv::Mat(4, 40, CV_8U, 1));
  EXPECT_NE(errorOfProbe(dir / "tiny.png").find("at least"), std::string::npos);

  // Damage inside the compressed pixels is beyond a header probe: it passes, and readImage
  // (what showing the image calls) refuses the file with the reason.
  std::string badPixels = png;
  const std::size_t idat = badPixels.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (std::size_t i = idat + 6; i < idat + 40; ++i)
    badPixels[i] = static_cast<char>(0xA5);
  test::writeFile(dir / "pixels.png", badPixels);
  EXPECT_EQ(probeImage(dir / "pixels.png").width, 32);
  EXPECT_THROW(readImage(dir / "pixels.png"), InputError);
}

TEST(ImageProbe, JpegPaddedWithManyZerosAfterItsEndIsAccepted) {
  TempDir dir;
  ASSERT_TRUE(cv::imwrite((dir / "a.jpg").string(), cv::Mat(16, 16, CV_8U, 9)));
  const std::string jpeg = test::readFile(dir / "a.jpg");
  test::writeFile(dir / "padded.jpg", jpeg + std::string(10000, '\0'));
  EXPECT_EQ(probeImage(dir / "padded.jpg").width, 16);
  test::writeFile(dir / "cut.jpg", jpeg.substr(0, jpeg.size() - 2) + std::string(10000, '\0'));
  EXPECT_NE(errorOfProbe(dir / "cut.jpg").find("end-of-image"), std::string::npos);
}

TEST(ImageProbe, TiffWithItsDirectoryAfterThePixelsIsReadBySeeking) {
  // libtiff writes the first directory after the strips, far past the first 4 KiB.
  TempDir dir;
  ASSERT_TRUE(
      cv::imwrite((dir / "big.tif").string(), ramp16(300, 200), {cv::IMWRITE_TIFF_COMPRESSION, 1}));
  const ImageProbe probe = probeImage(dir / "big.tif");
  EXPECT_EQ(probe.width, 200);
  EXPECT_EQ(probe.height, 300);
  EXPECT_EQ(probe.bitsPerSample, 16);
  const std::string tiff = test::readFile(dir / "big.tif");
  test::writeFile(dir / "cut.tif", tiff.substr(0, 4096));
  EXPECT_NE(errorOfProbe(dir / "cut.tif").find("truncated TIFF"), std::string::npos);
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
