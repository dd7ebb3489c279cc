// SPDX-License-Identifier: Apache-2.0
#pragma once
// Position bias over a project: does a model version's heatmap sit on one side of the image for
// most images? The laterality summary of the heatmaps of the labelled images.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "core/explain/cam.h"
#include "core/explain/diagnostics.h"
#include "core/model/resnet.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"
#include "core/session/trust_tools.h"

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::session {

struct LateralityOptions {
  std::optional<int> version;  ///< K of vK; none: the project's current version
  /// "file,label" rows (a relative file is relative to the CSV's own folder); empty: the
  /// project's labelled images with their current labels.
  std::filesystem::path labelsCsv;
  explain::CamMethod method = explain::CamMethod::GradCam;
  model::ResNetLayer layer = explain::kDefaultCamLayer;
  std::optional<int> limit;  ///< only the first N images (of the list, in its order)
  explain::DiagnosticThresholds thresholds;  ///< oneSidedShare decides "one-sided"
  /// Suggest position bias when more than this share of the maps is one-sided.
  double biasShare = 0.5;
  model::ResNetConfig config = model::ResNetConfig::resnet50();  ///< numClasses: the scheme's
  c10::Device device = c10::kCPU;
};

struct ClassLaterality {
  int classIndex = 0;
  std::string className;  ///< English
  explain::LateralitySummary summary;
};

struct LateralityReport {
  int version = 0;
  std::int64_t labelsSeen = 0;
  explain::LateralitySummary overall;
  /// One entry per class with at least one image, by class index.
  std::vector<ClassLaterality> perClass;
  /// Images left out, named by their relative path (never an absolute one), with the reason.
  std::vector<std::string> problems;
  /// One sentence for the user: whether the summary suggests position bias.
  std::string verdict;
};

/// The images of a "file,label" list (a relative file is relative to the CSV's own folder; an
/// absolute one is named by its file name only, since paths can carry patient names), labelled.
/// Throws InputError for an unreadable list, a label outside 0..classCount-1, or no row.
std::vector<TrustImage> listedTrustImages(const std::filesystem::path& labelsCsv, int classCount);

/// Explains each listed image's labelled class with version vK (the heatmap of the true class, as
/// localiseVersion does), measures each map's left share (explain::diagnoseHeatmap) and summarises
/// them with explain::summariseLaterality, overall and per class. The one-sided warning's
/// "lateral label" exemption is not applied: no class scheme says which findings are lateral.
/// Throws camlabel::Error when the project has no such version or no image to explain,
/// InputError for a bad list (a label outside the scheme, a bad limit) or a mismatched
/// checkpoint, Cancelled when progress asks to. Unreadable images are left out and listed.
LateralityReport summariseProjectLaterality(project::Project& project,
                                            const LateralityOptions& options,
                                            ProgressDelegate* progress = nullptr);

/// summariseProjectLaterality for a model already loaded (e.g. session::loadModelSource, on a
/// thread of its own) and a list of images (e.g. session::labelledTrustImages): each image's
/// `label` is the class explained, and TrustImage::relativePath names it in problems.
/// options.version, labelsCsv, config and device are ignored (the input goes to options.device,
/// which must be the model's); `modelSize` is the project's model input size. The limit applies
/// to `images`, in their order. Images without a label are left out and listed. Throws Error for
/// no image, a bad limit or bias share, or when no image could be explained, InputError for a
/// label outside the model's classes, Cancelled when progress asks to.
LateralityReport summariseModelLaterality(LoadedVersion& model,
                                          const std::vector<TrustImage>& images,
                                          const LateralityOptions& options, int modelSize,
                                          ProgressDelegate* progress = nullptr);

/// The position-bias table as CSV: a header, a row for all images (named `overallName`, e.g. in
/// the reader's language) and one per class: group, class_index, images, one_sided,
/// one_sided_share, mean_left_share, biased, model, version, labels_seen, method, layer,
/// one_sided_above. Names come from outside (a colleague's class scheme, a model file's name):
/// every text cell goes through csv::field, so none is taken for a spreadsheet formula.
std::string lateralityCsv(const LateralityReport& report, const LateralityOptions& options,
                          const std::string& model, const std::string& overallName);

}  // namespace camlabel::session
