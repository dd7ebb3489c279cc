// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/image_args.h"
#include "cli/model_args.h"
#include "cli/model_commands_list.h"
#include "core/common/error.h"
#include "core/explain/cam.h"
#include "core/explain/cam_render.h"
#include "core/explain/diagnostics.h"
#include "core/explain/figure.h"
#include "core/explain/sanity.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/image_writer.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/model/class_names.h"
#include "core/model/classifier.h"
#include "core/model/input_tensor.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

struct CamArgs {
  ImageArgs input;
  std::string method;
  int classIndex = -1;  ///< -1: not given
  int top = 0;          ///< 0: not given (top-1, files named as given)
  std::string layer{model::resNetLayerName(explain::kDefaultCamLayer)};
  ModelArgs model;
  std::string colormap = "jet";
  double opacity = 0.5;
  fs::path out;
  fs::path heatmapOut;
  int scoreCamChannels = 0;
  int scoreCamBatch = explain::CamRequest{}.scoreCamBatchSize;
  bool json = false;
  bool sanityCheck = false;
  std::vector<std::string> thresholds;  ///< NAME=VALUE
};

// A CLI11 validator from one of core's parsers, so that a bad name is a usage error (exit 2)
// that carries the parser's own message with the accepted names.
template <typename Parse>
CLI::Validator parsedBy(Parse parse, const std::string& description) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          parse(text);
          return {};
        } catch (const Error& e) {
          return e.what();
        }
      },
      description);
}

// out.png -> out_top3.png: the names --top K writes, one per class.
fs::path rankedPath(const fs::path& path, int rank) {
  fs::path name = path.stem();
  name += "_top";
  name += std::to_string(rank);
  name += path.extension();
  return path.parent_path() / name;
}

std::string formatProbability(double p) {
  std::ostringstream out;
  // Tiny probabilities in scientific notation rather than a misleading 0.0000, as predict does.
  if (p >= 1e-4)
    out << std::fixed << std::setprecision(4);
  else
    out << std::scientific << std::setprecision(1);
  out << p;
  return out.str();
}

nlohmann::ordered_json diagnosticsJson(const explain::HeatmapDiagnostics& d) {
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const explain::DiagnosticWarning& w : d.warnings)
    warnings.push_back({{"kind", explain::diagnosticName(w.kind)},
                        {"value", w.value},
                        {"threshold", w.threshold},
                        {"message", w.message}});
  auto optional = [](const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  };
  return {{"border_share", d.borderShare},
          {"corner_share", d.cornerShare},
          {"entropy", d.normalizedEntropy},
          {"left_share", d.leftShare},
          {"outside_body", optional(d.outsideBodyShare)},
          {"outside_lungs", optional(d.outsideLungsShare)},
          {"warnings", warnings}};
}

/// The model-randomisation check of the top-1 class's map.
explain::RandomisationCheck sanity(model::Classifier& classifier, const at::Tensor& input,
                                   explain::CamRequest request) {
  request.topK = 1;
  if (request.classes.size() > 1)
    request.classes.erase(request.classes.begin() + 1, request.classes.end());
  return explain::randomisationCheck(classifier.network(), input, request);
}

nlohmann::ordered_json sanityJson(const explain::RandomisationCheck& check) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& step : check.steps)
    steps.push_back(
        {{"randomised", step.randomised}, {"spearman", step.spearman}, {"ssim", step.ssim}});
  return {{"steps", steps},
          {"insensitive", check.insensitive},
          {"threshold", check.threshold},
          {"message", check.message}};
}

void runCam(const CamArgs& args) {
  const explain::CamMethod method = explain::parseCamMethod(args.method);
  const explain::CamColormap colormap = explain::parseCamColormap(args.colormap);
  const model::ResNetLayer layer = *model::parseResNetLayer(args.layer);
  const bool ranked = args.top > 0;
  explain::DiagnosticThresholds thresholds;
  for (const std::string& assignment : args.thresholds)
    explain::setDiagnosticThreshold(thresholds, assignment);

  const imaging::CtImage image = args.input.read();
  const imaging::Window window = args.input.windowFor(image.info);

  model::Classifier classifier = args.model.open();
  const model::ModelInfo& info = classifier.info();
  if (args.classIndex >= info.numClasses) {
    throw Error("--class " + std::to_string(args.classIndex) + " does not exist: the model has " +
                std::to_string(info.numClasses) + " classes (0.." +
                std::to_string(info.numClasses - 1) + ")");
  }

  explain::CamRequest request;
  request.method = method;
  request.layer = layer;
  if (args.classIndex >= 0) request.classes = {args.classIndex};
  request.topK = std::min(std::max(args.top, 1), info.numClasses);
  request.scoreCamChannels = args.scoreCamChannels;
  request.scoreCamBatchSize = args.scoreCamBatch;
  const at::Tensor input = model::modelInput(image, classifier.inputSpec(), window,
                                             model::parseDevice(args.model.device));
  const std::vector<explain::CamResult> results =
      explain::computeCam(classifier.network(), input, request);

  const cv::Mat gray8 = imaging::renderWindowed8(image, window);
  const int layerChannels = classifier.network().config().channels(static_cast<int>(layer));
  const int usedChannels =
      args.scoreCamChannels > 0 ? std::min(args.scoreCamChannels, layerChannels) : layerChannels;
  const std::vector<std::string>& names = classifier.classNames();

  nlohmann::ordered_json maps = nlohmann::ordered_json::array();
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const explain::CamResult& result = results[i];
    const int rank = static_cast<int>(i) + 1;
    const fs::path overlayPath = ranked ? rankedPath(args.out, rank) : args.out;
    const cv::Mat normalized = explain::camToMat(result.normalized);
    imaging::writeImageFile(overlayPath,
                            explain::overlayCam(gray8, normalized, colormap, args.opacity));
    fs::path heatmapPath;
    if (!args.heatmapOut.empty()) {
      heatmapPath = ranked ? rankedPath(args.heatmapOut, rank) : args.heatmapOut;
      // The map that was coloured: at the image's own resolution, aligned with its pixels.
      explain::writeCamTiff(heatmapPath, explain::resizeCam(normalized, gray8.size()));
    }
    const std::string& name = names.at(static_cast<std::size_t>(result.classIndex));
    // Signs that the map should not be trusted (border, uniform, outside the body...).
    const explain::HeatmapDiagnostics diagnostics =
        explain::diagnoseHeatmap(explain::resizeCam(normalized, gray8.size()), &image, thresholds);
    maps.push_back({{"index", result.classIndex},
                    {"name", name},
                    {"probability", result.probability},
                    {"logit", result.logit},
                    {"overlay", overlayPath.string()},
                    {"heatmap", heatmapPath.empty() ? nlohmann::ordered_json(nullptr)
                                                    : nlohmann::ordered_json(heatmapPath.string())},
                    {"diagnostics", diagnosticsJson(diagnostics)}});
    std::ostringstream line;
    line << std::setw(3) << rank << ". " << formatProbability(result.probability) << "  " << name
         << " (" << result.classIndex << ") -> " << overlayPath.string();
    if (!heatmapPath.empty()) line << ", " << heatmapPath.string();
    lines.push_back(line.str());
    for (const explain::DiagnosticWarning& w : diagnostics.warnings)
      lines.push_back("     warning (" + std::string(explain::diagnosticName(w.kind)) +
                      "): " + w.message);
  }

  const std::int64_t mapHeight = results.front().raw.size(0);
  const std::int64_t mapWidth = results.front().raw.size(1);
  const bool scoreCam = method == explain::CamMethod::ScoreCam;
  if (args.json) {
    nlohmann::ordered_json out = {{"model",
                                   {{"architecture", info.architecture},
                                    {"source", info.source},
                                    {"untrained", info.untrained || info.headUntrained},
                                    {"classes", info.numClasses},
                                    {"device", info.device}}},
                                  {"method", explain::camMethodName(method)},
                                  {"layer", model::resNetLayerName(layer)},
                                  {"map_size", {mapHeight, mapWidth}},
                                  {"image_size", {gray8.rows, gray8.cols}}};
    if (scoreCam) {
      out["scorecam"] = {{"mode", usedChannels < layerChannels ? "fast" : "exact"},
                         {"channels", usedChannels},
                         {"layer_channels", layerChannels}};
    }
    out["maps"] = maps;
    if (args.sanityCheck) out["sanity_check"] = sanityJson(sanity(classifier, input, request));
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << "model: " << describeModel(info, args.model.seed, "predictions and heatmaps") << '\n'
            << "device: " << info.device << '\n'
            << "image: " << args.input.image.filename().string() << " ("
            << imaging::describeWindow(window) << ")\n"
            << "method: " << explain::camMethodName(method);
  if (scoreCam) {
    std::cout << (usedChannels < layerChannels ? " (fast: " : " (exact: ") << usedChannels << " of "
              << layerChannels << " channels)";
  }
  std::cout << '\n'
            << "layer: " << model::resNetLayerName(layer) << " (" << mapHeight << 'x' << mapWidth
            << " map)\n";
  for (const std::string& line : lines)
    std::cout << line << '\n';
  if (args.sanityCheck) {
    const explain::RandomisationCheck check = sanity(classifier, input, request);
    std::cout << "sanity check (model randomisation, top-1 class):\n";
    for (const auto& step : check.steps)
      std::cout << "  random " << step.randomised << ": rank correlation " << std::fixed
                << std::setprecision(3) << step.spearman << ", SSIM " << step.ssim
                << std::defaultfloat << '\n';
    std::cout << "  " << (check.insensitive ? "WARNING: " : "") << check.message << '\n';
  }
}

// --- grid -----------------------------------------------------------------------------------

struct GridArgs {
  std::vector<fs::path> images;
  std::string methods = "gradcam";
  int top = 1;
  std::string layer{model::resNetLayerName(explain::kDefaultCamLayer)};
  ModelArgs model;
  int cell = 256;
  int scoreCamChannels = 64;
  fs::path out;
};

void runGrid(const GridArgs& args) {
  const std::vector<explain::CamMethod> methods = explain::parseCamMethods(args.methods);
  const model::ResNetLayer layer = *model::parseResNetLayer(args.layer);
  model::Classifier classifier = args.model.open();
  const model::ModelInfo& info = classifier.info();
  const c10::Device device = model::parseDevice(args.model.device);

  explain::GridLayout layout;
  layout.cellSize = args.cell;
  layout.title = describeModel(info, args.model.seed, "heatmaps") + ", " +
                 std::string(model::resNetLayerName(layer));
  layout.columnTitles.push_back("image");
  for (const explain::CamMethod method : methods)
    for (int k = 1; k <= args.top; ++k)
      layout.columnTitles.push_back(std::string(explain::camMethodName(method)) +
                                    (args.top > 1 ? " top" + std::to_string(k) : ""));
  std::vector<std::vector<explain::Panel>> rows;
  for (std::size_t i = 0; i < args.images.size(); ++i) {
    const imaging::CtImage image = imaging::readImage(args.images[i]);
    const imaging::Window window = imaging::defaultWindow(image.info);
    const cv::Mat gray8 = imaging::renderWindowed8(image, window);
    const at::Tensor input = model::modelInput(image, classifier.inputSpec(), window, device);
    std::vector<explain::Panel> row{{gray8, "window " + std::to_string(std::lround(window.center)) +
                                                "/" + std::to_string(std::lround(window.width))}};
    for (const explain::CamMethod method : methods) {
      explain::CamRequest request;
      request.method = method;
      request.layer = layer;
      request.topK = args.top;
      request.scoreCamChannels = args.scoreCamChannels;
      for (const explain::CamResult& r :
           explain::computeCam(classifier.network(), input, request)) {
        row.push_back({explain::overlayCam(gray8, explain::camToMat(r.normalized),
                                           explain::CamColormap::Jet, 0.5),
                       classifier.classNames().at(static_cast<std::size_t>(r.classIndex)) + " " +
                           formatProbability(r.probability)});
      }
    }
    rows.push_back(std::move(row));
    // Rows are numbered in the figure; names stay out of it (they may identify a patient).
    layout.rowTitles.push_back(std::to_string(i + 1));
    std::cout << "row " << i + 1 << ": " << args.images[i].filename().string() << '\n';
  }
  imaging::writeImageFile(args.out, explain::composeGrid(rows, layout));
  std::cout << "wrote " << args.out.string() << " (" << rows.size() << " rows, "
            << layout.columnTitles.size() << " columns)\n";
}

}  // namespace

void addExplainCommands(CLI::App& app) {
  auto args = std::make_shared<CamArgs>();
  CLI::App* cam = app.add_subcommand("cam", std::string(modelCommandDescription("cam")));
  cam->footer(
      "Without --top the overlay (and heatmap) go to the names given. With --top K they go to\n"
      "STEM_top1.EXT .. STEM_topK.EXT beside them, most probable class first (--out overlay.png\n"
      "--top 3: overlay_top1.png, overlay_top2.png, overlay_top3.png). The heatmap TIFF holds the\n"
      "normalised map (float32, values in [0, 1]) at the image's own resolution, as coloured in\n"
      "the overlay. Score-CAM runs one forward pass per channel: exact mode at layer4 is 2048 of\n"
      "them (minutes on a CPU); --scorecam-channels 64 is the fast mode.");
  addImageArgs(*cam, args->input, true);
  cam->add_option("--method", args->method,
                  "gradcam, hirescam, gradcam++, xgradcam, layercam, eigencam or scorecam")
      ->required()
      ->check(parsedBy(explain::parseCamMethod, "METHOD"));
  CLI::Option* classOption =
      cam->add_option("--class", args->classIndex, "explain this class (default: the top-1)")
          ->check(CLI::Range(0, static_cast<int>(model::imagenetClassNames().size()) - 1));
  cam->add_option("--top", args->top, "explain the K most probable classes, one file each")
      ->check(CLI::Range(1, static_cast<int>(model::imagenetClassNames().size())))
      ->excludes(classOption);
  cam->add_option("--layer", args->layer, "layer1, layer2, layer3 or layer4")
      ->check(CLI::IsMember({"layer1", "layer2", "layer3", "layer4"}))
      ->capture_default_str();
  addModelArgs(*cam, args->model);
  cam->add_option("--colormap", args->colormap, "jet or viridis")
      ->check(parsedBy(explain::parseCamColormap, "COLORMAP"))
      ->capture_default_str();
  cam->add_option("--opacity", args->opacity, "opacity of the heatmap over the image")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cam->add_option("--out", args->out, "overlay image (PNG)")->required();
  cam->add_option("--heatmap-out", args->heatmapOut,
                  "also write the heatmap as a float32 TIFF (.tif or .tiff)");
  CLI::Option* channels =
      cam->add_option("--scorecam-channels", args->scoreCamChannels,
                      "Score-CAM fast mode: use the N channels of largest mean activation "
                      "(default: exact, every channel)")
          ->check(CLI::PositiveNumber);
  CLI::Option* batch =
      cam->add_option("--scorecam-batch", args->scoreCamBatch,
                      "Score-CAM: masked images per forward pass (speed and memory only)")
          ->check(CLI::PositiveNumber)
          ->capture_default_str();
  cam->add_flag("--json", args->json, "print JSON");
  cam->add_flag("--sanity-check", args->sanityCheck,
                "also randomise the model layer by layer and say whether the map depends on it "
                "(Adebayo et al. 2018)");
  std::string thresholdHelp = "change a warning's threshold (repeatable), NAME one of:";
  for (const auto& n : explain::diagnosticThresholdNames())
    thresholdHelp.append("\n  ").append(n.name).append(": ").append(n.meaning);
  cam->add_option("--threshold", args->thresholds, thresholdHelp)
      ->type_name("NAME=VALUE")
      ->check(parsedBy(
          [](const std::string& text) {
            explain::DiagnosticThresholds t;
            explain::setDiagnosticThreshold(t, text);
          },
          ""));
  cam->callback([args, channels, batch] {
    if (args->method != "scorecam" && (channels->count() > 0 || batch->count() > 0)) {
      throw CLI::ValidationError("--scorecam-channels and --scorecam-batch",
                                 "apply to --method scorecam only");
    }
    const std::string ext = args->heatmapOut.extension().string();
    if (!args->heatmapOut.empty() && ext != ".tif" && ext != ".tiff" && ext != ".TIF" &&
        ext != ".TIFF") {
      throw CLI::ValidationError("--heatmap-out", "a float heatmap needs a .tif or .tiff name");
    }
    runCam(*args);
  });

  auto grid = std::make_shared<GridArgs>();
  CLI::App* gridCommand = app.add_subcommand("grid", std::string(modelCommandDescription("grid")));
  gridCommand->add_option("IMAGES", grid->images, "images (rows, numbered in the figure)")
      ->required()
      ->check(CLI::ExistingFile);
  gridCommand->add_option("--methods", grid->methods, "comma-separated CAM methods")
      ->capture_default_str();
  gridCommand->add_option("--top", grid->top, "classes per method, most probable first")
      ->capture_default_str()
      ->check(CLI::Range(1, 5));
  gridCommand->add_option("--layer", grid->layer, "layer1, layer2, layer3 or layer4")
      ->check(CLI::IsMember({"layer1", "layer2", "layer3", "layer4"}))
      ->capture_default_str();
  gridCommand->add_option("--cell", grid->cell, "pixels per panel")
      ->capture_default_str()
      ->check(CLI::Range(64, 1024));
  gridCommand
      ->add_option("--scorecam-channels", grid->scoreCamChannels,
                   "Score-CAM channels (0: all, exact)")
      ->capture_default_str();
  addModelArgs(*gridCommand, grid->model);
  gridCommand->add_option("--out", grid->out, "PNG to write")->required();
  gridCommand->callback([grid] { runGrid(*grid); });
}

}  // namespace camlabel::cli
