// SPDX-License-Identifier: Apache-2.0
#include "cli/model_args.h"

#include "core/common/error.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"

namespace camlabel::cli {

model::ClassifierOptions ModelArgs::classifierOptions() const {
  model::ClassifierOptions options;
  if (!weights.empty()) options.weights = weights;
  options.seed = seed;
  options.device = model::parseDevice(device);
  return options;
}

model::Classifier ModelArgs::open() const {
  if (!weights.empty() && session::looksLikeVersionFile(weights))
    return session::versionFileClassifier(weights, model::parseDevice(device));
  if (project.empty()) return model::Classifier(classifierOptions());
  auto p = project::Project::open(project);
  NetworkArgs net;
  net.network = network;
  net.device = device;
  return session::versionClassifier(*p, parseVersion(version), net.config(), net.torchDevice());
}

void addModelArgs(CLI::App& command, ModelArgs& args) {
  CLI::Option* project = command.add_option(
      "--project", args.project,
      "a project's model (its classes; --class indexes its scheme) instead of ImageNet's");
  command.add_option("--version", args.version, std::string("with --project: ") + kVersionHelp)
      ->needs(project);
  command
      .add_option("--network", args.network,
                  "with --project: resnet50, or tiny for a project trained with --network tiny")
      ->capture_default_str()
      ->needs(project);
  command
      .add_option("--weights", args.weights,
                  "torchvision resnet50 weights (.pth), or a model version file on its own (a "
                  "project's models/<scheme>_vK.pt: its classes); without it (and without "
                  "--project): seeded random weights")
      ->excludes(project);
  command.add_option("--device", args.device, "cpu, cuda or cuda:N")->capture_default_str();
  command.add_option("--seed", args.seed, "seed of the random weights without --weights")
      ->capture_default_str()
      ->excludes(project);
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

model::ResNetConfig NetworkArgs::config() const {
  if (const auto named = model::namedNetwork(network)) return *named;
  throw Error("unknown network '" + network + "': use resnet50 or tiny");
}

c10::Device NetworkArgs::torchDevice() const {
  return model::parseDevice(device);
}

void addNetworkArgs(CLI::App* command, NetworkArgs& args) {
  command
      ->add_option("--network", args.network,
                   "resnet50, or tiny (a small ResNet for tests and quick trials); a project's "
                   "versions fit only the network they were trained with")
      ->capture_default_str();
  command->add_option("--device", args.device, "cpu, cuda or cuda:N")->capture_default_str();
}

void addModelSource(CLI::App* command, std::string& projectDir, std::string& version,
                    std::string* weights) {
  CLI::Option* positional =
      command->add_option("DIR", projectDir, "project folder (the same as --project DIR)");
  CLI::Option* named = command->add_option("--project", projectDir, "project folder");
  positional->excludes(named);
  CLI::Option* versionOption = command->add_option("--version", version, kVersionHelp);
  if (weights != nullptr) {
    command
        ->add_option("--weights", *weights,
                     "a model version file on its own (a project's models/<scheme>_vK.pt, or "
                     "one sent by a colleague) instead of a project: its classes and input size "
                     "come from the file")
        ->excludes(positional)
        ->excludes(named)
        ->excludes(versionOption);
  }
}

std::string projectDir(const std::string& given) {
  if (given.empty()) throw Error("name the project: DIR or --project DIR");
  return given;
}

std::optional<int> parseVersion(const std::string& text) {
  if (text.empty() || text == "current") return std::nullopt;
  if (text == "base") return session::kBaseVersion;
  std::string digits = text;
  if (digits[0] == 'v' || digits[0] == 'V') digits.erase(0, 1);
  if (digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    throw Error("version '" + text + "' is not vK, K, base or current");
  }
  const int version = std::stoi(digits);
  if (version < 1) throw Error("versions start at v1; base is the model before any label");
  return version;
}

}  // namespace camlabel::cli
