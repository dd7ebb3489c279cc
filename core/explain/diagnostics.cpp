// SPDX-License-Identifier: Apache-2.0
#include "core/explain/diagnostics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/common/error.h"

namespace camlabel::explain {

std::string_view diagnosticName(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::kBorder:
      return "border";
    case DiagnosticKind::kCorner:
      return "corner";
    case DiagnosticKind::kUniform:
      return "uniform";
    case DiagnosticKind::kOutsideBody:
      return "outside-body";
    case DiagnosticKind::kOutsideLungs:
      return "outside-lungs";
    case DiagnosticKind::kOneSided:
      return "one-sided";
  }
  return "unknown";
}

namespace {

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", share * 100);
  return text;
}

/// Sum of the map over the pixels where mask is set.
double energyWhere(const cv::Mat& map, const cv::Mat& mask) {
  cv::Mat inside = cv::Mat::zeros(map.size(), CV_32F);
  map.copyTo(inside, mask);
  return cv::sum(inside)[0];
}

cv::Mat borderMask(cv::Size size, double width) {
  cv::Mat mask(size, CV_8UC1, cv::Scalar(255));
  const int bx = std::max(1, static_cast<int>(std::lround(width * size.width)));
  const int by = std::max(1, static_cast<int>(std::lround(width * size.height)));
  if (size.width > 2 * bx && size.height > 2 * by) {
    mask(cv::Rect(bx, by, size.width - 2 * bx, size.height - 2 * by)).setTo(cv::Scalar(0));
  }
  return mask;
}

cv::Mat cornerMask(cv::Size size, double corner) {
  cv::Mat mask(size, CV_8UC1, cv::Scalar(0));
  const int cx = std::clamp(static_cast<int>(std::lround(corner * size.width)), 1, size.width / 2);
  const int cy =
      std::clamp(static_cast<int>(std::lround(corner * size.height)), 1, size.height / 2);
  for (const cv::Point origin :
       {cv::Point(0, 0), cv::Point(size.width - cx, 0), cv::Point(0, size.height - cy),
        cv::Point(size.width - cx, size.height - cy)}) {
    mask(cv::Rect(origin, cv::Size(cx, cy))).setTo(cv::Scalar(255));
  }
  return mask;
}

/// Entropy of the energy distribution on a grid x grid coarse map, divided by its maximum.
double normalizedEntropy(const cv::Mat& map, int grid) {
  cv::Mat coarse;
  cv::resize(map, coarse, cv::Size(grid, grid), 0, 0, cv::INTER_AREA);
  const double total = cv::sum(coarse)[0];
  if (total <= 0) return 1;
  double h = 0;
  for (int y = 0; y < coarse.rows; ++y) {
    for (int x = 0; x < coarse.cols; ++x) {
      const double p = coarse.at<float>(y, x) / total;
      if (p > 0) h -= p * std::log(p);
    }
  }
  return h / std::log(static_cast<double>(grid) * grid);
}

void warnAbove(HeatmapDiagnostics& d, DiagnosticKind kind, double value, double threshold,
               const std::string& what) {
  if (value <= threshold) return;
  d.warnings.push_back({kind, value, threshold,
                        percent(value) + " of the heatmap lies " + what + " (threshold " +
                            percent(threshold) + ")"});
}

}  // namespace

const std::vector<DiagnosticThresholdName>& diagnosticThresholdNames() {
  using T = DiagnosticThresholds;
  static const std::vector<DiagnosticThresholdName> names{
      {"border_width", &T::borderWidth, 0.01, 0.49, "the border band, as a share of each side"},
      {"border_share", &T::borderShare, 0, 1, "warn above this share of energy in the border"},
      {"corner_size", &T::cornerSize, 0.01, 0.5, "each corner square, as a share of each side"},
      {"corner_share", &T::cornerShare, 0, 1, "warn above this share of energy in the corners"},
      {"uniform_entropy", &T::uniformEntropy, 0, 1,
       "warn above this normalised entropy (1 = spread evenly)"},
      {"outside_body_share", &T::outsideBodyShare, 0, 1,
       "warn above this share of energy outside the body"},
      {"outside_lung_share", &T::outsideLungShare, 0, 1,
       "warn above this share of energy outside the lungs"},
      {"one_sided_share", &T::oneSidedShare, 0.5, 1,
       "warn when one side holds more than this share"},
      {"body_hu", &T::bodyHu, -1000, 0, "the body is above this HU"},
      {"lung_hu", &T::lungHu, -1000, 0, "the lungs are below this HU inside the body"},
  };
  return names;
}

void setDiagnosticThreshold(DiagnosticThresholds& thresholds, std::string_view assignment) {
  const auto equals = assignment.find('=');
  const std::string_view name = assignment.substr(0, equals);
  const auto& names = diagnosticThresholdNames();
  const auto it = std::find_if(names.begin(), names.end(),
                               [&](const DiagnosticThresholdName& n) { return n.name == name; });
  if (equals == std::string_view::npos || it == names.end()) {
    std::string message = "unknown threshold '";
    message.append(assignment).append("': use NAME=VALUE with NAME one of");
    for (const auto& n : names)
      message.append(" ").append(n.name);
    throw Error(message);
  }
  const std::string text(assignment.substr(equals + 1));
  double value = 0;
  std::size_t used = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value) || value < it->min ||
      value > it->max) {
    std::ostringstream message;
    message << "threshold " << it->name << " must be a number from " << it->min << " to " << it->max
            << " (" << it->meaning << "), got '" << text << "'";
    throw Error(message.str());
  }
  thresholds.*(it->field) = value;
}

std::optional<AnatomyMasks> segmentAnatomy(const imaging::CtImage& image,
                                           const DiagnosticThresholds& thresholds) {
  if (image.info.meaning != imaging::PixelMeaning::Hounsfield || image.values.empty()) {
    return std::nullopt;
  }
  cv::Mat dense = image.values > thresholds.bodyHu;
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(dense, labels, stats, centroids, 8);
  int largest = 0;
  for (int i = 1; i < count; ++i)
    if (largest == 0 ||
        stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(largest, cv::CC_STAT_AREA)) {
      largest = i;
    }
  const double area = static_cast<double>(image.values.total());
  if (largest == 0 || stats.at<int>(largest, cv::CC_STAT_AREA) < 0.05 * area) return std::nullopt;
  cv::Mat body = labels == largest;
  // Fill holes (the lungs, airways): what the outside air cannot reach is inside the body.
  cv::Mat padded;
  cv::copyMakeBorder(body, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::Mat outside = padded.clone();
  cv::floodFill(outside, cv::Point(0, 0), cv::Scalar(128));
  cv::Mat filled = outside != 128;
  AnatomyMasks masks;
  masks.body = filled(cv::Rect(1, 1, image.values.cols, image.values.rows)).clone();
  masks.lungs = (image.values < thresholds.lungHu) & masks.body;
  return masks;
}

HeatmapDiagnostics diagnoseHeatmap(const cv::Mat& mapIn, const imaging::CtImage* image,
                                   const DiagnosticThresholds& t, bool lateralLabel) {
  if (mapIn.empty() || mapIn.channels() != 1)
    throw Error("a heatmap must be a non-empty 1-channel map");
  cv::Mat map;
  mapIn.convertTo(map, CV_32F);
  double lowest = 0;
  cv::minMaxLoc(map, &lowest);
  if (lowest < 0) throw Error("a heatmap cannot have negative values (apply ReLU first)");
  if (image != nullptr && image->values.size() != map.size()) {
    throw Error("the heatmap is " + std::to_string(map.cols) + "x" + std::to_string(map.rows) +
                " but the image is " + std::to_string(image->values.cols) + "x" +
                std::to_string(image->values.rows));
  }

  HeatmapDiagnostics d;
  const double total = cv::sum(map)[0];
  if (total <= 0) {
    d.normalizedEntropy = 1;
    d.warnings.push_back({DiagnosticKind::kUniform, 1, t.uniformEntropy,
                          "the heatmap is empty: the model found no evidence for this class",
                          /*empty=*/true});
    return d;
  }
  d.borderShare = energyWhere(map, borderMask(map.size(), t.borderWidth)) / total;
  d.cornerShare = energyWhere(map, cornerMask(map.size(), t.cornerSize)) / total;
  d.normalizedEntropy = normalizedEntropy(map, 16);
  const int half = map.cols / 2;
  double left = cv::sum(map.colRange(0, half))[0];
  if (map.cols % 2 == 1) left += cv::sum(map.col(half))[0] / 2;
  d.leftShare = left / total;

  warnAbove(d, DiagnosticKind::kBorder, d.borderShare, t.borderShare,
            "in the image border: the model may be reading labels, markers or scanner text");
  warnAbove(d, DiagnosticKind::kCorner, d.cornerShare, t.cornerShare,
            "in the image corners: the model may be reading labels, markers or scanner text");
  if (d.normalizedEntropy > t.uniformEntropy) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "the heatmap is spread almost evenly (entropy %.2f of 1, threshold %.2f): "
                  "nothing specific was found",
                  d.normalizedEntropy, t.uniformEntropy);
    d.warnings.push_back({DiagnosticKind::kUniform, d.normalizedEntropy, t.uniformEntropy, text});
  }
  if (image != nullptr) {
    if (const auto anatomy = segmentAnatomy(*image, t)) {
      d.outsideBodyShare = 1 - energyWhere(map, anatomy->body) / total;
      warnAbove(d, DiagnosticKind::kOutsideBody, *d.outsideBodyShare, t.outsideBodyShare,
                "outside the body");
      if (cv::countNonZero(anatomy->lungs) >= 0.01 * static_cast<double>(map.total())) {
        d.outsideLungsShare = 1 - energyWhere(map, anatomy->lungs) / total;
        warnAbove(d, DiagnosticKind::kOutsideLungs, *d.outsideLungsShare, t.outsideLungShare,
                  "outside the lungs");
      }
    }
  }
  if (!lateralLabel) {
    const double side = std::max(d.leftShare, 1 - d.leftShare);
    warnAbove(d, DiagnosticKind::kOneSided, side, t.oneSidedShare,
              d.leftShare > 0.5
                  ? "on the image's left half (the patient's right) for a finding that is not "
                    "lateral: a position bias?"
                  : "on the image's right half (the patient's left) for a finding that is not "
                    "lateral: a position bias?");
  }
  return d;
}

Localisation localise(const cv::Mat& mapIn, const cv::Mat& mask, int tolerance) {
  if (mapIn.size() != mask.size()) throw Error("the heatmap and the lesion mask differ in size");
  cv::Mat map;
  mapIn.convertTo(map, CV_32F);
  cv::Mat inside = mask != 0;
  const int area = cv::countNonZero(inside);
  if (area == 0) throw Error("the lesion mask is empty");
  Localisation l;
  l.maskArea = static_cast<double>(area) / static_cast<double>(mask.total());
  cv::Point peak;
  cv::minMaxLoc(map, nullptr, nullptr, nullptr, &peak);
  // A new matrix for the dilated mask: `inside` itself stays the mask, since the energy below is
  // measured inside the lesion, whatever the pointing game's slack (cv::Mat assignment would
  // share the pixels, and dilate would then grow the mask the energy is measured in).
  cv::Mat reach;
  if (tolerance > 0) {
    cv::dilate(inside, reach,
               cv::getStructuringElement(cv::MORPH_ELLIPSE,
                                         cv::Size(2 * tolerance + 1, 2 * tolerance + 1)));
  } else {
    reach = inside;
  }
  l.reachArea = static_cast<double>(cv::countNonZero(reach)) / static_cast<double>(mask.total());
  l.hit = reach.at<std::uint8_t>(peak) != 0;
  l.peak = peak;
  if (inside.at<std::uint8_t>(peak) == 0) {
    cv::Mat distance;  // of each pixel outside the mask to the nearest one inside
    cv::distanceTransform(inside == 0, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    l.peakDistance = distance.at<float>(peak);
  }
  const double total = cv::sum(map)[0];
  l.energyInside = total > 0 ? energyWhere(map, inside) / total : 0;
  return l;
}

LateralitySummary summariseLaterality(const std::vector<HeatmapDiagnostics>& maps,
                                      const DiagnosticThresholds& thresholds, double share) {
  LateralitySummary s;
  s.images = static_cast<int>(maps.size());
  if (maps.empty()) return s;
  double sum = 0;
  for (const HeatmapDiagnostics& d : maps) {
    sum += d.leftShare;
    if (std::max(d.leftShare, 1 - d.leftShare) > thresholds.oneSidedShare) ++s.oneSided;
  }
  s.meanLeftShare = sum / s.images;
  s.biased = s.oneSidedShare() > share;
  return s;
}

}  // namespace camlabel::explain
