#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "core/model/classifier.h"

namespace camlabel::cli {

/// The ImageNet ResNet50 a command uses: weights file or seeded random weights, and the device.
struct ModelArgs {
  std::filesystem::path weights;  ///< empty: seeded random weights
  std::string device = "cpu";
  std::uint64_t seed = 0;

  /// Throws Error for a device that is unknown or not available.
  model::ClassifierOptions classifierOptions() const;
};

/// Adds --weights, --device and --seed.
void addModelArgs(CLI::App& command, ModelArgs& args);

/// One line for the user: the weights, or that the model is untrained and what that means for
/// `what` ("predictions", "predictions and heatmaps").
std::string describeModel(const model::ModelInfo& info, std::uint64_t seed,
                          const std::string& what);

}  // namespace camlabel::cli
