// SPDX-License-Identifier: Apache-2.0
// camlabel-cli-model: every camlabel-cli command, with LibTorch loaded. camlabel-cli hands it the
// commands that run a model (app/cli/model_commands_list.h).

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/run.h"
#include "core/common/allocator.h"
#include "core/model/classifier.h"

int main(int argc, char** argv) {
  camlabel::keepFreedMemoryForReuse();  // before any thread starts
  camlabel::model::useAllProcessors();
  CLI::App app;
  camlabel::cli::describeCli(app);
  camlabel::cli::addImagingCommands(app);
  camlabel::cli::addProjectCommands(app);
  camlabel::cli::addModelCommands(app);
  camlabel::cli::addExplainCommands(app);
  camlabel::cli::addSessionCommands(app);
  camlabel::cli::addTrustCommands(app);
  return camlabel::cli::runCommandLine(app, argc, argv);
}
