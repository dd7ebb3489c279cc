// SPDX-License-Identifier: Apache-2.0
#include "cli/run.h"

#include <iostream>
#include <string>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/version.h"

namespace camlabel::cli {

void describeCli(CLI::App& app) {
  app.description("camlabel-cli: label CT slices while a ResNet50 learns from them (headless)");
  app.name("camlabel-cli");
  app.set_version_flag("--version", std::string("camlabel-cli ") + camlabel::kVersion);
  app.require_subcommand(1);
}

int runCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const camlabel::Cancelled& e) {
    std::cerr << "camlabel-cli: " << e.what() << '\n';
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "camlabel-cli: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace camlabel::cli
