#include "core/session/evaluation.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/imaging/window.h"
#include "core/model/checkpoint.h"
#include "core/model/input_tensor.h"
#include "core/session/label_csv.h"

namespace camlabel::session {

namespace fs = std::filesystem;

Evaluation evaluateVersion(project::Project& project, const EvaluationOptions& options,
                           ProgressDelegate* progress) {
  const project::ProjectSettings& settings = project.settings();
  const std::vector<project::ModelVersion> versions = project.modelVersions();
  if (versions.empty()) {
    throw Error("the project " + project.dir().string() +
                " has no model version yet: label images first (a version is kept every " +
                std::to_string(settings.snapshotEvery) + " labels)");
  }
  const auto chosen = std::find_if(versions.begin(), versions.end(), [&](const auto& v) {
    return options.version ? v.version == *options.version : v.isCurrent;
  });
  if (chosen == versions.end()) {
    throw Error("the project has no model version v" + std::to_string(options.version.value_or(0)) +
                " (it has v1 to v" + std::to_string(versions.back().version) + ")");
  }

  Evaluation result;
  result.version = chosen->version;
  result.checkpoint = project.dir() / "models" / chosen->file;
  for (const auto& c : settings.scheme.classes)
    result.classNames.push_back(c.en);
  const auto classCount = static_cast<int>(result.classNames.size());

  model::ResNetConfig config = options.config;
  config.numClasses = classCount;
  model::ResNet net(config);
  const model::CheckpointInfo info = model::loadCheckpoint(
      result.checkpoint, net, nullptr, {config, settings.scheme.name, result.classNames});
  result.labelsSeen = info.labelCount;
  net.to(options.device);
  net.eval();

  const std::vector<LabelRow> rows = readLabelCsv(options.labelsCsv);
  if (rows.empty()) throw InputError(options.labelsCsv, "the list names no image");
  imaging::ModelInputSpec spec;
  spec.size = settings.modelSize;
  std::vector<int> truth, predicted;
  std::vector<std::vector<double>> probabilities;
  const fs::path base = options.labelsCsv.parent_path();
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LabelRow& row = rows[i];
    if (row.label >= classCount) {
      throw InputError(options.labelsCsv, "line " + std::to_string(row.line) + ": class " +
                                              std::to_string(row.label) +
                                              " is not in the scheme '" + settings.scheme.name +
                                              "' (0 to " + std::to_string(classCount - 1) + ")");
    }
    reportProgress(progress, static_cast<long>(i), static_cast<long>(rows.size()), "evaluating");
    const fs::path file = fs::path(row.file).is_absolute() ? fs::path(row.file) : base / row.file;
    try {
      const imaging::CtImage image = imaging::readImage(file);
      const at::Tensor x = model::toInputTensor(
          imaging::preprocessForModel(image, imaging::defaultWindow(image.info), spec));
      const at::Tensor p = net.forward(x.to(options.device))
                               .to(torch::kCPU, torch::kDouble)
                               .softmax(1)
                               .flatten()
                               .contiguous();
      probabilities.emplace_back(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
      predicted.push_back(static_cast<int>(p.argmax().item<std::int64_t>()));
      truth.push_back(row.label);
    } catch (const Error& e) {
      result.problems.push_back(e.what());
    }
  }
  reportProgress(progress, static_cast<long>(rows.size()), static_cast<long>(rows.size()),
                 "evaluating");
  if (truth.empty()) {
    throw InputError(options.labelsCsv,
                     "none of its " + std::to_string(rows.size()) + " images could be read");
  }
  result.metrics = learning::evaluateClassification(truth, predicted, probabilities, classCount);
  return result;
}

std::vector<learning::PrequentialRecord> prequentialRecords(project::Project& project) {
  std::vector<std::pair<std::int64_t, learning::PrequentialRecord>> byLabel;
  project.forEachCurrentLabel([&](const project::ImageRecord&, const project::CurrentLabel& l) {
    if (l.skipped) return;
    byLabel.push_back({l.labelId, {l.classIndex, l.context.predictedClass}});
  });
  std::sort(byLabel.begin(), byLabel.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<learning::PrequentialRecord> records;
  records.reserve(byLabel.size());
  for (auto& [id, record] : byLabel)
    records.push_back(record);
  return records;
}

}  // namespace camlabel::session
