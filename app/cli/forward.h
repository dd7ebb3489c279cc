// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

namespace camlabel::cli {

/// The commands of kModelCommands, each handed with the whole command line to camlabel-cli-model
/// (which loads LibTorch), so that camlabel-cli itself starts without it. Their --help is the
/// model program's. The program is looked for beside this one (the build tree), then in
/// ../libexec/camlabel (an installed package).
void addForwardedModelCommands(CLI::App& app, char** argv);

}  // namespace camlabel::cli
