// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

namespace camlabel::cli {

/// info, render, phantom: the image pipeline from the command line.
void addImagingCommands(CLI::App& app);

/// project new/import/status/export: the label store from the command line.
void addProjectCommands(CLI::App& app);

/// predict: classify an image with ResNet50 (untrained without --weights).
void addModelCommands(CLI::App& app);

/// cam: a class activation map of a prediction, written over the windowed image.
void addExplainCommands(CLI::App& app);

/// demo, label, eval: a whole annotation session without a display, through core's Session.
void addSessionCommands(CLI::App& app);

/// laterality: position bias of a version's heatmaps over a project.
void addTrustCommands(CLI::App& app);

}  // namespace camlabel::cli
