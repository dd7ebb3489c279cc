// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

namespace camlabel::cli {

/// The application both programs start from: its name, description and --version.
void describeCli(CLI::App& app);

/// Parses the command line and runs the command, with the exit codes of every camlabel-cli
/// command: 0, 1 for an error (one line on stderr), 2 for a usage error, 130 when cancelled.
int runCommandLine(CLI::App& app, int argc, char** argv);

}  // namespace camlabel::cli
