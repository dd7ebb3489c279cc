#include "core/session/trust_summary.h"

#include <torch/torch.h>

#include <map>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/explain/cam_render.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/model/input_tensor.h"
#include "core/session/evaluation.h"
#include "core/session/label_csv.h"

namespace camlabel::session {

namespace fs = std::filesystem;

namespace {

struct ListedImage {
  fs::path file;
  std::string name;  ///< for messages: relative to the image root or as the CSV wrote it
  int label = 0;
};

std::vector<ListedImage> listImages(project::Project& project, const LateralityOptions& options,
                                    int classCount) {
  std::vector<ListedImage> images;
  if (options.labelsCsv.empty()) {
    project.forEachCurrentLabel([&](const project::ImageRecord& r, const project::CurrentLabel& l) {
      if (l.skipped) return;
      images.push_back(
          {project.settings().imageRoot / r.relativePath, r.relativePath, l.classIndex});
    });
    if (images.empty()) {
      throw Error(
          "the project has no labelled image yet: label images first, or name a list "
          "with --labels");
    }
  } else {
    const fs::path base = options.labelsCsv.parent_path();
    for (const LabelRow& row : readLabelCsv(options.labelsCsv)) {
      if (row.label >= classCount) {
        throw InputError(options.labelsCsv.string(), "line " + std::to_string(row.line) +
                                                         ": class " + std::to_string(row.label) +
                                                         " is not in the scheme (0 to " +
                                                         std::to_string(classCount - 1) + ")");
      }
      const fs::path file = fs::path(row.file).is_absolute() ? fs::path(row.file) : base / row.file;
      // An absolute file is named by its file name only: paths can carry patient names.
      images.push_back({file,
                        fs::path(row.file).is_absolute() ? file.filename().string() : row.file,
                        row.label});
    }
    if (images.empty()) throw InputError(options.labelsCsv.string(), "the list names no image");
  }
  if (options.limit) {
    if (*options.limit < 1) {
      throw Error("the limit must be at least 1, not " + std::to_string(*options.limit));
    }
    if (images.size() > static_cast<std::size_t>(*options.limit))
      images.erase(images.begin() + *options.limit, images.end());
  }
  return images;
}

explain::LateralitySummary summarise(const std::vector<explain::HeatmapDiagnostics>& maps,
                                     const LateralityOptions& options) {
  return explain::summariseLaterality(maps, options.thresholds, options.biasShare);
}

std::string percent(double share) {
  return std::to_string(static_cast<int>(share * 100 + 0.5)) + "%";
}

}  // namespace

LateralityReport summariseProjectLaterality(project::Project& project,
                                            const LateralityOptions& options,
                                            ProgressDelegate* progress) {
  if (!(options.biasShare >= 0 && options.biasShare < 1)) {
    throw Error("the bias share must lie in [0, 1)");
  }
  const std::vector<std::string> names = [&] {
    std::vector<std::string> n;
    for (const auto& c : project.settings().scheme.classes)
      n.push_back(c.en);
    return n;
  }();
  const std::vector<ListedImage> images =
      listImages(project, options, static_cast<int>(names.size()));
  LoadedVersion loaded = loadVersion(project, options.version, options.config, options.device);
  LateralityReport report;
  report.version = loaded.version;
  report.labelsSeen = loaded.labelsSeen;

  imaging::ModelInputSpec spec;
  spec.size = project.settings().modelSize;
  std::vector<explain::HeatmapDiagnostics> all;
  std::map<int, std::vector<explain::HeatmapDiagnostics>> byClass;
  for (std::size_t i = 0; i < images.size(); ++i) {
    reportProgress(progress, static_cast<long>(i), static_cast<long>(images.size()), "explaining");
    const ListedImage& listed = images[i];
    try {
      const imaging::CtImage image = imaging::readImage(listed.file);
      const at::Tensor x =
          model::toInputTensor(
              imaging::preprocessForModel(image, imaging::defaultWindow(image.info), spec))
              .to(options.device);
      explain::CamRequest request;
      request.method = options.method;
      request.layer = options.layer;
      request.classes = {listed.label};
      const explain::CamResult r = explain::computeCam(*loaded.network, x, request).front();
      const cv::Mat map = explain::camToMat(
          explain::upsampleAndNormalize(r.raw, image.values.rows, image.values.cols));
      explain::HeatmapDiagnostics d = explain::diagnoseHeatmap(map, &image, options.thresholds);
      byClass[listed.label].push_back(d);
      all.push_back(std::move(d));
    } catch (const InputError& e) {
      report.problems.push_back(listed.name + ": " + e.reason());
    } catch (const Error& e) {
      report.problems.push_back(listed.name + ": " + e.what());
    }
  }
  reportProgress(progress, static_cast<long>(images.size()), static_cast<long>(images.size()),
                 "explaining");
  if (all.empty()) {
    throw Error("none of the " + std::to_string(images.size()) + " images could be explained");
  }
  report.overall = summarise(all, options);
  for (const auto& [c, maps] : byClass) {
    report.perClass.push_back({c, names.at(static_cast<std::size_t>(c)), summarise(maps, options)});
  }

  const explain::LateralitySummary& s = report.overall;
  const std::string share = percent(static_cast<double>(s.oneSided) / s.images);
  if (s.biased) {
    report.verdict = "position bias suspected: " + share + " of the heatmaps (" +
                     std::to_string(s.oneSided) + " of " + std::to_string(s.images) +
                     ") lie on one side; check for markers, text or positioning that differ "
                     "between classes";
  } else {
    report.verdict = "no sign of position bias: " + share + " of the heatmaps (" +
                     std::to_string(s.oneSided) + " of " + std::to_string(s.images) +
                     ") lie on one side";
  }
  std::vector<std::string> biasedClasses;
  for (const ClassLaterality& c : report.perClass)
    if (c.summary.biased) biasedClasses.push_back(c.className);
  if (!s.biased && !biasedClasses.empty()) {
    report.verdict.append("; but mostly one-sided within ");
    for (std::size_t i = 0; i < biasedClasses.size(); ++i) {
      if (i > 0) report.verdict.append(", ");
      report.verdict.append(biasedClasses[i]);
    }
  }
  return report;
}

}  // namespace camlabel::session
