#pragma once

#include <CLI/CLI.hpp>

namespace camlabel::cli {

/// info, render, phantom: the image pipeline from the command line.
void addImagingCommands(CLI::App& app);

/// project new/import/status/export: the label store from the command line.
void addProjectCommands(CLI::App& app);

}  // namespace camlabel::cli
