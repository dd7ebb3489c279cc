// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/phantom.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/window.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

bool identical(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() &&
         std::equal(a.datastart, a.dataend, b.datastart);
}

/// The lungs as a reader sees them: air-like pixels (HU < -400) that are not the air around the
/// body, i.e. not connected to the image corner. Vessels and airway walls are excluded.
cv::Mat lungOf(const cv::Mat& hu) {
  cv::Mat lung = hu < -400;
  cv::floodFill(lung, cv::Point(0, 0), cv::Scalar(0));
  return lung;
}

double median(std::vector<float> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

std::vector<float> valuesIn(const cv::Mat& hu, const cv::Mat& mask) {
  std::vector<float> out;
  for (int y = 0; y < hu.rows; ++y)
    for (int x = 0; x < hu.cols; ++x)
      if (mask.at<std::uint8_t>(y, x)) out.push_back(hu.at<float>(y, x));
  return out;
}

TEST(Phantom, SameArgumentsGiveIdenticalPixels) {
  for (int label : {0, 1, 5, 9}) {
    const PhantomSlice a = generatePhantomSlice(label, 42, 96);
    const PhantomSlice b = generatePhantomSlice(label, 42, 96);
    EXPECT_EQ(a.label, label);
    ASSERT_EQ(a.hu.type(), CV_32FC1);
    ASSERT_EQ(a.lesionMask.type(), CV_8UC1);
    EXPECT_EQ(a.hu.size(), cv::Size(96, 96));
    EXPECT_EQ(a.lesionMask.size(), cv::Size(96, 96));
    EXPECT_TRUE(identical(a.hu, b.hu)) << "label " << label;
    EXPECT_TRUE(identical(a.lesionMask, b.lesionMask)) << "label " << label;
    const PhantomSlice other = generatePhantomSlice(label, 43, 96);
    EXPECT_FALSE(identical(a.hu, other.hu)) << "label " << label;
  }
}

std::uint64_t fnv1a(const cv::Mat& m) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const uchar* p = m.datastart; p != m.dataend; ++p)
    h = (h ^ *p) * 0x100000001B3ULL;
  return h;
}

// The generator promises the same pixels on every machine (it avoids the standard library's
// distributions and libm-sensitive per-pixel maths). These hashes pin it: they change only when
// the drawing itself changes, which silently changes every demo set and learning test.
TEST(Phantom, PixelsArePinnedAcrossMachines) {
  const PhantomSlice lesion = generatePhantomSlice(3, 7, 64);
  EXPECT_EQ(fnv1a(lesion.hu), 0x7342E364AB5898DBULL);
  EXPECT_EQ(fnv1a(lesion.lesionMask), 0xFD0D90C24E6F9B8FULL);
  EXPECT_EQ(fnv1a(generatePhantomSlice(8, 123456789, 256).hu), 0x2E6FF776CCF3D031ULL);
}

TEST(Phantom, RejectsBadArguments) {
  EXPECT_THROW(generatePhantomSlice(-1, 1, 64), std::invalid_argument);
  EXPECT_THROW(generatePhantomSlice(kPhantomClassCount, 1, 64), std::invalid_argument);
  EXPECT_THROW(generatePhantomSlice(0, 1, 63), std::invalid_argument);
  EXPECT_THROW(generatePhantomSlice(0, 1, 0), std::invalid_argument);
  EXPECT_NO_THROW(generatePhantomSlice(9, 1, 64));
}

TEST(Phantom, AnatomyHasChestCtValues) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const PhantomSlice slice = generatePhantomSlice(0, seed, 128);
    const cv::Mat& hu = slice.hu;
    cv::Scalar mean, stddev;
    cv::meanStdDev(hu(cv::Rect(0, 0, 12, 12)), mean, stddev);
    EXPECT_NEAR(mean[0], -1000, 8) << "air in the corner, seed " << seed;
    EXPECT_GT(stddev[0], 8) << "the slice carries noise";
    EXPECT_LT(stddev[0], 25);

    const cv::Mat lung = lungOf(hu);
    const int lungPixels = cv::countNonZero(lung);
    EXPECT_GT(lungPixels, 0.12 * hu.total()) << "two lungs fill a good part of the chest";
    EXPECT_LT(lungPixels, 0.45 * hu.total());
    EXPECT_NEAR(median(valuesIn(hu, lung)), -850, 25);

    // The body: soft tissue around +40, bone above +300, fat around -100.
    const cv::Mat body = hu > -400;
    const std::vector<float> bodyValues = valuesIn(hu, body);
    EXPECT_NEAR(median(bodyValues), 40, 30);
    double minValue = 0, maxValue = 0;
    cv::minMaxLoc(hu, &minValue, &maxValue);
    EXPECT_GT(maxValue, 300) << "a vertebra";
    EXPECT_GE(minValue, -1024);
    EXPECT_GT(cv::countNonZero((hu > -200) & (hu < -50)), 0.01 * hu.total()) << "a fat rim";

    // Vessels: bright spots surrounded by lung, i.e. inside the lungs' outline.
    cv::Mat outline = lung.clone();
    cv::morphologyEx(outline, outline, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
    EXPECT_GT(cv::countNonZero(outline & (hu > -200)), 10) << "vessels inside the lungs";
  }
}

TEST(Phantom, AnatomyVariesWithTheSeedAndScalesWithSize) {
  const cv::Mat a = lungOf(generatePhantomSlice(0, 1, 128).hu);
  const cv::Mat b = lungOf(generatePhantomSlice(0, 2, 128).hu);
  const double overlap = cv::countNonZero(a & b);
  const double either = cv::countNonZero(a | b);
  EXPECT_LT(overlap / either, 0.95) << "two patients should not share one lung outline";
  EXPECT_GT(overlap / either, 0.5) << "but both are chests";

  // The same seed is the same patient at any size.
  const double share64 = cv::countNonZero(lungOf(generatePhantomSlice(0, 1, 64).hu)) / 4096.0;
  const double share256 = cv::countNonZero(lungOf(generatePhantomSlice(0, 1, 256).hu)) / 65536.0;
  EXPECT_NEAR(share64, share256, 0.1 * share256);
}

TEST(Phantom, NormalSliceHasAnEmptyMask) {
  for (std::uint64_t seed = 0; seed < 5; ++seed)
    EXPECT_EQ(cv::countNonZero(generatePhantomSlice(0, seed, 64).lesionMask), 0);
}

// The mask is exactly what the pattern changed: a lesion slice differs from the same seed's
// normal slice on the mask pixels and nowhere else, noise included. Mask pixels are all lung.
TEST(Phantom, MaskIsExactlyWhereThePatternChangedTheLung) {
  for (int size : {64, 100}) {
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
      const PhantomSlice normal = generatePhantomSlice(0, seed, size);
      const cv::Mat lung = lungOf(normal.hu);
      for (int label = 1; label < kPhantomClassCount; ++label) {
        const PhantomSlice slice = generatePhantomSlice(label, seed, size);
        SCOPED_TRACE("label " + std::to_string(label) + ", seed " + std::to_string(seed) +
                     ", size " + std::to_string(size));
        cv::Mat changed;
        cv::compare(slice.hu, normal.hu, changed, cv::CMP_NE);
        EXPECT_EQ(cv::countNonZero(changed != slice.lesionMask), 0);
        const cv::Mat values = (slice.lesionMask != 0) & (slice.lesionMask != 255);
        EXPECT_EQ(cv::countNonZero(values), 0) << "mask values are 0 or 255";
        EXPECT_GT(cv::countNonZero(slice.lesionMask), 0);
        EXPECT_EQ(cv::countNonZero(slice.lesionMask & ~lung), 0) << "lesion outside the lungs";
      }
    }
  }
}

TEST(Phantom, LesionsCoverAShareOfTheLungAndMoveWithTheSeed) {
  for (int label = 1; label < kPhantomClassCount; ++label) {
    std::set<std::pair<int, int>> centres;
    for (std::uint64_t seed = 0; seed < 12; ++seed) {
      const PhantomSlice normal = generatePhantomSlice(0, seed, 64);
      const PhantomSlice slice = generatePhantomSlice(label, seed, 64);
      const double share = static_cast<double>(cv::countNonZero(slice.lesionMask)) /
                           cv::countNonZero(lungOf(normal.hu));
      EXPECT_GE(share, 0.03) << "label " << label << ", seed " << seed;
      EXPECT_LE(share, 0.42) << "label " << label << ", seed " << seed;
      const cv::Moments m = cv::moments(slice.lesionMask, true);
      centres.insert({static_cast<int>(m.m10 / m.m00), static_cast<int>(m.m01 / m.m00)});
    }
    EXPECT_GE(centres.size(), 6U) << "label " << label << ": lesions at few places";
  }
}

// Where each pattern sits and how it looks, in a few numbers a radiologist would also use.
struct Features {
  static constexpr int kCount = 9;
  std::array<double, kCount> values{};
};

Features featuresOf(const PhantomSlice& slice, const PhantomSlice& normal) {
  const cv::Mat& hu = slice.hu;
  const cv::Mat lung = lungOf(normal.hu);
  cv::Mat depth;
  cv::distanceTransform(lung, depth, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  cv::Mat laplacian;
  cv::Laplacian(hu, laplacian, CV_32F);
  const cv::Rect box = cv::boundingRect(lung);
  const double size = hu.cols;

  double lungPixels = 0, cyst = 0, glass = 0, dense = 0, solid = 0;
  double abnormal = 0, vSum = 0, depthSum = 0, lateralSum = 0, roughSum = 0;
  for (int y = 0; y < hu.rows; ++y) {
    for (int x = 0; x < hu.cols; ++x) {
      if (!lung.at<std::uint8_t>(y, x)) continue;
      ++lungPixels;
      const float v = hu.at<float>(y, x);
      cyst += v < -940;
      glass += v >= -760 && v < -560;
      dense += v >= -560 && v < -250;
      solid += v >= -250;
      if (v >= -940 && v < -760) continue;
      ++abnormal;
      vSum += (y - box.y) / static_cast<double>(box.height);
      depthSum += depth.at<float>(y, x) / size;
      lateralSum += std::abs(x + 0.5 - size / 2) / size;
      roughSum += std::abs(laplacian.at<float>(y, x)) / 1000;
    }
  }
  Features f;
  const double n = std::max(1.0, abnormal);
  f.values = {cyst / lungPixels,  glass / lungPixels,    dense / lungPixels,
              solid / lungPixels, abnormal / lungPixels, abnormal ? vSum / n : 0.5,
              depthSum / n,       lateralSum / n,        roughSum / n};
  return f;
}

// A nearest-centroid classifier on handcrafted features, trained on 50 slices of 64x64 and
// tested on 50 others, must do far better than the 10% of chance: the textures are learnable.
TEST(Phantom, PatternsAreSeparableByASimpleClassifier) {
  constexpr int kSize = 64;
  constexpr int kPerClass = 5;
  const auto features = [&](int label, std::uint64_t seed) {
    return featuresOf(generatePhantomSlice(label, seed, kSize),
                      generatePhantomSlice(0, seed, kSize));
  };
  std::vector<std::array<double, Features::kCount>> centroids(kPhantomClassCount);
  std::array<double, Features::kCount> sum{}, sumSq{};
  for (int label = 0; label < kPhantomClassCount; ++label) {
    for (int i = 0; i < kPerClass; ++i) {
      const Features f = features(label, 1000 + i);
      for (int k = 0; k < Features::kCount; ++k) {
        centroids[label][k] += f.values[k] / kPerClass;
        sum[k] += f.values[k];
        sumSq[k] += f.values[k] * f.values[k];
      }
    }
  }
  const double n = kPhantomClassCount * kPerClass;
  std::array<double, Features::kCount> scale{};
  for (int k = 0; k < Features::kCount; ++k)
    scale[k] = 1 / std::max(1e-9, std::sqrt(sumSq[k] / n - (sum[k] / n) * (sum[k] / n)));

  int correct = 0;
  std::ostringstream confusion;
  for (int label = 0; label < kPhantomClassCount; ++label) {
    for (int i = 0; i < kPerClass; ++i) {
      const Features f = features(label, 2000 + i);
      int best = -1;
      double bestDistance = 0;
      for (int c = 0; c < kPhantomClassCount; ++c) {
        double d = 0;
        for (int k = 0; k < Features::kCount; ++k)
          d += std::pow((f.values[k] - centroids[c][k]) * scale[k], 2);
        if (best < 0 || d < bestDistance) {
          best = c;
          bestDistance = d;
        }
      }
      correct += best == label;
      if (best != label) confusion << " " << label << "->" << best;
    }
  }
  const double accuracy = correct / n;
  RecordProperty("accuracy", std::to_string(accuracy));
  EXPECT_GE(accuracy, 0.7) << "misclassified:" << confusion.str();
}

std::vector<std::string> lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

class CancelAfter : public ProgressDelegate {
 public:
  explicit CancelAfter(int calls) : calls_(calls) {}
  bool update(double fraction, std::string_view) override {
    fractions.push_back(fraction);
    return static_cast<int>(fractions.size()) < calls_;
  }
  std::vector<double> fractions;

 private:
  int calls_;
};

TEST(PhantomSet, WritesABalancedShuffledSetWithLabelsCsv) {
  TempDir dir;
  PhantomSetOptions options;
  options.count = 23;
  options.seed = 5;
  options.size = 64;
  CancelAfter progress(1000);
  const auto entries = writePhantomSet(dir / "set", options, &progress);
  ASSERT_EQ(entries.size(), 23U);

  std::map<int, int> perLabel;
  for (const auto& e : entries)
    ++perLabel[e.label];
  ASSERT_EQ(perLabel.size(), 10U);
  int withThree = 0;
  for (const auto& [label, count] : perLabel) {
    EXPECT_TRUE(count == 2 || count == 3) << "label " << label << " appears " << count;
    withThree += count == 3;
  }
  EXPECT_EQ(withThree, 3);

  std::vector<int> order;
  for (const auto& e : entries)
    order.push_back(e.label);
  std::vector<int> cyclic;
  for (int i = 0; i < 23; ++i)
    cyclic.push_back(i % 10);
  EXPECT_NE(order, cyclic) << "the order is shuffled";

  const std::vector<std::string> csv = lines(dir / "set" / "labels.csv");
  ASSERT_EQ(csv.size(), 24U);
  EXPECT_EQ(csv[0], "file,label");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "phantom_%04zu.png", i + 1);
    EXPECT_EQ(entries[i].file, std::string("images/") + name);
    EXPECT_EQ(entries[i].maskFile, std::string("masks/") + name);
    EXPECT_EQ(csv[i + 1], entries[i].file + "," + std::to_string(entries[i].label));

    const cv::Mat image =
        cv::imread((dir / "set" / entries[i].file).string(), cv::IMREAD_UNCHANGED);
    const cv::Mat mask =
        cv::imread((dir / "set" / entries[i].maskFile).string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(image.type(), CV_16UC1);
    ASSERT_EQ(mask.type(), CV_8UC1);
    EXPECT_EQ(image.size(), cv::Size(64, 64));
    EXPECT_EQ(cv::countNonZero(mask) == 0, entries[i].label == 0) << entries[i].file;
  }
  EXPECT_FALSE(fs::exists(dir / "set" / "dicom"));

  ASSERT_EQ(progress.fractions.size(), 23U);
  EXPECT_DOUBLE_EQ(progress.fractions.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(progress.fractions.begin(), progress.fractions.end()));
}

TEST(PhantomSet, SameOptionsGiveTheSameFilesAndSeedsDiffer) {
  TempDir dir;
  PhantomSetOptions options;
  options.count = 12;
  options.size = 64;
  const auto a = writePhantomSet(dir / "a", options);
  const auto b = writePhantomSet(dir / "b", options);
  options.seed = 2;
  const auto c = writePhantomSet(dir / "c", options);
  std::vector<int> la, lb, lc;
  for (std::size_t i = 0; i < a.size(); ++i) {
    la.push_back(a[i].label);
    lb.push_back(b[i].label);
    lc.push_back(c[i].label);
    EXPECT_EQ(test::readFile(dir / "a" / a[i].file), test::readFile(dir / "b" / b[i].file));
    EXPECT_EQ(test::readFile(dir / "a" / a[i].maskFile), test::readFile(dir / "b" / b[i].maskFile));
  }
  EXPECT_EQ(la, lb);
  EXPECT_NE(la, lc);
  EXPECT_NE(test::readFile(dir / "a" / a[0].file), test::readFile(dir / "c" / c[0].file));
  // Slices of one set are different patients, not one template.
  EXPECT_NE(test::readFile(dir / "a" / a[0].file), test::readFile(dir / "a" / a[1].file));
}

// PNG and DICOM of a slice read back as the same Hounsfield units (the DICOM writer's own test
// shows those are the generated values rounded), and the mask marks lung.
TEST(PhantomSet, ImagesReadBackInHounsfieldUnits) {
  TempDir dir;
  PhantomSetOptions options;
  options.count = 3;
  options.size = 64;
  options.seed = 9;
  options.writeDicom = true;
  const auto entries = writePhantomSet(dir.path(), options);
  for (const auto& e : entries) {
    const CtImage png = readImage(dir / e.file);
    const std::string stem = fs::path(e.file).stem().string();
    const CtImage dicom = readImage(dir / "dicom" / (stem + ".dcm"));
    EXPECT_EQ(png.info.meaning, PixelMeaning::Hounsfield);
    EXPECT_EQ(dicom.info.meaning, PixelMeaning::Hounsfield);
    EXPECT_EQ(dicom.info.modality, "CT");
    ASSERT_TRUE(dicom.info.pixelSpacingRowMm);
    EXPECT_NEAR(*dicom.info.pixelSpacingRowMm, 360.0 / 64, 1e-6);
    ASSERT_TRUE(dicom.info.storedWindow);
    EXPECT_EQ(*dicom.info.storedWindow, kLungWindow);
    EXPECT_EQ(cv::norm(png.values, dicom.values, cv::NORM_INF), 0) << e.file;

    const cv::Mat stored = cv::imread((dir / e.file).string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(stored.type(), CV_16UC1);
    cv::Mat expected;
    stored.convertTo(expected, CV_32F, 1, -1024);
    EXPECT_EQ(cv::norm(png.values, expected, cv::NORM_INF), 0) << "stored = HU + 1024";
    EXPECT_GE(png.info.minValue, -1024);
    EXPECT_LT(png.info.minValue, -990) << "air";
    EXPECT_GT(png.info.maxValue, 300) << "bone";

    const cv::Mat mask = cv::imread((dir / e.maskFile).string(), cv::IMREAD_UNCHANGED);
    if (cv::countNonZero(mask) > 0) {
      EXPECT_EQ(cv::countNonZero(mask & (png.values > 100)), 0) << "masks never mark bone";
    }
  }
}

TEST(PhantomSet, CancelThrowsAndLeavesNoLabelsCsv) {
  TempDir dir;
  PhantomSetOptions options;
  options.count = 10;
  options.size = 64;
  writePhantomSet(dir.path(), options);
  ASSERT_TRUE(fs::exists(dir / "labels.csv"));

  // A second run into the same folder, cancelled at the third slice: the old labels.csv would
  // name images this run has replaced, so it must be gone too.
  options.seed = 77;
  CancelAfter progress(3);
  EXPECT_THROW(writePhantomSet(dir.path(), options, &progress), Cancelled);
  EXPECT_EQ(progress.fractions.size(), 3U);
  EXPECT_FALSE(fs::exists(dir / "labels.csv"));
  EXPECT_FALSE(fs::exists(dir / "labels.csv.tmp"));
}

TEST(PhantomSet, UnwritableTargetThrowsErrorNamingThePath) {
  TempDir dir;
  test::writeFile(dir / "file", "not a folder");
  PhantomSetOptions options;
  options.count = 2;
  options.size = 64;
  try {
    writePhantomSet(dir / "file" / "set", options);
    FAIL() << "expected camlabel::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "file").string()), std::string::npos) << e.what();
  }

  // A folder in the way of an image file.
  fs::create_directories(dir / "set2" / "images" / "phantom_0001.png");
  EXPECT_THROW(writePhantomSet(dir / "set2", options), Error);
  EXPECT_FALSE(fs::exists(dir / "set2" / "labels.csv"));
}

TEST(PhantomSet, RejectsBadOptionsBeforeWritingAnything) {
  TempDir dir;
  PhantomSetOptions options;
  options.count = 0;
  EXPECT_THROW(writePhantomSet(dir / "a", options), std::invalid_argument);
  options.count = 3;
  options.size = 32;
  EXPECT_THROW(writePhantomSet(dir / "b", options), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir / "a"));
  EXPECT_FALSE(fs::exists(dir / "b"));
}

}  // namespace
}  // namespace camlabel::imaging
