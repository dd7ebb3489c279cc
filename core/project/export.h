// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace camlabel::project {

class Project;
struct ImageRecord;

/// Writes the current decision of every decided image (labels and skips), in natural order,
/// as CSV (.csv) or JSON (.json), atomically. Paths are relative to the image root and no
/// DICOM identifier is written. language is "en" or "ja" for class names. Returns the number
/// of rows. Throws camlabel::Error for another extension or language, or when writing fails.
std::size_t exportLabels(Project& project, const std::filesystem::path& out,
                         const std::string& language = "en");

/// The image a user names by its path in the image folder, as imported or as an export shows it
/// (displayName: bytes outside UTF-8 as %XX); nothing when there is none.
std::optional<ImageRecord> findImageByName(Project& project, const std::string& name);

}  // namespace camlabel::project
