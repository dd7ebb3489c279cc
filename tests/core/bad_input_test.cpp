// SPDX-License-Identifier: Apache-2.0
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;
using test::dataDir;
using test::readFile;
using test::TempDir;
using test::writeFile;

/// The reason readImage gives for path; fails the test when it reads the file or throws anything
/// but InputError naming the path.
std::string reasonFor(const fs::path& path) {
  try {
    readImage(path);
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), path.string());
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    return e.reason();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << path << " was read without error";
  return {};
}

std::string encode(const std::string& ext, const cv::Mat& image) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(ext, image, bytes));
  return {bytes.begin(), bytes.end()};
}

cv::Mat gradient(int size) {
  cv::Mat image(size, size, CV_8U);
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c)
      image.at<uchar>(r, c) = static_cast<uchar>((r * 7 + c * 3) % 256);
  return image;
}

struct BadInputCase {
  const char* name;
  const char* fileName;
  std::function<std::string()> content;
  const char* expectedReason;
};

class BadInput : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(BadInput, GivesAClearErrorNamingTheFile) {
  const BadInputCase& c = GetParam();
  TempDir dir;
  const fs::path path = dir / c.fileName;
  writeFile(path, c.content());
  const std::string reason = reasonFor(path);
  EXPECT_NE(reason.find(c.expectedReason), std::string::npos) << "reason: " << reason;
}

std::string truncated(const std::string& bytes, double keep) {
  return bytes.substr(0, static_cast<std::size_t>(static_cast<double>(bytes.size()) * keep));
}

std::string pngHeaderOfSize(std::uint32_t width, std::uint32_t height) {
  // A valid signature and IHDR declaring width x height, then an empty IDAT and IEND: no decoder
  // may allocate width * height before refusing it.
  std::string png = encode(".png", gradient(8));
  for (int i = 0; i < 4; ++i) {
    png[16 + i] = static_cast<char>((width >> (24 - 8 * i)) & 0xFF);
    png[20 + i] = static_cast<char>((height >> (24 - 8 * i)) & 0xFF);
  }
  return png;
}

/// A PNG header declaring 16-bit RGBA (colour type 6) of width x height.
std::string png16BitRgbaHeaderOfSize(std::uint32_t width, std::uint32_t height) {
  std::string png = pngHeaderOfSize(width, height);
  png[24] = 16;  // bit depth
  png[25] = 6;   // colour type: RGBA
  return png;
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadInput,
    ::testing::Values(
        BadInputCase{"empty", "empty.png", [] { return std::string(); }, "the file is empty"},
        BadInputCase{"text_named_dcm", "notes.dcm",
                     [] { return std::string("Patient was scanned twice; see report.\n"); },
                     "not an image"},
        BadInputCase{"text_named_png", "notes.png", [] { return std::string("hello\n"); },
                     "not an image"},
        BadInputCase{"truncated_png", "cut.png",
                     [] { return truncated(encode(".png", gradient(64)), 0.6); }, "truncated PNG"},
        BadInputCase{"truncated_jpeg", "cut.jpg",
                     [] { return truncated(encode(".jpg", gradient(64)), 0.6); }, "truncated JPEG"},
        BadInputCase{"truncated_dicom", "cut.dcm",
                     [] { return truncated(readFile(dataDir() / "CT_small.dcm"), 0.7); },
                     "truncated DICOM"},
        BadInputCase{"dicom_cut_in_header", "head.dcm",
                     [] { return readFile(dataDir() / "CT_small.dcm").substr(0, 300); }, "DICOM"},
        BadInputCase{"truncated_tiff", "cut.tif",
                     [] { return truncated(encode(".tif", gradient(64)), 0.6); }, "truncated TIFF"},
        BadInputCase{"truncated_bmp", "cut.bmp",
                     [] { return truncated(encode(".bmp", gradient(64)), 0.5); }, "truncated BMP"},
        BadInputCase{"one_by_one", "dot.png",
                     [] { return encode(".png", gradient(8)(cv::Rect(0, 0, 1, 1)).clone()); },
                     "1x1 pixels"},
        BadInputCase{"huge_header", "huge.png", [] { return pngHeaderOfSize(30000, 30000); },
                     "30000x30000 pixels, larger than the limit"},
        // Within the side limit, but 3.75 GB decoded: refused from the header (issue 18).
        BadInputCase{"too_much_memory", "rgba16.png",
                     [] { return png16BitRgbaHeaderOfSize(16384, 16384); },
                     "would take 3584 MB (16384x16384, 4 samples of 16 bits), more than the 512 "
                     "MB one image may use"},
        BadInputCase{"corrupt_png_data", "garbled.png",
                     [] {
                       std::string png = encode(".png", gradient(64));
                       for (std::size_t i = 40; i < png.size() - 20; ++i)
                         png[i] = '\x5a';
                       return png;
                     },
                     "damaged or truncated"}),
    [](const auto& testInfo) { return std::string(testInfo.param.name); });

// Issue 18, point 7: a TIFF with 5 samples per pixel is refused with camlabel's one line; no
// decoder library prints its own lines around it.
TEST(BadInputFiles, AFiveSampleTiffIsRefusedWithOnlyCamlabelsLine) {
  TempDir dir;
  std::string tiff = encode(".tif", gradient(16));
  ASSERT_EQ(tiff.substr(0, 2), "II");
  // The SamplesPerPixel entry (tag 277, SHORT, count 1): 1 -> 5. (OpenCV 4.6 logs a
  // five-line "Unsupported number of channels" error for it.)
  const std::string entry("\x15\x01\x03\x00\x01\x00\x00\x00\x01\x00", 10);
  const auto at = tiff.find(entry);
  ASSERT_NE(at, std::string::npos);
  tiff[at + 8] = 5;
  writeFile(dir / "five.tif", tiff);
  testing::internal::CaptureStderr();
  const std::string reason = reasonFor(dir / "five.tif");
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(reason.empty());
  EXPECT_EQ(printed, "") << "a library printed: " << printed;
}

// Damaged image data that only the decoder finds: libpng and libjpeg print their own lines to
// stderr ("libpng error: IDAZ: CRC error", "Corrupt JPEG data: 39 extraneous bytes"); the user
// sees camlabel's only.
TEST(BadInputFiles, NoDecoderLibraryPrintsItsOwnLines) {
  TempDir dir;
  std::string png = encode(".png", gradient(64));
  for (std::size_t i = 40; i < png.size() - 20; ++i)
    png[i] = '\x5a';
  writeFile(dir / "garbled.png", png);
  std::string jpeg = encode(".jpg", gradient(64));
  jpeg.insert(jpeg.size() - 2, std::string(39, '\0'));  // "Corrupt JPEG data: extraneous bytes"
  writeFile(dir / "extraneous.jpg", jpeg);
  for (const char* name : {"garbled.png", "extraneous.jpg"}) {
    testing::internal::CaptureStderr();
    std::string reason;
    try {
      readImage(dir / name);
    } catch (const InputError& e) {
      reason = e.what();
    }
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_EQ(printed, "") << name << ": a library printed: " << printed << " (camlabel: " << reason
                           << ")";
  }
}

TEST(BadInputFiles, MissingFileAndFolder) {
  TempDir dir;
  EXPECT_NE(reasonFor(dir / "absent.png").find("no such file"), std::string::npos);
  EXPECT_NE(reasonFor(dir.path()).find("folder"), std::string::npos);
}

TEST(BadInputFiles, UnreadablePermissionsGiveTheSystemReason) {
  TempDir dir;
  const fs::path path = dir / "locked.png";
  writeFile(path, encode(".png", gradient(16)));
  fs::permissions(path, fs::perms::none);
  fs::permissions(dir.path(),
                  fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  // Root reads anything, so the check runs in a child that gives up root first.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    try {
      readImage(path);
    } catch (const InputError& e) {
      _exit(e.reason().find("Permission denied") != std::string::npos ? 0 : 1);
    } catch (...) {
      _exit(4);
    }
    _exit(2);  // read a file it had no right to read
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: other reason, 2: no error, 3: cannot drop root";
}

TEST(BadInputFiles, NonAsciiPathsAreRead) {
  TempDir dir;
  const fs::path folder = dir / "患者フォルダ_é";
  fs::create_directories(folder);
  const fs::path png = folder / "スライス_1.png";
  writeFile(png, encode(".png", gradient(32)));
  EXPECT_EQ(readImage(png).info.width, 32);
  const fs::path dicom = folder / "胸部_CT.dcm";
  fs::copy_file(dataDir() / "CT_small.dcm", dicom);
  EXPECT_EQ(readImage(dicom).info.modality, "CT");
  // ... and a bad one is reported under its real name.
  const fs::path bad = folder / "壊れた.png";
  writeFile(bad, "x");
  EXPECT_NE(reasonFor(bad).find("not an image"), std::string::npos);
}

}  // namespace
}  // namespace camlabel::imaging
