#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/image_info_json.h"
#include "core/imaging/image_writer.h"
#include "core/imaging/phantom.h"
#include "core/imaging/window.h"

namespace camlabel::cli {
namespace {

namespace fs = std::filesystem;

struct ReadArgs {
  fs::path image;
  int frame = -1;

  imaging::ReadOptions options() const {
    imaging::ReadOptions o;
    if (frame >= 0) o.frame = frame;
    return o;
  }
};

void addReadArgs(CLI::App& command, ReadArgs& args) {
  command.add_option("IMAGE", args.image, "DICOM, PNG, JPEG, TIFF or BMP file")->required();
  command.add_option("--frame", args.frame, "frame of a multi-frame DICOM file (0-based)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace

void addImagingCommands(CLI::App& app) {
  {
    auto args = std::make_shared<ReadArgs>();
    auto json = std::make_shared<bool>(false);
    CLI::App* info = app.add_subcommand(
        "info",
        "Describe an image: format, size, modality, value range, spacing (no patient data)");
    addReadArgs(*info, *args);
    info->add_flag("--json", *json, "print JSON");
    info->callback([args, json] {
      const imaging::CtImage image = imaging::readImage(args->image, args->options());
      if (*json)
        std::cout << imaging::toJson(image.info).dump(2) << '\n';
      else
        std::cout << imaging::toText(image.info);
    });
  }
  {
    auto args = std::make_shared<ReadArgs>();
    auto window = std::make_shared<std::string>();
    auto out = std::make_shared<fs::path>();
    CLI::App* render =
        app.add_subcommand("render", "Write the image through a display window as 8-bit PNG");
    addReadArgs(*render, *args);
    render
        ->add_option("--window", *window,
                     "lung | mediastinal | bone | stored | auto | CENTER,WIDTH "
                     "(default: the file's own window, else lung for CT, else as stored)")
        ->default_str("");
    render->add_option("--out", *out, "output PNG")->required();
    render->callback([args, window, out] {
      const imaging::CtImage image = imaging::readImage(args->image, args->options());
      const imaging::Window w = window->empty() ? imaging::defaultWindow(image.info)
                                                : imaging::parseWindow(*window, image.info);
      imaging::writeImageFile(*out, imaging::renderWindowed8(image, w));
      std::cout << "wrote " << out->string() << " (" << imaging::describeWindow(w) << ")\n";
    });
  }
  {
    auto dir = std::make_shared<fs::path>();
    auto options = std::make_shared<imaging::PhantomSetOptions>();
    CLI::App* phantom = app.add_subcommand(
        "phantom", "Generate seeded synthetic chest CT slices with lesion masks and labels.csv");
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
