// SPDX-License-Identifier: Apache-2.0
#pragma once
// The slice a labelling session starts at, read without a session: what the window shows while
// the model loads (issue 14). Torch-free.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/imaging/ct_image.h"

namespace camlabel::session {

struct FirstSlice {
  std::int64_t imageId = 0;
  std::string relativePath;
  imaging::CtImage image;
};

/// Project::startingImage, read from the store (opened and closed again) and the image folder:
/// the slice LabelWindow starts a session at (Session::startingImage). std::nullopt for a project
/// without images. Throws as project::Project::open (a project in use elsewhere included) and
/// imaging::readImage do.
std::optional<FirstSlice> readFirstSlice(const std::filesystem::path& projectDir);

}  // namespace camlabel::session
