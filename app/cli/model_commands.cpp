// SPDX-License-Identifier: Apache-2.0
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/image_args.h"
#include "cli/model_args.h"
#include "cli/model_commands_list.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/window.h"
#include "core/model/class_names.h"
#include "core/model/classifier.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

struct PredictArgs {
  ImageArgs input;
  ModelArgs model;
  int top = 5;
  bool json = false;
};

void runPredict(const PredictArgs& args) {
  const imaging::CtImage image = args.input.read();
  const imaging::Window window = args.input.windowFor(image.info);

  model::Classifier classifier = args.model.open();
  const model::Prediction prediction = classifier.predict(image, window, args.top);
  const model::ModelInfo& info = classifier.info();

  if (args.json) {
    // ordered_json: keys in the documented order (model first; architecture, source, ...).
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const model::ClassScore& score : prediction.top)
      top.push_back(
          {{"index", score.index}, {"name", score.name}, {"probability", score.probability}});
    const nlohmann::ordered_json out = {{"model",
                                         {{"architecture", info.architecture},
                                          {"source", info.source},
                                          {"untrained", prediction.untrained},
                                          {"classes", info.numClasses},
                                          {"device", info.device}}},
                                        {"top", top}};
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << "model: " << describeModel(info, args.model.seed, "predictions") << '\n'
            << "device: " << info.device << '\n'
            << "image: " << args.input.image.filename().string() << " ("
            << imaging::describeWindow(window) << ")\n";
  for (std::size_t i = 0; i < prediction.top.size(); ++i) {
    const model::ClassScore& score = prediction.top[i];
    std::ostringstream line;
    line << std::setw(3) << i + 1 << ". ";
    // Tiny probabilities in scientific notation rather than a misleading 0.0000.
    if (score.probability >= 1e-4)
      line << std::fixed << std::setprecision(4);
    else
      line << std::scientific << std::setprecision(1);
    line << score.probability << "  " << score.name << " (" << score.index << ')';
    std::cout << line.str() << '\n';
  }
}

}  // namespace

void addModelCommands(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* predict =
      app.add_subcommand("predict", std::string(modelCommandDescription("predict")));
  addImageArgs(*predict, args->input, true);
  addModelArgs(*predict, args->model);
  predict->add_option("--top", args->top, "number of classes to print")
      ->check(CLI::Range(1, static_cast<int>(model::imagenetClassNames().size())))
      ->capture_default_str();
  predict->add_flag("--json", args->json, "print JSON");
  predict->callback([args] { runPredict(*args); });
}

}  // namespace camlabel::cli
