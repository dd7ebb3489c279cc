// SPDX-License-Identifier: Apache-2.0
#include "core/session/evaluation.h"

#include <torch/torch.h>

#include <algorithm>
#include <iomanip>
#include <sstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/explain/cam_render.h"
#include "core/explain/diagnostics.h"
#include "core/imaging/window.h"
#include "core/learning/trainer.h"
#include "core/model/checkpoint.h"
#include "core/model/input_tensor.h"
#include "core/session/label_csv.h"

namespace camlabel::session {

namespace fs = std::filesystem;

namespace {

/// The recorded version vK (or the current one) of the project.
project::ModelVersion chooseVersion(project::Project& project, std::optional<int> version) {
  if (version == kBaseVersion) return project::ModelVersion{};  // version 0, no file
  const project::ProjectSettings& settings = project.settings();
  const std::vector<project::ModelVersion> versions = project.modelVersions();
  if (versions.empty()) {
    throw Error("the project " + project.dir().string() +
                " has no model version yet: label images first (a version is kept every " +
                std::to_string(settings.snapshotEvery) +
                " labels), or use version base, the model before any label");
  }
  const auto chosen = std::find_if(versions.begin(), versions.end(), [&](const auto& v) {
    return version ? v.version == *version : v.isCurrent;
  });
  if (chosen == versions.end()) {
    throw Error("the project has no model version v" + std::to_string(version.value_or(0)) +
                " (it has v1 to v" + std::to_string(versions.back().version) + ")");
  }
  return *chosen;
}

/// The network of version v, loaded for inference (eval mode, on `device`).
model::ResNet loadVersion(project::Project& project, const project::ModelVersion& v,
                          model::ResNetConfig config, c10::Device device,
                          std::int64_t& labelsSeen) {
  const project::ProjectSettings& settings = project.settings();
  const std::vector<std::string> names = settings.scheme.englishNames();
  config.numClasses = static_cast<int>(names.size());
  model::ResNet net(config);
  if (v.version == kBaseVersion) {
    std::optional<fs::path> weights;
    if (!settings.baseWeights.empty()) weights = settings.baseWeights;
    model::initializeBase(net, static_cast<std::uint64_t>(settings.seed), weights);
    labelsSeen = 0;
  } else {
    labelsSeen = model::loadCheckpoint(project.dir() / "models" / v.file, net, nullptr,
                                       {config, settings.scheme.name, names})
                     .labelCount;
  }
  net.to(device);
  net.eval();
  return net;
}

LoadedVersion loadChosen(project::Project& project, const project::ModelVersion& chosen,
                         const model::ResNetConfig& config, c10::Device device) {
  LoadedVersion loaded;
  loaded.version = chosen.version;
  loaded.name = learning::versionName(chosen.version);
  loaded.classNames = project.settings().scheme.englishNames();
  loaded.network = std::make_unique<model::ResNet>(
      loadVersion(project, chosen, config, device, loaded.labelsSeen));
  return loaded;
}

}  // namespace

Evaluation evaluateVersion(project::Project& project, const EvaluationOptions& options,
                           ProgressDelegate* progress) {
  const project::ModelVersion chosen = chooseVersion(project, options.version);
  LoadedVersion model = loadChosen(project, chosen, options.config, options.device);
  Evaluation result = evaluateModel(model, options.labelsCsv, project.settings().modelSize,
                                    options.device, progress);
  if (!chosen.file.empty()) result.checkpoint = project.dir() / "models" / chosen.file;
  return result;
}

Evaluation evaluateModel(LoadedVersion& model, const fs::path& labelsCsv, int modelSize,
                         c10::Device device, ProgressDelegate* progress) {
  Evaluation result;
  result.version = model.version;
  result.labelsSeen = model.labelsSeen;
  result.classNames = model.classNames;
  const auto classCount = static_cast<int>(result.classNames.size());
  model::ResNet& net = *model.network;

  const std::vector<LabelRow> rows = readLabelCsv(labelsCsv);
  if (rows.empty()) throw InputError(labelsCsv, "the list names no image");
  imaging::ModelInputSpec spec;
  spec.size = modelSize;
  std::vector<int> truth, predicted;
  std::vector<std::vector<double>> probabilities;
  const fs::path base = labelsCsv.parent_path();
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LabelRow& row = rows[i];
    if (row.label >= classCount) {
      throw InputError(labelsCsv, "line " + std::to_string(row.line) + ": class " +
                                      std::to_string(row.label) + " is not one of the model's " +
                                      std::to_string(classCount) + " classes (0 to " +
                                      std::to_string(classCount - 1) + ")");
    }
    reportProgress(progress, static_cast<long>(i), static_cast<long>(rows.size()), "evaluating");
    const fs::path file = fs::path(row.file).is_absolute() ? fs::path(row.file) : base / row.file;
    try {
      const imaging::CtImage image = imaging::readImage(file);
      const at::Tensor x = model::modelInput(image, spec);
      const at::Tensor p = net.forward(x.to(device))
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
    throw InputError(labelsCsv,
                     "none of its " + std::to_string(rows.size()) + " images could be read");
  }
  result.metrics = learning::evaluateClassification(truth, predicted, probabilities, classCount);
  return result;
}

model::Classifier versionFileClassifier(const fs::path& file, c10::Device device) {
  VersionFile loaded = loadVersionFile(file, device);
  model::ResNetConfig shape = loaded.model.network->config();
  imaging::ModelInputSpec spec;
  spec.size = loaded.modelSize;
  std::string source = "model version file ";
  source.append(loaded.model.name)
      .append(" (")
      .append(std::to_string(loaded.model.labelsSeen))
      .append(loaded.model.labelsSeen == 1 ? " label)" : " labels)");
  return model::Classifier(std::move(*loaded.model.network), shape,
                           std::move(loaded.model.classNames), std::move(source), spec, device);
}

bool looksLikeVersionFile(const fs::path& file) {
  return model::isCheckpointFile(file);
}

VersionFile loadVersionFile(const fs::path& file, c10::Device device) {
  if (!model::isCheckpointFile(file)) {
    if (!fs::exists(file)) throw InputError(file, "no such file");
    throw InputError(file,
                     "not a camlabel model version: a torchvision weights file (.pth) holds "
                     "ImageNet's 1000 classes, not a class scheme; name a version file "
                     "(models/<scheme>_vK.pt) or a project with --project");
  }
  const model::CheckpointInfo info = model::readCheckpointInfo(file);
  VersionFile out;
  out.schemeName = info.schemeName;
  // Recorded since 2026-12 (older versions were all trained at 224 px); a file from outside may
  // say anything there.
  if (const auto size = info.metrics.find("input_size"); size != info.metrics.end()) {
    if (!size->is_number_integer() || size->get<std::int64_t>() < 32 ||
        size->get<std::int64_t>() > 1024) {
      throw InputError(file, "its input size is not a side of 32 to 1024 pixels");
    }
    out.modelSize = static_cast<int>(size->get<std::int64_t>());
  }
  LoadedVersion& loaded = out.model;
  loaded.version = info.version;
  loaded.name = file.filename().string();
  loaded.classNames = info.classNames;
  auto net = std::make_unique<model::ResNet>(info.config);
  loaded.labelsSeen =
      model::loadCheckpoint(file, *net, nullptr, {info.config, info.schemeName, info.classNames})
          .labelCount;
  net->to(device);
  net->eval();
  loaded.network = std::move(net);
  return out;
}

LocalisationReport localiseModel(LoadedVersion& model, const LocalisationOptions& options,
                                 int modelSize, ProgressDelegate* progress) {
  if (options.methods.empty()) throw Error("choose at least one explanation method");
  if (options.tolerance < 0 || std::any_of(options.alsoWithin.begin(), options.alsoWithin.end(),
                                           [](int t) { return t < 0; })) {
    throw Error("the tolerance cannot be negative");
  }
  // Default: masks/ beside the label list, as `camlabel-cli phantom` and the demo lay them out.
  const fs::path masksDir =
      options.masksDir.empty() ? options.labelsCsv.parent_path() / "masks" : options.masksDir;
  if (!fs::is_directory(masksDir))
    throw InputError(masksDir.string(), "no such folder of lesion masks");
  LocalisationReport report;
  report.version = model.version;
  report.labelsSeen = model.labelsSeen;
  model::ResNet& net = *model.network;
  const int classCount = static_cast<int>(model.classNames.size());
  imaging::ModelInputSpec spec;
  spec.size = modelSize;

  // Per method, per image: its row, and its scores at options.tolerance, then at each of
  // alsoWithin.
  std::vector<std::vector<std::pair<std::size_t, std::vector<explain::Localisation>>>> perMethod(
      options.methods.size());
  const std::vector<LabelRow> rows = readLabelCsv(options.labelsCsv);
  const fs::path base = options.labelsCsv.parent_path();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    reportProgress(progress, static_cast<long>(i), static_cast<long>(rows.size()), "localising");
    const LabelRow& row = rows[i];
    if (row.label >= classCount) {
      throw InputError(options.labelsCsv, "line " + std::to_string(row.line) + ": class " +
                                              std::to_string(row.label) + " is not in the scheme");
    }
    const fs::path file = fs::path(row.file).is_absolute() ? fs::path(row.file) : base / row.file;
    const fs::path maskFile = masksDir / file.filename();
    try {
      if (!fs::exists(maskFile)) {  // no lesion to point at (e.g. Normal), or a mask missing
        std::string note = row.file;
        note.append(": no mask '").append(maskFile.filename().string()).append("'");
        report.withoutMask.push_back(std::move(note));
        continue;
      }
      const cv::Mat mask = cv::imread(maskFile.string(), cv::IMREAD_GRAYSCALE);
      if (mask.empty()) throw InputError(maskFile, "not a readable 8-bit mask");
      if (cv::countNonZero(mask) == 0) continue;
      const imaging::CtImage image = imaging::readImage(file);
      if (mask.size() != image.values.size()) {
        throw InputError(maskFile, "the mask's size differs from its image's");
      }
      const at::Tensor x = model::modelInput(image, spec, std::nullopt, options.device);
      for (std::size_t m = 0; m < options.methods.size(); ++m) {
        explain::CamRequest request;
        request.method = options.methods[m];
        request.layer = options.layer;
        request.classes = {row.label};
        const explain::CamResult r = explain::computeCam(net, x, request).front();
        const cv::Mat map = explain::camToMat(
            explain::upsampleAndNormalize(r.raw, image.values.rows, image.values.cols));
        std::vector<explain::Localisation> scored{explain::localise(map, mask, options.tolerance)};
        for (const int t : options.alsoWithin)
          scored.push_back(explain::localise(map, mask, t));
        perMethod[m].emplace_back(i, std::move(scored));
      }
    } catch (const Error& e) {
      report.problems.push_back(e.what());
    }
  }
  reportProgress(progress, static_cast<long>(rows.size()), static_cast<long>(rows.size()),
                 "localising");
  for (std::size_t m = 0; m < options.methods.size(); ++m) {
    LocalisationScore score;
    score.method = options.methods[m];
    score.images = static_cast<int>(perMethod[m].size());
    for (const int t : options.alsoWithin)
      score.within.push_back({t, 0, 0, 0});
    for (const auto& [row, scored] : perMethod[m]) {
      const explain::Localisation& l = scored.front();
      score.perImage.push_back({rows[row].file, rows[row].label, l});
      score.hits += l.hit ? 1 : 0;
      score.energyInside += l.energyInside;
      score.maskArea += l.maskArea;
      score.reachArea += l.reachArea;
      for (std::size_t k = 0; k < score.within.size(); ++k) {
        score.within[k].hits += scored[k + 1].hit ? 1 : 0;
        score.within[k].reachArea += scored[k + 1].reachArea;
      }
    }
    if (score.images > 0) {
      score.pointingGame = static_cast<double>(score.hits) / score.images;
      score.energyInside /= score.images;
      score.maskArea /= score.images;
      score.reachArea /= score.images;
      for (auto& w : score.within) {
        w.pointingGame = static_cast<double>(w.hits) / score.images;
        w.reachArea /= score.images;
      }
    }
    report.scores.push_back(score);
  }
  return report;
}

std::string localisationCsv(const LocalisationReport& report) {
  std::ostringstream out;
  out << "method,file,label,hit,peak_x,peak_y,peak_distance_px,energy_inside,mask_area\n";
  out << std::setprecision(6);
  for (const LocalisationScore& score : report.scores) {
    for (const LocalisationScore::Image& image : score.perImage) {
      const explain::Localisation& l = image.localisation;
      out << explain::camMethodName(score.method) << ',' << csv::field(image.file) << ','
          << image.label << ',' << (l.hit ? 1 : 0) << ',' << l.peak.x << ',' << l.peak.y << ','
          << l.peakDistance << ',' << l.energyInside << ',' << l.maskArea << '\n';
    }
  }
  return out.str();
}

std::string localisationSummaryCsv(const std::vector<NamedLocalisationReport>& reports) {
  std::ostringstream out;
  out << "model,version,labels_seen,method,images,hits,pointing_game,pointing_game_chance,"
         "energy_inside,mask_area\n"
      << std::fixed << std::setprecision(6);
  for (const NamedLocalisationReport& named : reports) {
    for (const LocalisationScore& s : named.report.scores) {
      out << csv::field(named.model) << ',' << named.report.version << ','
          << named.report.labelsSeen << ',' << explain::camMethodName(s.method) << ',' << s.images
          << ',' << s.hits << ',' << s.pointingGame << ',' << s.reachArea << ',' << s.energyInside
          << ',' << s.maskArea << '\n';
    }
  }
  return out.str();
}

LocalisationReport localiseVersion(project::Project& project, const LocalisationOptions& options,
                                   ProgressDelegate* progress) {
  if (options.methods.empty()) throw Error("choose at least one explanation method");
  LoadedVersion model = loadVersion(project, options.version, options.config, options.device);
  return localiseModel(model, options, project.settings().modelSize, progress);
}

LoadedVersion loadVersion(project::Project& project, std::optional<int> version,
                          const model::ResNetConfig& config, c10::Device device) {
  return loadChosen(project, chooseVersion(project, version), config, device);
}

model::Classifier versionClassifier(project::Project& project, std::optional<int> version,
                                    const model::ResNetConfig& config, c10::Device device) {
  LoadedVersion loaded = loadVersion(project, version, config, device);
  model::ResNetConfig shape = config;
  shape.numClasses = static_cast<int>(loaded.classNames.size());
  imaging::ModelInputSpec spec;
  spec.size = project.settings().modelSize;
  std::string source = "project version ";
  source.append(loaded.name)
      .append(" (")
      .append(std::to_string(loaded.labelsSeen))
      .append(loaded.labelsSeen == 1 ? " label)" : " labels)");
  return model::Classifier(std::move(*loaded.network), shape, std::move(loaded.classNames),
                           std::move(source), spec, device);
}

}  // namespace camlabel::session
