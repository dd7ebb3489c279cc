// SPDX-License-Identifier: Apache-2.0
// camlabel-cli: starts without LibTorch. The commands that need no model run here; those that
// run one (kModelCommands) are handed to camlabel-cli-model (app/cli_model_main.cpp).

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/forward.h"
#include "cli/run.h"

int main(int argc, char** argv) {
  CLI::App app;
  camlabel::cli::describeCli(app);
  camlabel::cli::addImagingCommands(app);
  camlabel::cli::addProjectCommands(app);
  camlabel::cli::addForwardedModelCommands(app, argv);
  return camlabel::cli::runCommandLine(app, argc, argv);
}
