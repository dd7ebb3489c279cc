// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "core/imaging/ct_image.h"

namespace camlabel::cli {

/// The image a command reads, and how it is seen: one set of options for every command.
struct ImageArgs {
  std::filesystem::path image;
  int frame = -1;      ///< -1: not given
  std::string window;  ///< empty: the image's own default window

  /// Throws InputError, as imaging::readImage does.
  imaging::CtImage read() const;
  /// The --window the user gave, else imaging::defaultWindow. Throws Error on a bad window.
  imaging::Window windowFor(const imaging::ImageInfo& info) const;
};

/// Adds IMAGE and --frame, and --window when withWindow.
void addImageArgs(CLI::App& command, ImageArgs& args, bool withWindow);

}  // namespace camlabel::cli
