// SPDX-License-Identifier: Apache-2.0
// laterality: when should a project's heatmaps not be trusted? Position bias over many images.

#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_args.h"
#include "cli/model_commands_list.h"
#include "cli/terminal_progress.h"
#include "core/common/error.h"
#include "core/explain/cam.h"
#include "core/learning/trainer.h"
#include "core/model/classifier.h"
#include "core/model/resnet.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"
#include "core/session/trust_summary.h"

namespace camlabel::cli {
namespace {

struct LateralityArgs {
  std::string dir;
  std::string weights;  ///< a model version file instead of a project
  std::string version;
  std::string method = "gradcam";
  std::string layer{model::resNetLayerName(explain::kDefaultCamLayer)};
  std::string labels;
  int limit = 0;
  bool json = false;
  NetworkArgs net;
};

nlohmann::ordered_json summaryJson(const explain::LateralitySummary& s) {
  return {{"images", s.images},
          {"one_sided", s.oneSided},
          {"one_sided_share", s.oneSidedShare()},
          {"mean_left_share", s.meanLeftShare},
          {"biased", s.biased}};
}

void printSummary(const std::string& name, const explain::LateralitySummary& s) {
  std::cout << std::left << std::setw(18) << name << std::right << std::setw(7) << s.images
            << std::setw(11) << s.oneSided << std::fixed << std::setprecision(3) << std::setw(12)
            << s.oneSidedShare() << std::setw(11) << s.meanLeftShare << std::defaultfloat
            << (s.biased ? "  biased?" : "") << '\n';
}

void runLaterality(const LateralityArgs& args) {
  session::LateralityOptions options;
  options.version = parseVersion(args.version);
  options.method = explain::parseCamMethod(args.method);
  const auto layer = model::parseResNetLayer(args.layer);
  if (!layer)
    throw Error("unknown layer '" + args.layer + "': use layer1, layer2, layer3 or layer4");
  options.layer = *layer;
  options.labelsCsv = args.labels;
  if (args.limit > 0) options.limit = args.limit;
  options.config = args.net.config();
  options.device = args.net.torchDevice();

  TerminalProgress progress;
  session::LateralityReport r;
  std::string modelName;
  if (!args.weights.empty()) {
    if (args.labels.empty())
      throw Error("with --weights, name the images and their labels with --labels CSV");
    session::VersionFile file = session::loadVersionFile(args.weights, options.device);
    const std::vector<session::TrustImage> images =
        session::listedTrustImages(args.labels, static_cast<int>(file.model.classNames.size()));
    r = session::summariseModelLaterality(file.model, images, options, file.modelSize, &progress);
    modelName = file.model.name;
  } else {
    auto project = project::Project::open(projectDir(args.dir));
    r = session::summariseProjectLaterality(*project, options, &progress);
    modelName = learning::versionName(r.version);
  }
  for (const auto& problem : r.problems)
    std::cerr << "left out: " << problem << '\n';
  if (args.json) {
    nlohmann::ordered_json perClass = nlohmann::ordered_json::array();
    for (const auto& c : r.perClass) {
      nlohmann::ordered_json entry = {{"class", c.classIndex}, {"name", c.className}};
      entry.update(summaryJson(c.summary));
      perClass.push_back(entry);
    }
    nlohmann::ordered_json out = {{"version", r.version},
                                  {"labels_seen", r.labelsSeen},
                                  {"method", explain::camMethodName(options.method)},
                                  {"layer", model::resNetLayerName(options.layer)},
                                  {"one_sided_threshold", options.thresholds.oneSidedShare},
                                  {"bias_share", options.biasShare}};
    out.update(summaryJson(r.overall));
    out["left_out"] = r.problems.size();
    out["per_class"] = perClass;
    out["verdict"] = r.verdict;
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << "model " << modelName << " (" << r.labelsSeen << " labels), "
            << explain::camMethodName(options.method) << " heatmaps of the labelled class at "
            << model::resNetLayerName(options.layer) << "\n"
            << "one-sided: more than " << options.thresholds.oneSidedShare
            << " of a map's energy in one half; left: the image's left half (the patient's "
               "right)\n"
            << std::left << std::setw(18) << "class" << std::right << std::setw(7) << "images"
            << std::setw(11) << "one-sided" << std::setw(12) << "share" << std::setw(11)
            << "mean left" << '\n';
  printSummary("all", r.overall);
  for (const auto& c : r.perClass)
    printSummary(std::to_string(c.classIndex) + " " + c.className, c.summary);
  std::cout << r.verdict << '\n';
}

}  // namespace

void addTrustCommands(CLI::App& app) {
  auto args = std::make_shared<LateralityArgs>();
  CLI::App* laterality =
      app.add_subcommand("laterality", std::string(modelCommandDescription("laterality")));
  addModelSource(laterality, args->dir, args->version, &args->weights);
  laterality->add_option("--method", args->method, "CAM method")->capture_default_str();
  laterality->add_option("--layer", args->layer, "layer1..layer4")->capture_default_str();
  laterality->add_option("--labels", args->labels,
                         "CSV of file,label rows (file relative to the CSV's folder, or "
                         "absolute) instead of the project's labelled images; needed with "
                         "--weights");
  laterality->add_option("--limit", args->limit, "only the first N images")
      ->check(CLI::PositiveNumber);
  laterality->add_flag("--json", args->json, "print JSON");
  addNetworkArgs(laterality, args->net);
  laterality->callback([args] { runLaterality(*args); });
}

}  // namespace camlabel::cli
