#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/version.h"
#include "core/model/classifier.h"

int main(int argc, char** argv) {
  camlabel::model::useAllProcessors();
  CLI::App app{"camlabel-cli: label CT slices while a ResNet50 learns from them (headless)",
               "camlabel-cli"};
  app.set_version_flag("--version", std::string("camlabel-cli ") + camlabel::kVersion);
  app.require_subcommand(1);
  camlabel::cli::addImagingCommands(app);
  camlabel::cli::addProjectCommands(app);
  camlabel::cli::addModelCommands(app);
  camlabel::cli::addExplainCommands(app);
  camlabel::cli::addSessionCommands(app);
  camlabel::cli::addTrustCommands(app);

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
