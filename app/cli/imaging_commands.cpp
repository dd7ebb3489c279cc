// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/image_args.h"
#include "cli/terminal_progress.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/image_info_json.h"
#include "core/imaging/image_writer.h"
#include "core/imaging/phantom.h"
#include "core/imaging/window.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

}  // namespace

void addImagingCommands(CLI::App& app) {
  {
    auto args = std::make_shared<ImageArgs>();
    auto json = std::make_shared<bool>(false);
    CLI::App* info = app.add_subcommand(
        "info",
        "Describe an image: format, size, modality, value range, spacing (no patient data)");
    addImageArgs(*info, *args, false);
    info->add_flag("--json", *json, "print JSON");
    info->callback([args, json] {
      const imaging::CtImage image = args->read();
      if (*json)
        std::cout << imaging::toJson(image.info).dump(2) << '\n';
      else
        std::cout << imaging::toText(image.info);
    });
  }
  {
    auto args = std::make_shared<ImageArgs>();
    auto out = std::make_shared<fs::path>();
    CLI::App* render =
        app.add_subcommand("render", "Write the image through a display window as 8-bit PNG");
    addImageArgs(*render, *args, true);
    render->add_option("--out", *out, "output PNG")->required();
    render->callback([args, out] {
      const imaging::CtImage image = args->read();
      const imaging::Window w = args->windowFor(image.info);
      imaging::writeImageFile(*out, imaging::renderWindowed8(image, w));
      std::cout << "wrote " << out->string() << " (" << imaging::describeWindow(w) << ")\n";
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto options = std::make_shared<imaging::PhantomSetOptions>();
    CLI::App* phantom = app.add_subcommand(
        "phantom",
        "Generate seeded synthetic chest CT slices: OUT/images/*.png (16-bit, HU + 1024), "
        "OUT/masks/*.png (their lesion masks) and OUT/labels.csv (images/NAME.png,class). "
        "`project new P --images OUT` imports the slices only, `label P --from "
        "OUT/labels.csv` labels them, `localise P --labels OUT/labels.csv` finds the masks");
    phantom->add_option("OUT", *dir, "output folder")->required();
    phantom->add_option("--count", options->count, "number of slices")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    phantom->add_option("--seed", options->seed, "random seed")->capture_default_str();
    phantom->add_option("--size", options->size, "side in pixels")
        ->check(CLI::Range(64, 4096))
        ->capture_default_str();
    phantom->add_flag("--dicom", options->writeDicom, "also write DICOM files");
    phantom->callback([dir, options] {
      TerminalProgress progress;
      const auto entries = imaging::writePhantomSet(*dir, *options, &progress);
      std::cout << "wrote " << entries.size() << " slices, masks and labels.csv to "
                << dir->string() << '\n';
    });
  }
}

}  // namespace camlabel::cli
