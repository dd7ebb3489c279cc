// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/dicom_writer.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/phantom.h"
#include "core/imaging/window.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;
using test::readFile;
using test::TempDir;

/// What a reader applying Rescale Intercept -1024 must get back: round half up, then the range
/// of 16-bit unsigned stored values.
float expectedHu(float hu) {
  return static_cast<float>(
      std::clamp(std::floor(static_cast<double>(hu) + 0.5), -1024.0, 64511.0));
}

/// The value of an Explicit VR Little Endian element with a 16-bit length: tag, VR, length.
/// Returns nullopt when the element is absent.
std::optional<std::string> elementValue(const std::string& bytes, std::uint16_t group,
                                        std::uint16_t element, const char* vr) {
  std::string header;
  header += static_cast<char>(group & 0xFF);
  header += static_cast<char>(group >> 8);
  header += static_cast<char>(element & 0xFF);
  header += static_cast<char>(element >> 8);
  header += vr;
  const std::size_t at = bytes.find(header);
  if (at == std::string::npos || at + 8 > bytes.size()) return std::nullopt;
  const auto length = static_cast<std::size_t>(static_cast<unsigned char>(bytes[at + 6]) |
                                               (static_cast<unsigned char>(bytes[at + 7]) << 8));
  return bytes.substr(at + 8, length);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
    s.pop_back();
  return s;
}

TEST(DicomWriter, RoundTripsHounsfieldUnitsThroughTheReader) {
  // Not square, so rows and columns cannot be swapped unnoticed.
  cv::Mat hu(40, 56, CV_32F);
  cv::randu(hu, -1100, 3200);
  const std::vector<float> edges{-2000,   -1024, -1000.4F, -0.5F, 0.49F, 0.5F,
                                 1023.5F, 3071,  64511,    70000, -1.5F, 2.5F};
  for (std::size_t i = 0; i < edges.size(); ++i)
    hu.at<float>(0, static_cast<int>(i)) = edges[i];

  TempDir dir;
  const fs::path path = dir / "slice.dcm";
  writeCtDicom(path, hu, 0.75, Window{-600, 1500});
  const CtImage image = readImage(path);

  EXPECT_EQ(image.info.format, ImageFormat::Dicom);
  EXPECT_EQ(image.info.meaning, PixelMeaning::Hounsfield);
  EXPECT_EQ(image.info.modality, "CT");
  EXPECT_EQ(image.info.width, 56);
  EXPECT_EQ(image.info.height, 40);
  EXPECT_EQ(image.info.bitsPerSample, 16);
  EXPECT_TRUE(image.info.warnings.empty());
  ASSERT_TRUE(image.info.pixelSpacingRowMm && image.info.pixelSpacingColMm);
  EXPECT_DOUBLE_EQ(*image.info.pixelSpacingRowMm, 0.75);
  EXPECT_DOUBLE_EQ(*image.info.pixelSpacingColMm, 0.75);
  ASSERT_TRUE(image.info.storedWindow);
  EXPECT_EQ(*image.info.storedWindow, (Window{-600, 1500}));

  ASSERT_EQ(image.values.size(), hu.size());
  for (int y = 0; y < hu.rows; ++y)
    for (int x = 0; x < hu.cols; ++x)
      ASSERT_EQ(image.values.at<float>(y, x), expectedHu(hu.at<float>(y, x)))
          << "at row " << y << ", column " << x << " (HU " << hu.at<float>(y, x) << ")";
  // Inside the encodable range the error is at most half a unit.
  EXPECT_EQ(image.values.at<float>(0, 2), -1000);
  EXPECT_EQ(image.values.at<float>(0, 3), 0);
  EXPECT_EQ(image.values.at<float>(0, 5), 1);
  EXPECT_EQ(image.values.at<float>(0, 0), -1024) << "below the range: clamped";
  EXPECT_EQ(image.values.at<float>(0, 9), 64511) << "above the range: clamped";
}

TEST(DicomWriter, PhantomSliceReadsBackWithinHalfAUnit) {
  const PhantomSlice slice = generatePhantomSlice(4, 3, 64);
  TempDir dir;
  writeCtDicom(dir / "phantom.dcm", slice.hu);
  const CtImage image = readImage(dir / "phantom.dcm");
  EXPECT_LE(cv::norm(image.values, slice.hu, cv::NORM_INF), 0.5);
  EXPECT_FALSE(image.info.storedWindow) << "no window was given";
  ASSERT_TRUE(image.info.pixelSpacingRowMm);
  EXPECT_DOUBLE_EQ(*image.info.pixelSpacingRowMm, 0.7);
}

TEST(DicomWriter, WritesAnAnonymousCtImageInExplicitLittleEndian) {
  TempDir dir;
  const cv::Mat hu(16, 16, CV_32F, cv::Scalar(40));
  writeCtDicom(dir / "a.dcm", hu);
  writeCtDicom(dir / "b.dcm", hu);
  const std::string bytes = readFile(dir / "a.dcm");

  ASSERT_GT(bytes.size(), 132U);
  EXPECT_EQ(bytes.substr(128, 4), "DICM");
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0002, 0x0010, "UI").value_or("?")), "1.2.840.10008.1.2.1")
      << "Explicit VR Little Endian";
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0008, 0x0016, "UI").value_or("?")),
            "1.2.840.10008.5.1.4.1.1.2")
      << "CT Image Storage";
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0008, 0x0060, "CS").value_or("?")), "CT");
  EXPECT_EQ(elementValue(bytes, 0x0010, 0x0010, "PN"), std::string()) << "Patient's Name empty";
  EXPECT_EQ(elementValue(bytes, 0x0010, 0x0020, "LO"), std::string()) << "Patient ID empty";
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0008, 0x103E, "LO").value_or("?")),
            "camlabel synthetic phantom");
  EXPECT_EQ(elementValue(bytes, 0x0008, 0x0008, "CS").value_or("?").rfind("DERIVED\\SECONDARY", 0),
            0U);
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0028, 0x1052, "DS").value_or("?")), "-1024");
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0028, 0x1053, "DS").value_or("?")), "1");
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0028, 0x1054, "LO").value_or("?")), "HU");
  EXPECT_EQ(trimmed(elementValue(bytes, 0x0028, 0x0004, "CS").value_or("?")), "MONOCHROME2");
  EXPECT_FALSE(elementValue(bytes, 0x0028, 0x1050, "DS")) << "no window unless asked";

  // Every file is a new instance of a new study.
  const std::string other = readFile(dir / "b.dcm");
  const auto instanceA = elementValue(bytes, 0x0008, 0x0018, "UI");
  const auto instanceB = elementValue(other, 0x0008, 0x0018, "UI");
  ASSERT_TRUE(instanceA && instanceB);
  EXPECT_FALSE(instanceA->empty());
  EXPECT_NE(*instanceA, *instanceB);
  EXPECT_NE(elementValue(bytes, 0x0020, 0x000D, "UI"), elementValue(other, 0x0020, 0x000D, "UI"));
}

TEST(DicomWriter, ReplacesAnExistingFile) {
  TempDir dir;
  writeCtDicom(dir / "x.dcm", cv::Mat(16, 16, CV_32F, cv::Scalar(-500)));
  writeCtDicom(dir / "x.dcm", cv::Mat(16, 16, CV_32F, cv::Scalar(200)));
  const CtImage image = readImage(dir / "x.dcm");
  EXPECT_EQ(image.info.minValue, 200);
  EXPECT_EQ(image.info.maxValue, 200);
  EXPECT_FALSE(fs::exists(dir / "x.dcm.tmp"));
}

TEST(DicomWriter, FailedWriteThrowsAndLeavesNoTemporaryFile) {
  TempDir dir;
  const cv::Mat hu(16, 16, CV_32F, cv::Scalar(0));
  const fs::path missing = dir / "no-such-folder" / "slice.dcm";
  try {
    writeCtDicom(missing, hu);
    FAIL() << "expected camlabel::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
  }

  // The temporary file is written, then the rename fails: a folder is in the way.
  fs::create_directory(dir / "taken.dcm");
  fs::create_directory(dir / "taken.dcm" / "child");
  EXPECT_THROW(writeCtDicom(dir / "taken.dcm", hu), Error);
  EXPECT_FALSE(fs::exists(dir / "taken.dcm.tmp"));
  EXPECT_TRUE(fs::is_directory(dir / "taken.dcm" / "child"));
}

TEST(DicomWriter, RejectsWhatIsNotAFloatHounsfieldImage) {
  TempDir dir;
  const fs::path path = dir / "bad.dcm";
  EXPECT_THROW(writeCtDicom(path, cv::Mat(16, 16, CV_16U, cv::Scalar(0))), std::invalid_argument);
  EXPECT_THROW(writeCtDicom(path, cv::Mat(16, 16, CV_32FC3, cv::Scalar(0, 0, 0))),
               std::invalid_argument);
  EXPECT_THROW(writeCtDicom(path, cv::Mat()), std::invalid_argument);
  const cv::Mat hu(16, 16, CV_32F, cv::Scalar(0));
  EXPECT_THROW(writeCtDicom(path, hu, 0.0), std::invalid_argument);
  EXPECT_THROW(writeCtDicom(path, hu, 0.7, Window{0, 0}), std::invalid_argument);
  cv::Mat withNan = hu.clone();
  withNan.at<float>(3, 3) = std::nanf("");
  EXPECT_THROW(writeCtDicom(path, withNan), std::invalid_argument);
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace camlabel::imaging
