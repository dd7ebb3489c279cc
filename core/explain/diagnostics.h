// SPDX-License-Identifier: Apache-2.0
#pragma once
// When should a heatmap not be trusted? Measures of the known signs of shortcut learning, each
// with a threshold the user can change, and localisation scores against lesion masks.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "core/imaging/ct_image.h"

namespace camlabel::explain {

/// Thresholds of the warnings. Shares are of the heatmap's energy (the sum of its values), so a
/// map spread evenly puts in each region exactly that region's share of the area.
struct DiagnosticThresholds {
  double borderWidth = 0.08;  ///< the border band: this share of each side
  /// Warn when the band holds more energy than this (its area is 1 - (1 - 2w)^2 = 29% at 0.08).
  double borderShare = 0.5;
  double cornerSize = 0.15;   ///< each corner square: this share of each side
  double cornerShare = 0.25;  ///< warn above this (the four corners are 9% of the area)
  /// Warn when the map's energy is spread almost evenly: normalised entropy (1 = uniform) above
  /// this, computed on a 16 x 16 grid.
  double uniformEntropy = 0.97;
  double outsideBodyShare = 0.3;  ///< warn above this share outside the body (CT in HU only)
  double outsideLungShare = 0.7;  ///< warn above this share outside the lungs (CT in HU only)
  /// Warn when one side holds more than this share (left / (left + right) or the converse).
  double oneSidedShare = 0.85;
  /// Body: above this HU; lungs: below lungHu inside the body.
  double bodyHu = -500;
  double lungHu = -400;
};

/// A threshold by the name users give it: "border_width", "border_share", "corner_size",
/// "corner_share", "uniform_entropy", "outside_body_share", "outside_lung_share",
/// "one_sided_share", "body_hu", "lung_hu" (the fields above, in that order).
struct DiagnosticThresholdName {
  std::string_view name;
  double DiagnosticThresholds::*field;
  double min, max;  ///< accepted values, inclusive
  std::string_view meaning;
};
const std::vector<DiagnosticThresholdName>& diagnosticThresholdNames();
/// Sets one threshold from "name=value" (as on the command line). Throws camlabel::Error naming
/// the accepted names, or the accepted range, when the text is not one of them.
void setDiagnosticThreshold(DiagnosticThresholds& thresholds, std::string_view assignment);

enum class DiagnosticKind { kBorder, kCorner, kUniform, kOutsideBody, kOutsideLungs, kOneSided };
std::string_view diagnosticName(DiagnosticKind kind);

struct DiagnosticWarning {
  DiagnosticKind kind;
  double value = 0;      ///< the measure
  double threshold = 0;  ///< the threshold it crossed
  std::string message;   ///< one sentence for the user, in English (the GUI words its own)
  bool empty = false;    ///< kUniform: the map is zero everywhere (no evidence at all)
};

struct HeatmapDiagnostics {
  double borderShare = 0;
  double cornerShare = 0;
  double normalizedEntropy = 0;
  double leftShare = 0.5;  ///< of the image's left half (the patient's right on a CT)
  std::optional<double> outsideBodyShare;   ///< only where the image has HU and a body
  std::optional<double> outsideLungsShare;  ///< only where lungs were found
  std::vector<DiagnosticWarning> warnings;
};

/// Measures a heatmap (CV_32FC1, values >= 0, any scale; the image's size when `image` is given)
/// and lists the warnings it triggers. `image` enables the body and lung measures when its values
/// are Hounsfield units. The one-sided warning is only raised when `lateralLabel` is false: a
/// lateral finding may rightly sit on one side. Throws camlabel::Error for an empty map, negative
/// values or a size that differs from the image's.
HeatmapDiagnostics diagnoseHeatmap(const cv::Mat& map, const imaging::CtImage* image = nullptr,
                                   const DiagnosticThresholds& thresholds = {},
                                   bool lateralLabel = false);

/// Body and lung masks (CV_8UC1, 255 inside) of a CT slice in HU: the body is the largest region
/// above bodyHu with its holes filled; the lungs are what lies below lungHu inside it.
struct AnatomyMasks {
  cv::Mat body;
  cv::Mat lungs;
};
std::optional<AnatomyMasks> segmentAnatomy(const imaging::CtImage& image,
                                           const DiagnosticThresholds& thresholds = {});

/// How well a heatmap points at a known lesion.
struct Localisation {
  bool hit = false;         ///< pointing game: the map's maximum lies in the mask (or within
                            ///< `tolerance` pixels of it)
  double energyInside = 0;  ///< share of the map's energy inside the mask
  double maskArea = 0;      ///< share of the image the mask covers: energyInside's chance level
  /// Share of the image within `tolerance` pixels of the mask: the pointing game's chance level
  /// (a peak at a random place hits this often); maskArea when the tolerance is 0.
  double reachArea = 0;
  cv::Point peak;  ///< where the map is highest (the first such pixel in row order)
  /// Distance in pixels from the peak to the nearest mask pixel: 0 inside the mask; a miss by
  /// a map cell's width is a matter of resolution, a miss by a lung's width is not.
  double peakDistance = 0;
};
/// Throws camlabel::Error when the sizes differ or the mask is empty.
Localisation localise(const cv::Mat& map, const cv::Mat& mask, int tolerance = 0);

/// Position bias over many images: the share of maps that are one-sided, and the mean left share.
struct LateralitySummary {
  int images = 0;
  int oneSided = 0;
  double meanLeftShare = 0.5;
  bool biased = false;  ///< oneSidedShare() above `share`
  /// oneSided / images; 0 without images.
  double oneSidedShare() const { return images > 0 ? static_cast<double>(oneSided) / images : 0.0; }
};
LateralitySummary summariseLaterality(const std::vector<HeatmapDiagnostics>& maps,
                                      const DiagnosticThresholds& thresholds = {},
                                      double share = 0.5);

}  // namespace camlabel::explain
