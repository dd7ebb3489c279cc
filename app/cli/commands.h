#pragma once

#include <CLI/CLI.hpp>

namespace camlabel::cli {

/// info, render, phantom: the image pipeline from the command line.
void addImagingCommands(CLI::App& app);

}  // namespace camlabel::cli
