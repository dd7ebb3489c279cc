// SPDX-License-Identifier: Apache-2.0
#pragma once
// How good is a model version? Held-out evaluation and the prequential learning curve.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "core/explain/cam.h"
#include "core/explain/diagnostics.h"
#include "core/learning/metrics.h"
#include "core/model/classifier.h"
#include "core/model/resnet.h"
#include "core/project/project.h"

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::session {

/// The version number that names the project's model before any label ("base"): the weights
/// file's trunk or seeded random weights, with a new head (model::initializeBase).
inline constexpr int kBaseVersion = 0;

struct EvaluationOptions {
  std::optional<int> version;  ///< K of vK, kBaseVersion; none: the project's current version
  /// "file,label" rows; a relative file is relative to the CSV's own folder.
  std::filesystem::path labelsCsv;
  model::ResNetConfig config = model::ResNetConfig::resnet50();  ///< numClasses: the scheme's
  c10::Device device = c10::kCPU;
};

struct Evaluation {
  int version = 0;
  std::filesystem::path checkpoint;
  std::int64_t labelsSeen = 0;  ///< labels the version was trained on
  std::vector<std::string> classNames;
  learning::ClassificationMetrics metrics;
  /// Rows left out, with the reason (unreadable or missing image); the metrics exclude them.
  std::vector<std::string> problems;
};

/// Predicts every image of the list with version vK of the project's model and scores the
/// predictions. Throws camlabel::Error when the project has no such version, InputError for a
/// torn or mismatched checkpoint or a bad list (a label outside the scheme), Cancelled when
/// progress asks to.
Evaluation evaluateVersion(project::Project& project, const EvaluationOptions& options,
                           ProgressDelegate* progress = nullptr);

struct LocalisationOptions {
  std::optional<int> version;  ///< K of vK; none: the project's current version
  /// "file,label" rows; a relative file is relative to the CSV's own folder.
  std::filesystem::path labelsCsv;
  /// Lesion masks (8-bit, nonzero inside) named as the images; rows without one are left out.
  /// Empty: masks/ beside labelsCsv.
  std::filesystem::path masksDir;
  std::vector<explain::CamMethod> methods{explain::CamMethod::GradCam};
  model::ResNetLayer layer = explain::kDefaultCamLayer;
  int tolerance = 0;  ///< pointing game: pixels of slack around the mask (in image pixels)
  /// The pointing game also scored at these tolerances (LocalisationScore::within), from the
  /// same maps: e.g. 15 px, the slack of the game's original definition (Zhang et al., 2016).
  std::vector<int> alsoWithin;
  model::ResNetConfig config = model::ResNetConfig::resnet50();
  c10::Device device = c10::kCPU;
};

/// Per method: how well the heatmaps of the true class point at the lesions.
struct LocalisationScore {
  explain::CamMethod method = explain::CamMethod::GradCam;
  int images = 0;           ///< images with a non-empty mask
  int hits = 0;             ///< pointing game: the map's peak inside the mask
  double pointingGame = 0;  ///< hits / images
  double energyInside = 0;  ///< mean share of the map's energy inside the mask
  double maskArea = 0;      ///< mean share of the image the masks cover: energy's chance level
  /// Mean share of the image within the tolerance of the masks: the pointing game's chance level
  /// (maskArea at tolerance 0).
  double reachArea = 0;
  /// The pointing game at each of LocalisationOptions::alsoWithin.
  struct Within {
    int tolerance = 0;
    int hits = 0;
    double pointingGame = 0;
    double reachArea = 0;  ///< its chance level
  };
  std::vector<Within> within;
  /// Each scored image, in the order of the labels CSV, at the tolerance: where the map peaked
  /// and how far from the lesion (`camlabel-cli localise --csv`).
  struct Image {
    std::string file;  ///< as the labels CSV names it
    int label = 0;
    explain::Localisation localisation;
  };
  std::vector<Image> perImage;
};

struct LocalisationReport {
  int version = 0;
  std::int64_t labelsSeen = 0;
  std::vector<LocalisationScore> scores;  ///< one per method
  std::vector<std::string> problems;      ///< rows left out, with the reason
  /// Rows without a mask file in masksDir ("FILE: no mask 'NAME'"): not scored, and not
  /// problems either, since images without a lesion often have no mask.
  std::vector<std::string> withoutMask;
};

/// Explains the true class of each listed image that has a lesion mask with version vK and
/// scores the maps against the masks (pointing game, energy inside). Throws as evaluateVersion.
LocalisationReport localiseVersion(project::Project& project, const LocalisationOptions& options,
                                   ProgressDelegate* progress = nullptr);

/// Each scored image of each method as CSV (method, file, label, hit, peak_x, peak_y,
/// peak_distance_px, energy_inside, mask_area), in the order of the report; cells a
/// spreadsheet would take for a formula are written as text (csv::field).
std::string localisationCsv(const LocalisationReport& report);

/// One model's localisation report, under the name a reader knows it by.
struct NamedLocalisationReport {
  std::string model;  ///< e.g. "v3", "now", or a model file's name
  LocalisationReport report;
};
/// The localisation table of several models as CSV: a header, then a row per model and method
/// (model, version, labels_seen, method, images, hits, pointing_game,
/// pointing_game_chance, energy_inside, mask_area). A model's name comes from outside (a
/// colleague's file): text cells go through csv::field, so none is taken for a formula.
std::string localisationSummaryCsv(const std::vector<NamedLocalisationReport>& reports);

/// A recorded version of the project's model, loaded for inference (eval mode, on `device`).
struct LoadedVersion {
  int version = 0;
  std::string name;  ///< for titles: "v3", "base" (the model before any label), "now"
  std::int64_t labelsSeen = 0;
  std::vector<std::string> classNames;  ///< English, in index order
  std::unique_ptr<model::ResNet> network;
};
/// vK, or the current version when `version` is empty. Throws as evaluateVersion.
LoadedVersion loadVersion(project::Project& project, std::optional<int> version,
                          const model::ResNetConfig& config, c10::Device device);

/// A model version file on its own, outside any project (a project's models/<scheme>_vK.pt, or
/// one a colleague sent): its network, class names and input size come from the file.
struct VersionFile {
  LoadedVersion model;  ///< name: the file's name
  int modelSize = 224;  ///< the input side it was trained at (224 for files that do not say)
  std::string schemeName;
};
/// Throws InputError for a missing, torn or foreign file; a torchvision weights file (.pth) is
/// refused with a sentence saying that it holds ImageNet's classes, not a class scheme.
VersionFile loadVersionFile(const std::filesystem::path& file, c10::Device device);
/// loadVersionFile as a Classifier for predictions and heatmaps; info().source says
/// "model version file pattern_v3.pt (30 labels)".
model::Classifier versionFileClassifier(const std::filesystem::path& file, c10::Device device);
/// Whether `file` starts as a camlabel model version does (it may still be torn): tells a
/// version file from a torchvision .pth without reading either.
bool looksLikeVersionFile(const std::filesystem::path& file);

/// evaluateVersion's scores for a model already loaded (on `device`), whose input side is
/// modelSize. Result.version and labelsSeen are the model's; checkpoint is left empty.
Evaluation evaluateModel(LoadedVersion& model, const std::filesystem::path& labelsCsv,
                         int modelSize, c10::Device device, ProgressDelegate* progress = nullptr);

/// Version vK (kBaseVersion: the model before any label; none: the current version) as a
/// Classifier for predictions and heatmaps: the scheme's class names, the project's input size;
/// info().source says "project version v3 (30 labels)". Throws as loadVersion.
model::Classifier versionClassifier(project::Project& project, std::optional<int> version,
                                    const model::ResNetConfig& config, c10::Device device);

/// localiseVersion's scores for a model already loaded (e.g. session::loadModelSource, on a thread
/// of its own): options.version, config and device are ignored (the input goes to options.device,
/// which must be the model's); `modelSize` is the project's model input size. Throws InputError
/// for a missing masks folder or a bad list (a label outside the model's classes), Error for no
/// method or a negative tolerance, Cancelled when progress asks to.
LocalisationReport localiseModel(LoadedVersion& model, const LocalisationOptions& options,
                                 int modelSize, ProgressDelegate* progress = nullptr);

}  // namespace camlabel::session
