// SPDX-License-Identifier: Apache-2.0
#include "core/session/trust_summary.h"

#include <torch/torch.h>

#include <iomanip>
#include <map>
#include <sstream>

#include "core/common/csv_table.h"
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

void checkOptions(const LateralityOptions& options) {
  if (!(options.biasShare >= 0 && options.biasShare < 1)) {
    throw Error("the bias share must lie in [0, 1)");
  }
  if (options.limit && *options.limit < 1) {
    throw Error("the limit must be at least 1, not " + std::to_string(*options.limit));
  }
}

std::vector<TrustImage> listImages(project::Project& project, const LateralityOptions& options,
                                   int classCount) {
  if (!options.labelsCsv.empty()) return listedTrustImages(options.labelsCsv, classCount);
  std::vector<TrustImage> images;
  project.forEachCurrentLabel([&](const project::ImageRecord& r, const project::CurrentLabel& l) {
    if (l.skipped) return;
    images.push_back({r.id, r.relativePath, project.settings().imageRoot / r.relativePath, r.sha256,
                      l.classIndex});
  });
  if (images.empty()) {
    throw Error(
        "the project has no labelled image yet: label images first, or name a list "
        "with --labels");
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

std::vector<TrustImage> listedTrustImages(const fs::path& labelsCsv, int classCount) {
  std::vector<TrustImage> images;
  const fs::path base = labelsCsv.parent_path();
  for (const LabelRow& row : readLabelCsv(labelsCsv)) {
    if (row.label >= classCount) {
      throw InputError(labelsCsv.string(),
                       "line " + std::to_string(row.line) + ": class " + std::to_string(row.label) +
                           " is not in the scheme (0 to " + std::to_string(classCount - 1) + ")");
    }
    const fs::path file = fs::path(row.file).is_absolute() ? fs::path(row.file) : base / row.file;
    // An absolute file is named by its file name only: paths can carry patient names.
    TrustImage image;
    image.relativePath = fs::path(row.file).is_absolute() ? file.filename().string() : row.file;
    image.file = file;
    image.label = row.label;
    images.push_back(std::move(image));
  }
  if (images.empty()) throw InputError(labelsCsv.string(), "the list names no image");
  return images;
}

LateralityReport summariseProjectLaterality(project::Project& project,
                                            const LateralityOptions& options,
                                            ProgressDelegate* progress) {
  checkOptions(options);
  const std::vector<TrustImage> images =
      listImages(project, options, static_cast<int>(project.settings().scheme.classes.size()));
  LoadedVersion loaded = loadVersion(project, options.version, options.config, options.device);
  return summariseModelLaterality(loaded, images, options, project.settings().modelSize, progress);
}

LateralityReport summariseModelLaterality(LoadedVersion& model,
                                          const std::vector<TrustImage>& listed,
                                          const LateralityOptions& options, int modelSize,
                                          ProgressDelegate* progress) {
  checkOptions(options);
  if (listed.empty()) throw Error("there is no labelled image to explain");
  const std::vector<std::string>& names = model.classNames;
  const int classCount = static_cast<int>(names.size());
  std::vector<TrustImage> images = listed;
  if (options.limit && images.size() > static_cast<std::size_t>(*options.limit))
    images.erase(images.begin() + *options.limit, images.end());
  for (const TrustImage& image : images) {
    if (image.label && (*image.label < 0 || *image.label >= classCount)) {
      std::string reason = "class ";
      reason.append(std::to_string(*image.label))
          .append(" is not in the scheme (0 to ")
          .append(std::to_string(classCount - 1))
          .append(")");
      throw InputError(image.relativePath, reason);
    }
  }

  LateralityReport report;
  report.version = model.version;
  report.labelsSeen = model.labelsSeen;

  imaging::ModelInputSpec spec;
  spec.size = modelSize;
  std::vector<explain::HeatmapDiagnostics> all;
  std::map<int, std::vector<explain::HeatmapDiagnostics>> byClass;
  for (std::size_t i = 0; i < images.size(); ++i) {
    reportProgress(progress, static_cast<long>(i), static_cast<long>(images.size()), "explaining");
    const TrustImage& image = images[i];
    if (!image.label) {
      report.problems.push_back(image.relativePath + ": no label");
      continue;
    }
    try {
      const imaging::CtImage ct = imaging::readImage(image.file);
      const at::Tensor x = model::modelInput(ct, spec, std::nullopt, options.device);
      explain::CamRequest request;
      request.method = options.method;
      request.layer = options.layer;
      request.classes = {*image.label};
      const explain::CamResult r = explain::computeCam(*model.network, x, request).front();
      const cv::Mat map =
          explain::camToMat(explain::upsampleAndNormalize(r.raw, ct.values.rows, ct.values.cols));
      explain::HeatmapDiagnostics d = explain::diagnoseHeatmap(map, &ct, options.thresholds);
      byClass[*image.label].push_back(d);
      all.push_back(std::move(d));
    } catch (const InputError& e) {
      report.problems.push_back(image.relativePath + ": " + e.reason());
    } catch (const Error& e) {
      report.problems.push_back(image.relativePath + ": " + e.what());
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
  const std::string share = percent(s.oneSidedShare());
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

std::string lateralityCsv(const LateralityReport& report, const LateralityOptions& options,
                          const std::string& model, const std::string& overallName) {
  std::ostringstream out;
  out << "group,class_index,images,one_sided,one_sided_share,mean_left_share,biased,model,"
         "version,labels_seen,method,layer,one_sided_above\n"
      << std::fixed << std::setprecision(6);
  const auto row = [&](const std::string& group, std::optional<int> classIndex,
                       const explain::LateralitySummary& s) {
    out << csv::field(group) << ',' << (classIndex ? std::to_string(*classIndex) : std::string())
        << ',' << s.images << ',' << s.oneSided << ',' << s.oneSidedShare() << ','
        << s.meanLeftShare << ',' << (s.biased ? "yes" : "no") << ',' << csv::field(model) << ','
        << report.version << ',' << report.labelsSeen << ','
        << explain::camMethodName(options.method) << ',' << model::resNetLayerName(options.layer)
        << ',' << options.thresholds.oneSidedShare << '\n';
  };
  row(overallName, std::nullopt, report.overall);
  for (const ClassLaterality& c : report.perClass)
    row(c.className, c.classIndex, c.summary);
  return out.str();
}

}  // namespace camlabel::session
