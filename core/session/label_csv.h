// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace camlabel::session {

/// One row of a "file,label" CSV, the phantom generator's and the demo's format.
struct LabelRow {
  std::string file;  ///< as written: relative (to a folder the caller chooses) or absolute
  int label = 0;
  int line = 0;  ///< 1-based line in the file, for messages
};

/// Reads a label list: "file,label" rows (header optional), or any CSV whose header names a
/// file column (file or path) and a label column (label or label_index), such as the project's
/// own label export, whose skipped slices (no label) are left out. RFC 4180 (csv::parse): a
/// file name may be quoted and hold commas, quotes or line breaks; the export's apostrophe before
/// a name that starts like a formula is removed (csv::cellText). Throws camlabel::InputError
/// naming the file and the line for a row it cannot read; label range is the caller's to check.
std::vector<LabelRow> readLabelCsv(const std::filesystem::path& path);

}  // namespace camlabel::session
