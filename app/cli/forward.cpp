// SPDX-License-Identifier: Apache-2.0
#include "cli/forward.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "cli/model_commands_list.h"
#include "core/common/error.h"
#include "core/common/program_files.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModelProgram = "camlabel-cli-model";

fs::path modelProgram() {
  const std::vector<fs::path> candidates = programFileCandidates(kModelProgram);
  if (candidates.empty())
    throw Error("cannot find " + std::string(kModelProgram) + ": the running program is unknown");
  std::string looked;
  for (const fs::path& candidate : candidates) {
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
    looked += (looked.empty() ? "" : " and ") + candidate.parent_path().string();
  }
  throw Error("the model commands' program " + std::string(kModelProgram) +
              " is missing (looked in " + looked + "): reinstall camlabel");
}

/// Replaces this process with the model program, given this one's arguments (argv ends with a
/// null pointer, as main receives it).
[[noreturn]] void runModelProgram(char** argv) {
  std::string program = modelProgram().string();
  std::vector<char*> args{program.data()};
  for (char** arg = argv + 1; *arg != nullptr; ++arg)
    args.push_back(*arg);
  args.push_back(nullptr);
  ::execv(program.c_str(), args.data());
  throw Error("cannot start " + program + ": " + std::strerror(errno));
}

}  // namespace

void addForwardedModelCommands(CLI::App& app, char** argv) {
  for (const CommandSummary& command : kModelCommands) {
    CLI::App* forwarded =
        app.add_subcommand(std::string(command.name), std::string(command.description));
    forwarded->set_help_flag();  // --help goes to the model program, which knows the options
    forwarded->allow_extras();
    forwarded->prefix_command();
    forwarded->callback([argv] { runModelProgram(argv); });
  }
}

}  // namespace camlabel::cli
