// SPDX-License-Identifier: Apache-2.0
#pragma once
// The trust tools of an open annotation session (report figure, comparison grid, sanity check),
// run on a network of their own: the session's models belong to its inference and training
// threads. Gather the inputs on the thread that owns the session (cheap store reads), then run
// the Torch work on any thread without touching the session again.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <opencv2/core/mat.hpp>

#include "core/explain/cam.h"
#include "core/explain/sanity.h"
#include "core/learning/trainer.h"
#include "core/model/resnet.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::session {

class Session;

/// Where the weights of a tool's network come from: a recorded version's checkpoint, or the
/// session's newest published weights (what the window shows now).
struct ModelSource {
  int version = 0;  ///< vK; 0 for the newest weights
  std::int64_t labelsSeen = 0;
  /// The newest weights: their version and labels since ("now (v2 + 3 labels)" on screen); a
  /// recorded version: kVersion with the labels it had learned ("v3 (30 labels)").
  learning::ModelName name;
  std::filesystem::path checkpoint;  ///< the version's file; empty for the newest weights
  std::shared_ptr<const learning::Snapshot> snapshot;  ///< the newest weights; else null
};

/// The newest weights first, then each recorded version, newest first. Store reads only.
std::vector<ModelSource> modelSources(Session& session);

/// A private network (eval mode, on `device`) with the source's weights, for the scheme of
/// `settings` (config.numClasses is replaced by the scheme's class count). Safe on any thread.
/// Throws InputError for a torn or mismatched checkpoint, Error for weights that do not fit.
LoadedVersion loadModelSource(const ModelSource& source, const project::ProjectSettings& settings,
                              model::ResNetConfig config, c10::Device device);

/// An image of the project, located without the session so another thread can read it.
struct TrustImage {
  std::int64_t imageId = 0;
  std::string relativePath;  ///< for the user; never written into figures
  std::filesystem::path file;
  std::string sha256;
  std::optional<int> label;  ///< the current label, if any
};
TrustImage trustImage(Session& session, std::int64_t imageId);
/// The labelled images (skips excluded), in natural order.
std::vector<TrustImage> labelledTrustImages(Session& session);

struct ReportFigureRequest {
  std::vector<TrustImage> images;  ///< the rows, in this order (at least one)
  explain::CamMethod method = explain::CamMethod::GradCam;
  model::ResNetLayer layer = explain::kDefaultCamLayer;
  int modelSize = 224;  ///< the project's model input size
  int cellSize = 384;   ///< about 250 dpi across an A4 page
};

struct ReportFigure {
  cv::Mat figure;   ///< CV_8UC3: per image the windowed image, the heatmap and the overlay
  std::string csv;  ///< the numbers behind each row; images named by SHA-256, never by path
};

/// The figure `camlabel-cli figure` writes, for the top-1 class of each image. Rows are
/// numbered; no file name, path or patient data reaches the pixels or the CSV. Throws
/// camlabel::Error for an empty list or an unreadable image, Cancelled when progress asks to.
ReportFigure composeReportFigure(LoadedVersion& model, const ReportFigureRequest& request,
                                 ProgressDelegate* progress = nullptr);

struct ComparisonRequest {
  std::vector<TrustImage> images;           ///< rows (at least one)
  std::vector<explain::CamMethod> methods;  ///< at least one
  int topK = 1;                             ///< classes per method, most probable first (1..5)
  model::ResNetLayer layer = explain::kDefaultCamLayer;
  int modelSize = 224;
  int cellSize = 192;
};

/// Images (rows) by methods x top-k classes (columns), after a first column with the windowed
/// image: rows x (1 + methods * topK) panels, each overlay captioned with its class and
/// probability. Throws as composeReportFigure, and for topK outside 1..5 or no method.
cv::Mat composeComparisonGrid(LoadedVersion& model, const ComparisonRequest& request,
                              ProgressDelegate* progress = nullptr);

struct SanityResult {
  explain::CamMethod method = explain::CamMethod::GradCam;
  int classIndex = 0;  ///< the class explained: the unrandomised model's top-1
  explain::RandomisationCheck check;
};

/// The model-randomisation check (explain::randomisationCheck, default seed) of the top-1 class's
/// map of the image, for each method. `threshold`: flag a method whose map, with every layer
/// random, still correlates with the original above it (0..1). Throws camlabel::Error for no
/// method, a bad threshold or an unreadable image, Cancelled when progress asks to (between
/// methods).
std::vector<SanityResult> sanityCheck(LoadedVersion& model, const TrustImage& image,
                                      const std::vector<explain::CamMethod>& methods,
                                      model::ResNetLayer layer, int modelSize,
                                      double threshold = 0.5, ProgressDelegate* progress = nullptr);

}  // namespace camlabel::session
