// SPDX-License-Identifier: Apache-2.0
#include "cli/image_args.h"

#include "core/imaging/window.h"

namespace camlabel::cli {

imaging::CtImage ImageArgs::read() const {
  imaging::ReadOptions options;
  if (frame >= 0) options.frame = frame;
  return imaging::readImage(image, options);
}

imaging::Window ImageArgs::windowFor(const imaging::ImageInfo& info) const {
  return window.empty() ? imaging::defaultWindow(info) : imaging::parseWindow(window, info);
}

void addImageArgs(CLI::App& command, ImageArgs& args, bool withWindow) {
  command.add_option("IMAGE", args.image, "DICOM, PNG, JPEG, TIFF or BMP file")->required();
  command.add_option("--frame", args.frame, "frame of a multi-frame DICOM file (0-based)")
      ->check(CLI::NonNegativeNumber);
  if (withWindow)
    command
        .add_option("--window", args.window,
                    "lung | mediastinal | bone | stored | auto | CENTER,WIDTH "
                    "(default: the file's own window, else lung for CT, else as stored)")
        ->default_str("");
}

}  // namespace camlabel::cli
