// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/model/classifier.h"
#include "core/model/resnet.h"

namespace camlabel::cli {

/// The model a command runs: a project's version (its scheme's classes), or the ImageNet ResNet50
/// from a weights file or seeded random weights; and the device.
struct ModelArgs {
  std::filesystem::path project;     ///< a project folder; empty: --weights or random weights
  std::string version;               ///< with project: vK, K, base or current (empty)
  std::string network = "resnet50";  ///< with project: the network its versions were trained as
  std::filesystem::path weights;     ///< empty: seeded random weights
  std::string device = "cpu";
  std::uint64_t seed = 0;

  /// Throws Error for a device that is unknown or not available.
  model::ClassifierOptions classifierOptions() const;
  /// The classifier these options name. Throws Error (InputError for a bad file).
  model::Classifier open() const;
};

/// Adds --project, --version, --network, --weights, --device and --seed.
void addModelArgs(CLI::App& command, ModelArgs& args);

/// One line for the user: the weights, or that the model is untrained and what that means for
/// `what` ("predictions", "predictions and heatmaps").
std::string describeModel(const model::ModelInfo& info, std::uint64_t seed,
                          const std::string& what);

/// --network and --device of the project commands. --network: the ResNet50 of the product, or a
/// tiny ResNet for tests and quick trials on slow machines; a project's checkpoints fit only the
/// network they were trained with.
struct NetworkArgs {
  std::string network = "resnet50";
  std::string device = "cpu";

  /// Throws Error for an unknown network.
  model::ResNetConfig config() const;
  /// Throws Error for a device that is unknown or not available.
  c10::Device torchDevice() const;
};

/// Adds --network and --device.
void addNetworkArgs(CLI::App* command, NetworkArgs& args);

/// The model of a command that scores or explains a project's model (eval, localise, figure,
/// laterality): the project as DIR or --project DIR, --version; and, where `weights` is given,
/// --weights FILE, a model version file on its own instead of a project.
void addModelSource(CLI::App* command, std::string& projectDir, std::string& version,
                    std::string* weights);
/// The project folder given as DIR or --project; throws Error when neither was.
std::string projectDir(const std::string& given);

/// A --version value: "vK", "K", "base" (session::kBaseVersion: the model before any label) or
/// "current" (empty: current, std::nullopt). Throws Error.
std::optional<int> parseVersion(const std::string& text);
/// The help text of every --version option.
inline constexpr const char* kVersionHelp =
    "vK, K, base (the model before any label) or current (default)";

}  // namespace camlabel::cli
