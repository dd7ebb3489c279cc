// SPDX-License-Identifier: Apache-2.0
#include <fstream>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/image_info_json.h"
#include "core/imaging/window.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

using test::dataDir;

nlohmann::json reference() {
  std::ifstream in(dataDir() / "dicom_reference.json");
  return nlohmann::json::parse(in);
}

// Values at known pixels must equal pydicom's (tests/reference/dicom_reference.py) exactly: both
// apply HU = slope * stored + intercept to integers.
void expectMatchesReference(const CtImage& image, const nlohmann::json& ref) {
  ASSERT_EQ(image.values.rows, ref["rows"].get<int>());
  ASSERT_EQ(image.values.cols, ref["columns"].get<int>());
  for (const auto& point : ref["points"]) {
    const int row = point["row"];
    const int col = point["column"];
    EXPECT_EQ(image.values.at<float>(row, col), point["value"].get<double>())
        << "at row " << row << ", column " << col;
  }
  EXPECT_EQ(image.info.minValue, ref["min"].get<double>());
  EXPECT_EQ(image.info.maxValue, ref["max"].get<double>());
  EXPECT_NEAR(cv::mean(image.values)[0], ref["mean"].get<double>(), 1e-3);
}

TEST(DicomReader, ChestCtIsReadInHounsfieldUnitsLikePydicom) {
  const CtImage image = readImage(dataDir() / "CT_small.dcm");
  const auto ref = reference()["CT_small.dcm"];
  expectMatchesReference(image, ref);
  EXPECT_EQ(image.info.format, ImageFormat::Dicom);
  EXPECT_EQ(image.info.meaning, PixelMeaning::Hounsfield);
  EXPECT_EQ(image.info.modality, "CT");
  ASSERT_TRUE(image.info.pixelSpacingRowMm && image.info.pixelSpacingColMm);
  EXPECT_DOUBLE_EQ(*image.info.pixelSpacingRowMm, ref["pixel_spacing"][0].get<double>());
  EXPECT_DOUBLE_EQ(*image.info.pixelSpacingColMm, ref["pixel_spacing"][1].get<double>());
  EXPECT_TRUE(image.info.warnings.empty());
  // No window in the file: a CT opens in the lung window.
  EXPECT_FALSE(image.info.storedWindow);
  EXPECT_EQ(defaultWindow(image.info), kLungWindow);
}

TEST(DicomReader, MrIsAcceptedWithAWarningAndItsOwnWindow) {
  const CtImage image = readImage(dataDir() / "MR_small.dcm");
  expectMatchesReference(image, reference()["MR_small.dcm"]);
  EXPECT_EQ(image.info.meaning, PixelMeaning::Stored);
  EXPECT_EQ(image.info.modality, "MR");
  ASSERT_EQ(image.info.warnings.size(), 1U);
  EXPECT_NE(image.info.warnings[0].find("not CT"), std::string::npos);
  ASSERT_TRUE(image.info.storedWindow);
  EXPECT_EQ(*image.info.storedWindow, (Window{600, 1600}));
  EXPECT_EQ(defaultWindow(image.info), (Window{600, 1600}));
}

TEST(DicomReader, RleCompressedDecodesToTheSameValues) {
  const CtImage rle = readImage(dataDir() / "MR_small_RLE.dcm");
  expectMatchesReference(rle, reference()["MR_small_RLE.dcm"]);
  const CtImage raw = readImage(dataDir() / "MR_small.dcm");
  EXPECT_EQ(cv::norm(rle.values, raw.values, cv::NORM_INF), 0.0);
  EXPECT_NE(rle.info.transferSyntax.find("RLE"), std::string::npos);
}

TEST(DicomReader, TwelveBitLossyJpegIsDecoded) {
  const CtImage image = readImage(dataDir() / "JPEG-lossy.dcm");
  EXPECT_EQ(image.info.width, 256);
  EXPECT_EQ(image.info.height, 1024);
  EXPECT_EQ(image.info.modality, "NM");
  EXPECT_GT(image.info.maxValue, image.info.minValue);
}

std::string errorOf(const std::filesystem::path& path, const ReadOptions& options = {}) {
  try {
    readImage(path, options);
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path.string());
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    return e.reason();
  }
  ADD_FAILURE() << path << " was read without error";
  return {};
}

TEST(DicomReader, JpegTwoThousandIsRefusedNamingTheSyntax) {
  const std::string reason = errorOf(dataDir() / "J2K_pixelrep_mismatch.dcm");
  EXPECT_NE(reason.find("JPEG 2000"), std::string::npos) << reason;
  EXPECT_NE(reason.find("cannot decode"), std::string::npos) << reason;
}

TEST(DicomReader, NonImageObjectIsRefused) {
  const std::string reason = errorOf(dataDir() / "rtplan.dcm");
  EXPECT_NE(reason.find("no pixel data"), std::string::npos) << reason;
  EXPECT_NE(reason.find("RTPlanStorage"), std::string::npos) << reason;
}

TEST(DicomReader, MultiFrameNeedsAFrameChoice) {
  const std::string reason = errorOf(dataDir() / "rtdose.dcm");
  EXPECT_NE(reason.find("15 frames"), std::string::npos) << reason;
  ReadOptions options;
  options.frame = 3;
  const CtImage frame = readImage(dataDir() / "rtdose.dcm", options);
  EXPECT_EQ(frame.info.frameCount, 15);
  EXPECT_EQ(frame.values.cols, 10);
  EXPECT_EQ(frame.values.rows, 10);
  options.frame = 15;
  EXPECT_NE(errorOf(dataDir() / "rtdose.dcm", options).find("frame 15 does not exist"),
            std::string::npos);
}

TEST(DicomReader, TruncatedPixelDataIsRefused) {
  const std::string reason = errorOf(dataDir() / "MR_truncated.dcm");
  EXPECT_NE(reason.find("truncated"), std::string::npos) << reason;
}

TEST(DicomReader, DamagedFileWithoutMetaIsRefusedClearly) {
  const std::string reason = errorOf(dataDir() / "no_meta.dcm");
  EXPECT_NE(reason.find("not an image"), std::string::npos) << reason;
}

TEST(DicomProbe, HeaderAgreesWithTheDecoder) {
  for (const char* name : {"CT_small.dcm", "MR_small.dcm", "MR_small_RLE.dcm", "JPEG-lossy.dcm"}) {
    const ImageProbe probe = probeImage(dataDir() / name);
    const CtImage image = readImage(dataDir() / name);
    EXPECT_EQ(probe.format, ImageFormat::Dicom) << name;
    EXPECT_EQ(probe.width, image.info.width) << name;
    EXPECT_EQ(probe.height, image.info.height) << name;
    EXPECT_EQ(probe.bitsPerSample, image.info.bitsPerSample) << name;
    EXPECT_EQ(probe.modality, image.info.modality) << name;
    EXPECT_EQ(probe.transferSyntax, image.info.transferSyntax) << name;
    EXPECT_EQ(probe.frameCount, 1) << name;
  }
  EXPECT_EQ(probeImage(dataDir() / "CT_small.dcm").modality, "CT");
}

TEST(DicomProbe, RefusesWhatTheHeaderShowsIsUnreadable) {
  auto reasonOf = [](const char* name) {
    try {
      probeImage(dataDir() / name);
    } catch (const InputError& e) {
      return e.reason();
    }
    return std::string("probed without error");
  };
  EXPECT_NE(reasonOf("MR_truncated.dcm").find("truncated"), std::string::npos);
  EXPECT_NE(reasonOf("rtplan.dcm").find("no pixel data"), std::string::npos);
  EXPECT_NE(reasonOf("no_meta.dcm").find("not an image"), std::string::npos);
  const std::string j2k = reasonOf("J2K_pixelrep_mismatch.dcm");
  EXPECT_NE(j2k.find("JPEG 2000"), std::string::npos) << j2k;
  EXPECT_NE(j2k.find("cannot decode"), std::string::npos) << j2k;
  // Several frames are reported, not refused: the caller decides.
  EXPECT_EQ(probeImage(dataDir() / "rtdose.dcm").frameCount, 15);
}

TEST(DicomProbe, DoesNotDecodeThePixelData) {
  // RLE segments overwritten with bytes that make no valid run: the header is intact, so the
  // probe passes, and only decoding finds the damage.
  test::TempDir dir;
  std::string rle = test::readFile(dataDir() / "MR_small_RLE.dcm");
  const std::size_t pixelData = rle.find(std::string("\xE0\x7F\x10\x00", 4));
  ASSERT_NE(pixelData, std::string::npos);
  ASSERT_GT(rle.size(), pixelData + 2000);
  // Past the tag, the offset table and the RLE header: inside the first segment's runs.
  for (std::size_t i = pixelData + 200; i < pixelData + 1200; ++i)
    rle[i] = static_cast<char>(0x7F);  // literal runs of 128 bytes, past every segment's end
  test::writeFile(dir / "damaged.dcm", rle);
  EXPECT_EQ(probeImage(dir / "damaged.dcm").width, 64);
  EXPECT_THROW(readImage(dir / "damaged.dcm"), InputError);
}

TEST(DicomReader, InfoNeverCarriesPatientIdentifiers) {
  // CT_small.dcm names its patient "CompressedSamples^CT1"; nothing of it may be reported.
  for (const char* name : {"CT_small.dcm", "MR_small.dcm"}) {
    const CtImage image = readImage(dataDir() / name);
    const std::string json = toJson(image.info).dump();
    const std::string text = toText(image.info);
    for (const std::string& text_ : {json, text}) {
      EXPECT_EQ(text_.find("CompressedSamples"), std::string::npos) << text_;
      EXPECT_EQ(text_.find("^"), std::string::npos) << text_;
    }
  }
}

// Issue 18, point 7: a header the standard does not allow is refused with the reason, not
// decoded on a guess.
struct BadHeader {
  const char* name;
  DcmTagKey key;
  const char* value;
  const char* expected;
};

class DicomHeaderRefused : public testing::TestWithParam<BadHeader> {};

TEST_P(DicomHeaderRefused, WithTheReason) {
  const BadHeader& c = GetParam();
  test::TempDir dir;
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile((dataDir() / "CT_small.dcm").c_str()).good());
  ASSERT_TRUE(file.getDataset()->putAndInsertString(c.key, c.value).good());
  const std::filesystem::path path = dir / "crafted.dcm";
  ASSERT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  for (const bool probe : {false, true}) {
    if (probe && std::string(c.name).rfind("Slope", 0) == 0 && std::string(c.value) == "1e38")
      continue;  // only the decoded values show it
    try {
      if (probe) {
        probeImage(path);
      } else {
        readImage(path);
      }
      FAIL() << c.name << " was read";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("crafted.dcm"), std::string::npos) << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, DicomHeaderRefused,
    testing::Values(
        BadHeader{"SamplesPerPixel5", DCM_SamplesPerPixel, "5", "Samples per Pixel is 5"},
        BadHeader{"BitsAllocated7", DCM_BitsAllocated, "7", "Bits Allocated is 7"},
        BadHeader{"BitsStoredAboveAllocated", DCM_BitsStored, "17", "Bits Stored is 17"},
        BadHeader{"SlopeHuge", DCM_RescaleSlope, "1e38", "too large for any Hounsfield"},
        BadHeader{"SlopeNotANumber", DCM_RescaleSlope, "NaN", "Rescale Slope is not a usable"},
        BadHeader{"SlopeZero", DCM_RescaleSlope, "0", "Rescale Slope is not a usable"},
        BadHeader{"InterceptInfinite", DCM_RescaleIntercept, "inf",
                  "Rescale Intercept is not a usable"}),
    [](const auto& param) { return std::string(param.param.name); });

// Issue 18, point 6: what one image may take in memory is bounded from its header.
TEST(DicomReader, AnImageTooLargeForMemoryIsRefusedFromItsHeader) {
  test::TempDir dir;
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile((dataDir() / "CT_small.dcm").c_str()).good());
  ASSERT_TRUE(file.getDataset()->putAndInsertString(DCM_NumberOfFrames, "100000").good());
  const std::filesystem::path path = dir / "frames.dcm";
  ASSERT_TRUE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  for (const bool probe : {false, true}) {
    try {
      ReadOptions options;
      options.frame = 0;
      if (probe) {
        probeImage(path, options);
      } else {
        readImage(path, options);
      }
      FAIL() << "read";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("more than the 512 MB one image may use"),
                std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace camlabel::imaging
