#include "cli/model_args.h"

namespace camlabel::cli {

model::ClassifierOptions ModelArgs::classifierOptions() const {
  model::ClassifierOptions options;
  if (!weights.empty()) options.weights = weights;
  options.seed = seed;
  options.device = model::parseDevice(device);
  return options;
}

void addModelArgs(CLI::App& command, ModelArgs& args) {
  command.add_option("--weights", args.weights,
                     "torchvision resnet50 weights (.pth); without it: seeded random weights");
  command.add_option("--device", args.device, "cpu, cuda or cuda:N")->capture_default_str();
  command.add_option("--seed", args.seed, "seed of the random weights without --weights")
      ->capture_default_str();
}

std::string describeModel(const model::ModelInfo& info, std::uint64_t seed,
                          const std::string& what) {
  if (info.untrained) {
    std::string text = "untrained ResNet50 (random weights, seed ";
    text.append(std::to_string(seed)).append("): ").append(what).append(" are meaningless");
    return text;
  }
  return "ResNet50, " + info.source + " (" + std::to_string(info.numClasses) + " classes)";
}

}  // namespace camlabel::cli
