// SPDX-License-Identifier: Apache-2.0
// Heatmap diagnostics on crafted maps and images that must, and must not, trigger each warning.

#include "core/explain/diagnostics.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/common/error.h"
#include "core/imaging/phantom.h"

namespace camlabel::explain {
namespace {

constexpr int kSide = 128;

/// A Gaussian blob of the given radius at (x, y): the shape of a focused CAM.
cv::Mat blob(double x, double y, double radius = 10) {
  cv::Mat map(kSide, kSide, CV_32F);
  for (int r = 0; r < kSide; ++r)
    for (int c = 0; c < kSide; ++c)
      map.at<float>(r, c) = static_cast<float>(
          std::exp(-((c - x) * (c - x) + (r - y) * (r - y)) / (2 * radius * radius)));
  return map;
}

bool warns(const HeatmapDiagnostics& d, DiagnosticKind kind) {
  return std::any_of(d.warnings.begin(), d.warnings.end(),
                     [&](const DiagnosticWarning& w) { return w.kind == kind; });
}

/// A phantom chest slice in HU, with its lesion mask.
imaging::PhantomSlice chest() {
  return imaging::generatePhantomSlice(1, 5, kSide);
}

TEST(HeatmapDiagnostics, AFocusedMapInTheMiddleRaisesNoWarning) {
  const HeatmapDiagnostics d = diagnoseHeatmap(blob(64, 60) + blob(40, 60));
  EXPECT_TRUE(d.warnings.empty()) << d.warnings.front().message;
  EXPECT_LT(d.borderShare, 0.05);
  EXPECT_LT(d.normalizedEntropy, 0.9);
}

TEST(HeatmapDiagnostics, CornersAndBorderAreFlagged) {
  // A scanner label in the top-left corner.
  const HeatmapDiagnostics corner = diagnoseHeatmap(blob(6, 6, 6));
  EXPECT_TRUE(warns(corner, DiagnosticKind::kCorner));
  EXPECT_TRUE(warns(corner, DiagnosticKind::kBorder));
  EXPECT_GT(corner.cornerShare, 0.5);
  // A ruler along the bottom edge: border, not corner.
  cv::Mat ruler(kSide, kSide, CV_32F, cv::Scalar(0.01));
  ruler.rowRange(kSide - 6, kSide).colRange(30, 98).setTo(cv::Scalar(1));
  const HeatmapDiagnostics edge = diagnoseHeatmap(ruler);
  EXPECT_TRUE(warns(edge, DiagnosticKind::kBorder));
  EXPECT_FALSE(warns(edge, DiagnosticKind::kCorner));
  const auto border = std::find_if(edge.warnings.begin(), edge.warnings.end(),
                                   [](const auto& w) { return w.kind == DiagnosticKind::kBorder; });
  EXPECT_NE(border->message.find("labels, markers or scanner text"), std::string::npos);
}

TEST(HeatmapDiagnostics, AnEvenMapAndAnEmptyMapSayNothingSpecificWasFound) {
  cv::Mat noise(kSide, kSide, CV_32F);
  cv::randu(noise, 0.9, 1.0);
  EXPECT_TRUE(warns(diagnoseHeatmap(noise), DiagnosticKind::kUniform));
  const HeatmapDiagnostics empty = diagnoseHeatmap(cv::Mat::zeros(kSide, kSide, CV_32F));
  ASSERT_EQ(empty.warnings.size(), 1U);
  EXPECT_EQ(empty.warnings[0].kind, DiagnosticKind::kUniform);
  // Two broad blobs are spread but not even.
  EXPECT_FALSE(
      warns(diagnoseHeatmap(blob(40, 64, 20) + blob(88, 64, 20)), DiagnosticKind::kUniform));
}

TEST(HeatmapDiagnostics, ActivationOutsideTheBodyOrLungsIsFlaggedOnCt) {
  const imaging::PhantomSlice slice = chest();
  imaging::CtImage image;
  image.values = slice.hu;
  image.info.meaning = imaging::PixelMeaning::Hounsfield;
  const auto anatomy = segmentAnatomy(image);
  ASSERT_TRUE(anatomy.has_value());
  // In the air above the patient (the phantom's body does not reach the top rows).
  const HeatmapDiagnostics air = diagnoseHeatmap(blob(64, 4, 4), &image);
  ASSERT_TRUE(air.outsideBodyShare.has_value());
  EXPECT_TRUE(warns(air, DiagnosticKind::kOutsideBody));
  // On the lesion in the image's left lung (UIP/P is bilateral and basal): neither warning.
  const cv::Moments m = cv::moments(slice.lesionMask.colRange(0, kSide / 2), true);
  const HeatmapDiagnostics lesion =
      diagnoseHeatmap(blob(m.m10 / m.m00, m.m01 / m.m00, 5), &image, {}, /*lateralLabel=*/true);
  EXPECT_FALSE(warns(lesion, DiagnosticKind::kOutsideBody)) << *lesion.outsideBodyShare;
  EXPECT_FALSE(warns(lesion, DiagnosticKind::kOutsideLungs)) << *lesion.outsideLungsShare;
  // On the spine (body, not lung): outside the lungs only.
  const HeatmapDiagnostics spine = diagnoseHeatmap(blob(64, 100, 5), &image);
  EXPECT_FALSE(warns(spine, DiagnosticKind::kOutsideBody));
  EXPECT_TRUE(warns(spine, DiagnosticKind::kOutsideLungs));
  // An 8-bit image has no HU: no anatomy measures at all.
  imaging::CtImage stored = image;
  stored.info.meaning = imaging::PixelMeaning::Stored8;
  EXPECT_FALSE(diagnoseHeatmap(blob(64, 4, 4), &stored).outsideBodyShare.has_value());
}

TEST(HeatmapDiagnostics, OneSidedOnlyWhenTheLabelIsNotLateral) {
  const cv::Mat left = blob(30, 64, 8);
  EXPECT_TRUE(warns(diagnoseHeatmap(left), DiagnosticKind::kOneSided));
  EXPECT_FALSE(
      warns(diagnoseHeatmap(left, nullptr, {}, /*lateralLabel=*/true), DiagnosticKind::kOneSided));
  EXPECT_GT(diagnoseHeatmap(left).leftShare, 0.95);
  std::vector<HeatmapDiagnostics> many;
  for (int i = 0; i < 10; ++i)
    many.push_back(diagnoseHeatmap(i < 7 ? left : blob(64, 64, 8)));
  const LateralitySummary s = summariseLaterality(many);
  EXPECT_EQ(s.oneSided, 7);
  EXPECT_TRUE(s.biased);
  EXPECT_GT(s.meanLeftShare, 0.7);
}

TEST(HeatmapDiagnostics, ThresholdsAreTheUsers) {
  const cv::Mat corner = blob(6, 6, 6);
  DiagnosticThresholds lenient;
  lenient.cornerShare = 0.99;
  lenient.borderShare = 0.99;
  const HeatmapDiagnostics d = diagnoseHeatmap(corner, nullptr, lenient);
  EXPECT_FALSE(warns(d, DiagnosticKind::kCorner));
  EXPECT_FALSE(warns(d, DiagnosticKind::kBorder));
}

TEST(HeatmapDiagnostics, ThresholdsAreSetByName) {
  DiagnosticThresholds t;
  setDiagnosticThreshold(t, "corner_share=0.4");
  setDiagnosticThreshold(t, "lung_hu=-350");
  EXPECT_EQ(t.cornerShare, 0.4);
  EXPECT_EQ(t.lungHu, -350);
  EXPECT_EQ(t.borderShare, DiagnosticThresholds{}.borderShare);
  // Every name reaches its own field.
  for (const DiagnosticThresholdName& n : diagnosticThresholdNames()) {
    DiagnosticThresholds changed;
    std::string assignment(n.name);
    assignment.append("=").append(std::to_string(n.min));
    setDiagnosticThreshold(changed, assignment);
    EXPECT_EQ(changed.*(n.field), n.min) << n.name;
    int differing = 0;
    for (const DiagnosticThresholdName& m : diagnosticThresholdNames())
      differing += changed.*(m.field) != DiagnosticThresholds{}.*(m.field) ? 1 : 0;
    EXPECT_LE(differing, 1) << n.name;
  }
  for (const char* bad : {"corner_share", "corner_share=", "corner_share=x", "corner_share=0.4x",
                          "corner_share=1.5", "corner_share=nan", "nose_share=0.1"}) {
    EXPECT_THROW(setDiagnosticThreshold(t, bad), Error) << bad;
  }
  EXPECT_EQ(t.cornerShare, 0.4) << "a refused value changes nothing";
  try {
    setDiagnosticThreshold(t, "nose_share=0.1");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("one_sided_share"), std::string::npos) << e.what();
  }
}

TEST(HeatmapDiagnostics, BadInputIsAnError) {
  EXPECT_THROW(diagnoseHeatmap(cv::Mat()), Error);
  EXPECT_THROW(diagnoseHeatmap(cv::Mat(8, 8, CV_32F, cv::Scalar(-1))), Error);
  imaging::CtImage image;
  image.values = cv::Mat(64, 64, CV_32F, cv::Scalar(0));
  EXPECT_THROW(diagnoseHeatmap(blob(64, 64), &image), Error);
  EXPECT_THROW(localise(blob(64, 64), cv::Mat::zeros(kSide, kSide, CV_8U)), Error);
}

TEST(Localisation, PointingGameAndEnergyInsideTheMask) {
  cv::Mat mask = cv::Mat::zeros(kSide, kSide, CV_8U);
  cv::circle(mask, {90, 40}, 12, cv::Scalar(255), cv::FILLED);
  const Localisation on = localise(blob(90, 40, 6), mask);
  EXPECT_TRUE(on.hit);
  EXPECT_EQ(on.peak, cv::Point(90, 40));
  EXPECT_EQ(on.peakDistance, 0);
  EXPECT_GT(on.energyInside, 0.8);  // 1 - exp(-2) for a blob of sigma 6 in a disc of radius 12
  EXPECT_NEAR(on.maskArea, CV_PI * 144 / (kSide * kSide), 0.01);
  const Localisation off = localise(blob(30, 100, 6), mask);
  EXPECT_FALSE(off.hit);
  EXPECT_LT(off.energyInside, 0.01);
  // A peak 15 pixels from the edge of the lesion counts only with a tolerance of 15.
  const Localisation near = localise(blob(90, 67, 3), mask, 0);
  EXPECT_FALSE(near.hit);
  EXPECT_EQ(near.peak, cv::Point(90, 67));
  EXPECT_NEAR(near.peakDistance, 15, 0.5);  // 67 - 40 - 12: the disc's edge is 15 px away
  EXPECT_TRUE(localise(blob(90, 67, 3), mask, 15).hit);
}

TEST(Localisation, TheSlackWidensThePointingGameNotTheMaskTheEnergyIsMeasuredIn) {
  cv::Mat mask = cv::Mat::zeros(kSide, kSide, CV_8U);
  cv::circle(mask, {90, 40}, 12, cv::Scalar(255), cv::FILLED);
  const cv::Mat before = mask.clone();
  // A blob centred just outside the lesion: a hit only with the slack; its energy inside the
  // lesion is what it is, whatever the slack.
  const cv::Mat map = blob(90, 60, 6);
  const Localisation strict = localise(map, mask, 0);
  const Localisation loose = localise(map, mask, 15);
  EXPECT_FALSE(strict.hit);
  EXPECT_TRUE(loose.hit);
  EXPECT_DOUBLE_EQ(loose.energyInside, strict.energyInside);
  EXPECT_DOUBLE_EQ(loose.maskArea, strict.maskArea);
  EXPECT_EQ(cv::countNonZero(mask != before), 0);  // the caller's mask is left as it was
  // The pointing game's chance level is the share of the image within the slack: a disc of
  // radius 12 + 15 instead of 12.
  EXPECT_DOUBLE_EQ(strict.reachArea, strict.maskArea);
  EXPECT_NEAR(loose.reachArea, CV_PI * 27 * 27 / (kSide * kSide), 0.01);
}

}  // namespace
}  // namespace camlabel::explain
