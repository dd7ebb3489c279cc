// SPDX-License-Identifier: Apache-2.0
#pragma once
// The commands that run a model, with what each does. camlabel-cli starts without LibTorch: it
// lists these in its help and hands each to camlabel-cli-model (app/cli/forward.cpp), which
// registers them with the same words.

#include <array>
#include <stdexcept>
#include <string_view>

namespace camlabel::cli {

struct CommandSummary {
  std::string_view name;
  std::string_view description;
};

inline constexpr std::array<CommandSummary, 9> kModelCommands{{
    {"predict",
     "Classify an image with ResNet50 (ImageNet's classes, or a project's model with --project) "
     "and print the top classes"},
    {"cam", "Explain a prediction: write a class activation map over the windowed image"},
    {"grid",
     "a figure of several images (rows) by several CAM methods and classes (columns), "
     "each heatmap over the windowed image, as a PNG"},
    {"demo",
     "create a ready project of synthetic chest slices (all 10 ILD patterns) and a real "
     "CT slice, with labels to replay and a held-out set"},
    {"label",
     "replay a labelling session from a file,label CSV: each image is predicted, then labelled; "
     "the model trains as in the app and keeps a version every N labels"},
    {"eval",
     "score a model version on held-out labelled images: accuracy, per-class recall, "
     "macro AUC, Cohen's kappa, confusion matrix"},
    {"localise",
     "how well a version's heatmaps point at known lesions: the pointing game and "
     "the share of heatmap energy inside each lesion mask, per method"},
    {"figure",
     "a report figure: for each chosen image, the windowed image, the heatmap and the "
     "overlay with the prediction, as PNG or PDF, and the numbers behind it as CSV"},
    {"laterality",
     "position bias: explain each labelled image with a model version and report how many "
     "heatmaps lie on one side of the image, overall and per class"},
}};

/// The description of a model command; throws std::logic_error for a name not listed.
inline std::string_view modelCommandDescription(std::string_view name) {
  for (const CommandSummary& c : kModelCommands)
    if (c.name == name) return c.description;
  throw std::logic_error("not a model command");
}

}  // namespace camlabel::cli
