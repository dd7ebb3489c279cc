// SPDX-License-Identifier: Apache-2.0
#include "core/session/trust_tools.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/explain/cam_render.h"
#include "core/explain/diagnostics.h"
#include "core/explain/figure.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/model/checkpoint.h"
#include "core/model/input_tensor.h"
#include "core/session/session.h"

namespace camlabel::session {

namespace {

/// Score-CAM's fast mode, as `camlabel-cli grid` uses: exact mode is minutes per map on a CPU.
constexpr int kScoreCamChannels = 64;

/// An image read and prepared for the model and for display.
struct PreparedImage {
  imaging::CtImage image;
  imaging::Window window;
  cv::Mat gray8;
  at::Tensor input;
};

PreparedImage prepare(const TrustImage& image, int modelSize, c10::Device device) {
  PreparedImage p;
  p.image = imaging::readImage(image.file);
  p.window = imaging::defaultWindow(p.image.info);
  p.gray8 = imaging::renderWindowed8(p.image, p.window);
  imaging::ModelInputSpec spec;
  spec.size = modelSize;
  p.input = model::modelInput(p.image, spec, p.window, device);
  return p;
}

c10::Device deviceOf(LoadedVersion& model) {
  const auto parameters = model.network->module().parameters();
  return parameters.empty() ? c10::Device(c10::kCPU) : parameters.front().device();
}

std::string windowCaption(const imaging::Window& window) {
  return "window " + std::to_string(std::lround(window.center)) + "/" +
         std::to_string(std::lround(window.width));
}

std::string percent(double p) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * p);
  return text;
}

/// The heatmap's strength before normalisation, comparable across rows.
std::string rawCaption(const explain::CamResult& r) {
  const float top = r.raw.max().item<float>();
  if (top <= 0) return "empty: no evidence";
  char text[32];
  std::snprintf(text, sizeof text, "raw max %.3g", static_cast<double>(top));
  return text;
}

std::string modelTitle(const LoadedVersion& model) {
  std::string title = "camlabel: model ";
  title.append(model.name);
  title.append(" (");
  title.append(std::to_string(model.labelsSeen));
  title.append(" labels)");
  return title;
}

}  // namespace

std::vector<ModelSource> modelSources(Session& session) {
  std::vector<ModelSource> sources;
  if (auto snapshot = session.snapshot()) {
    ModelSource now;
    now.labelsSeen = snapshot->labelsSeen;
    now.name = snapshot->name();
    now.snapshot = std::move(snapshot);
    sources.push_back(std::move(now));
  }
  std::vector<project::ModelVersion> versions = session.modelVersions();
  const std::filesystem::path models = session.projectDir() / "models";
  for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
    ModelSource source;
    source.version = v->version;
    source.labelsSeen = v->labelsSeen;
    source.name.kind = learning::ModelName::Kind::kVersion;
    source.name.version = v->version;
    source.name.labels = v->labelsSeen;
    source.checkpoint = models / v->file;
    sources.push_back(std::move(source));
  }
  return sources;
}

LoadedVersion loadModelSource(const ModelSource& source, const project::ProjectSettings& settings,
                              model::ResNetConfig config, c10::Device device) {
  LoadedVersion loaded;
  loaded.version = source.version;
  loaded.name = source.snapshot ? std::string("now") : learning::versionName(source.version);
  loaded.labelsSeen = source.labelsSeen;
  loaded.classNames = settings.scheme.englishNames();
  config.numClasses = static_cast<int>(loaded.classNames.size());
  auto net = std::make_unique<model::ResNet>(config);
  if (source.snapshot) {
    learning::applySnapshot(*source.snapshot, *net);
  } else if (!source.checkpoint.empty()) {
    const model::CheckpointInfo info = model::loadCheckpoint(
        source.checkpoint, *net, nullptr, {config, settings.scheme.name, loaded.classNames});
    loaded.labelsSeen = info.labelCount;
  } else {
    throw Error("the model source names neither a version nor the session's weights");
  }
  net->to(device);
  net->eval();
  loaded.network = std::move(net);
  return loaded;
}

TrustImage trustImage(Session& session, std::int64_t imageId) {
  const project::ImageRecord record = session.image(imageId);
  TrustImage image;
  image.imageId = record.id;
  image.relativePath = record.relativePath;
  image.file = session.settings().imageRoot / record.relativePath;
  image.sha256 = record.sha256;
  if (const auto label = session.currentLabel(imageId); label && !label->skipped)
    image.label = label->classIndex;
  return image;
}

std::vector<TrustImage> labelledTrustImages(Session& session) {
  std::vector<TrustImage> images;
  const std::filesystem::path root = session.settings().imageRoot;
  for (const auto& [record, label] : session.labelledImages()) {
    images.push_back(
        {record.id, record.relativePath, root / record.relativePath, record.sha256, label});
  }
  return images;
}

ReportFigure composeReportFigure(LoadedVersion& model, const ReportFigureRequest& request,
                                 ProgressDelegate* progress) {
  if (request.images.empty()) throw Error("choose at least one image for the figure");
  const c10::Device device = deviceOf(model);
  const std::string layerName(model::resNetLayerName(request.layer));
  explain::GridLayout layout;
  layout.cellSize = request.cellSize;
  layout.title = modelTitle(model) + ", " + std::string(explain::camMethodName(request.method)) +
                 " at " + layerName;
  layout.columnTitles = {"image", "heatmap", "overlay"};
  std::ostringstream csv;
  csv << "row,sha256,predicted_index,predicted_class,probability,method,layer,model_version,"
         "border_share,entropy,left_share,outside_body,warnings\n";
  std::vector<std::vector<explain::Panel>> rows;
  const auto total = static_cast<long>(request.images.size());
  for (std::size_t i = 0; i < request.images.size(); ++i) {
    reportProgress(progress, static_cast<long>(i), total, "explaining");
    const TrustImage& trust = request.images[i];
    const PreparedImage p = prepare(trust, request.modelSize, device);
    explain::CamRequest cam;
    cam.method = request.method;
    cam.layer = request.layer;
    cam.scoreCamChannels = kScoreCamChannels;
    const explain::CamResult r = explain::computeCam(*model.network, p.input, cam).front();
    const cv::Mat map = explain::resizeCam(explain::camToMat(r.normalized), p.gray8.size());
    const explain::HeatmapDiagnostics checks = explain::diagnoseHeatmap(map, &p.image);
    const std::string& name = model.classNames.at(static_cast<std::size_t>(r.classIndex));
    rows.push_back({{p.gray8, windowCaption(p.window)},
                    {explain::colorizeCam(map, explain::CamColormap::Jet), rawCaption(r)},
                    {explain::overlayCam(p.gray8, map, explain::CamColormap::Jet, 0.5),
                     name + " " + percent(r.probability)}});
    layout.rowTitles.push_back(std::to_string(rows.size()));
    std::string warnings;
    for (const auto& w : checks.warnings) {
      if (!warnings.empty()) warnings += ';';
      warnings += explain::diagnosticName(w.kind);
    }
    csv << rows.size() << ',' << trust.sha256 << ',' << r.classIndex << ',' << csv::field(name)
        << ',' << r.probability << ',' << explain::camMethodName(request.method) << ',' << layerName
        << ',' << model.version << ',' << checks.borderShare << ',' << checks.normalizedEntropy
        << ',' << checks.leftShare << ','
        << (checks.outsideBodyShare ? std::to_string(*checks.outsideBodyShare) : "") << ','
        << csv::field(warnings) << '\n';
  }
  reportProgress(progress, total, total, "composing");
  return {explain::composeGrid(rows, layout), csv.str()};
}

cv::Mat composeComparisonGrid(LoadedVersion& model, const ComparisonRequest& request,
                              ProgressDelegate* progress) {
  if (request.images.empty()) throw Error("choose at least one image for the grid");
  if (request.methods.empty()) throw Error("choose at least one explanation method");
  if (request.topK < 1 || request.topK > 5) {
    throw Error("classes per method must be 1 to 5, not " + std::to_string(request.topK));
  }
  const c10::Device device = deviceOf(model);
  explain::GridLayout layout;
  layout.cellSize = request.cellSize;
  layout.title = modelTitle(model) + ", " + std::string(model::resNetLayerName(request.layer));
  layout.columnTitles.push_back("image");
  for (const explain::CamMethod method : request.methods) {
    for (int k = 1; k <= request.topK; ++k) {
      std::string title(explain::camMethodName(method));
      if (request.topK > 1) {
        title.append(" top");
        title.append(std::to_string(k));
      }
      layout.columnTitles.push_back(title);
    }
  }
  const auto steps = static_cast<long>(request.images.size() * request.methods.size());
  std::vector<std::vector<explain::Panel>> rows;
  for (std::size_t i = 0; i < request.images.size(); ++i) {
    const PreparedImage p = prepare(request.images[i], request.modelSize, device);
    std::vector<explain::Panel> row{{p.gray8, windowCaption(p.window)}};
    for (std::size_t m = 0; m < request.methods.size(); ++m) {
      reportProgress(progress, static_cast<long>(i * request.methods.size() + m), steps,
                     "explaining");
      explain::CamRequest cam;
      cam.method = request.methods[m];
      cam.layer = request.layer;
      cam.topK = std::min<int>(request.topK, static_cast<int>(model.classNames.size()));
      cam.scoreCamChannels = kScoreCamChannels;
      for (const explain::CamResult& r : explain::computeCam(*model.network, p.input, cam)) {
        const cv::Mat map = explain::resizeCam(explain::camToMat(r.normalized), p.gray8.size());
        row.push_back({explain::overlayCam(p.gray8, map, explain::CamColormap::Jet, 0.5),
                       model.classNames.at(static_cast<std::size_t>(r.classIndex)) + " " +
                           percent(r.probability)});
      }
    }
    rows.push_back(std::move(row));
    layout.rowTitles.push_back(std::to_string(rows.size()));
  }
  reportProgress(progress, steps, steps, "composing");
  return explain::composeGrid(rows, layout);
}

std::vector<SanityResult> sanityCheck(LoadedVersion& model, const TrustImage& image,
                                      const std::vector<explain::CamMethod>& methods,
                                      model::ResNetLayer layer, int modelSize, double threshold,
                                      ProgressDelegate* progress) {
  if (methods.empty()) throw Error("choose at least one explanation method");
  if (!(threshold >= 0 && threshold <= 1)) throw Error("the threshold must lie in [0, 1]");
  const PreparedImage p = prepare(image, modelSize, deviceOf(model));
  std::vector<SanityResult> results;
  const auto total = static_cast<long>(methods.size());
  for (std::size_t m = 0; m < methods.size(); ++m) {
    reportProgress(progress, static_cast<long>(m), total, "randomising");
    explain::CamRequest request;
    request.method = methods[m];
    request.layer = layer;
    request.scoreCamChannels = kScoreCamChannels;
    SanityResult result;
    result.method = methods[m];
    {
      torch::NoGradGuard noGrad;
      result.classIndex =
          static_cast<int>(model.network->forward(p.input).argmax(1).item<std::int64_t>());
    }
    request.classes = {result.classIndex};
    result.check = explain::randomisationCheck(*model.network, p.input, request,
                                               explain::kRandomisationSeed, threshold);
    results.push_back(std::move(result));
  }
  reportProgress(progress, total, total, "randomising");
  return results;
}

}  // namespace camlabel::session
