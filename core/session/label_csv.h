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

/// Reads a "file,label" CSV (header optional, blank lines ignored, a file name may be quoted
/// with "" for embedded commas or quotes). Throws camlabel::InputError naming the file and the
/// line for a row it cannot read; label range is the caller's to check.
std::vector<LabelRow> readLabelCsv(const std::filesystem::path& path);

}  // namespace camlabel::session
