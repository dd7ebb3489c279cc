#pragma once
// How good is a model version? Held-out evaluation and the prequential learning curve.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "core/learning/metrics.h"
#include "core/model/resnet.h"
#include "core/project/project.h"

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::session {

struct EvaluationOptions {
  std::optional<int> version;  ///< K of vK; none: the project's current version
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

/// The prediction recorded with each current label, in the order the labels were given (skips
/// and undone labels excluded; a relabelled image counts once, with its latest label): the
/// input of learning::prequentialAccuracy.
std::vector<learning::PrequentialRecord> prequentialRecords(project::Project& project);

}  // namespace camlabel::session
