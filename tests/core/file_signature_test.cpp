// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/imaging/file_signature.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

std::vector<std::uint8_t> encoded(const std::string& ext, int rows, int cols) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(ext, cv::Mat(rows, cols, CV_8U, cv::Scalar(9)), bytes));
  return bytes;
}

TEST(FileSignature, HeadersGiveTheSizeWithoutDecoding) {
  const std::pair<const char*, ImageFormat> formats[] = {{".png", ImageFormat::Png},
                                                         {".jpg", ImageFormat::Jpeg},
                                                         {".tif", ImageFormat::Tiff},
                                                         {".bmp", ImageFormat::Bmp}};
  for (const auto& [ext, format] : formats) {
    const auto bytes = encoded(ext, 37, 53);
    ASSERT_EQ(sniffFormat(bytes), format) << ext;
    const HeaderCheck check = inspectRasterHeader(format, bytes);
    ASSERT_TRUE(check.header) << ext << ": " << check.problem;
    EXPECT_EQ(check.header->width, 53) << ext;
    EXPECT_EQ(check.header->height, 37) << ext;
  }
}

TEST(FileSignature, DicomNeedsItsPreamble) {
  const std::string ct = test::readFile(test::dataDir() / "CT_small.dcm");
  const std::vector<std::uint8_t> bytes(ct.begin(), ct.end());
  EXPECT_EQ(sniffFormat(bytes), ImageFormat::Dicom);
  EXPECT_EQ(sniffFormat(std::vector<std::uint8_t>(bytes.begin() + 1, bytes.end())), std::nullopt);
}

TEST(FileSignature, JpegPaddingAfterEndMarkerIsAccepted) {
  auto bytes = encoded(".jpg", 16, 16);
  bytes.insert(bytes.end(), 5, 0);
  EXPECT_TRUE(inspectRasterHeader(ImageFormat::Jpeg, bytes).header);
  bytes.resize(bytes.size() - 8);
  EXPECT_FALSE(inspectRasterHeader(ImageFormat::Jpeg, bytes).header);
}

}  // namespace
}  // namespace camlabel::imaging
