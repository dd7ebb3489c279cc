// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace camlabel::project {

class Project;

/// Writes the current decision of every decided image (labels and skips), in natural order,
/// as CSV (.csv) or JSON (.json), atomically. Paths are relative to the image root and no
/// DICOM identifier is written. language is "en" or "ja" for class names. Returns the number
/// of rows. Throws camlabel::Error for another extension or language, or when writing fails.
std::size_t exportLabels(Project& project, const std::filesystem::path& out,
                         const std::string& language = "en");

}  // namespace camlabel::project
