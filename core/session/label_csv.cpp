// SPDX-License-Identifier: Apache-2.0
#include "core/session/label_csv.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/common/csv_table.h"
#include "core/common/error.h"

namespace camlabel::session {

namespace {

/// Where the file and the label are in each record.
struct Columns {
  std::size_t file = 0;
  std::size_t label = 1;
  bool header = false;  ///< the first record names the columns
};

std::optional<std::size_t> columnNamed(const std::vector<std::string>& header,
                                       std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
  }
  return std::nullopt;
}

/// "file,label" (or none), or a header naming a file column (file, path) and a label column
/// (label, label_index): the project's own export among them.
Columns columnsOf(const std::vector<std::string>& first) {
  const auto file = columnNamed(first, {"file", "path"});
  const auto label = columnNamed(first, {"label", "label_index"});
  if (file && label) return {*file, *label, true};
  return {};
}

}  // namespace

std::vector<LabelRow> readLabelCsv(const std::filesystem::path& path) {
  const std::vector<csv::Record> records = csv::readFile(path);
  std::vector<LabelRow> rows;
  if (records.empty()) return rows;
  const Columns columns = columnsOf(records.front().fields);
  const std::size_t width = columns.header ? records.front().fields.size() : 2;
  for (std::size_t r = columns.header ? 1 : 0; r < records.size(); ++r) {
    const csv::Record& record = records[r];
    const std::string where = "line " + std::to_string(record.line) + ": ";
    if (record.fields.size() != width) {
      throw InputError(path, where + "expected " + std::to_string(width) + " fields" +
                                 (columns.header ? std::string(" as the header names")
                                                 : std::string(" \"file,label\"")) +
                                 ", found " + std::to_string(record.fields.size()));
    }
    const std::string file = csv::cellText(record.fields[columns.file]);
    const std::string& label = record.fields[columns.label];
    // A slice the export lists as skipped has no label: nothing to record.
    if (columns.header && label.empty()) continue;
    int value = 0;
    const auto [end, ec] = std::from_chars(label.data(), label.data() + label.size(), value);
    if (label.empty() || ec != std::errc{} || end != label.data() + label.size() || value < 0) {
      throw InputError(path, where + "label '" + label + "' is not a class index (0, 1, 2, ...)");
    }
    if (file.empty()) throw InputError(path, where + "the file name is empty");
    rows.push_back({file, value, record.line});
  }
  return rows;
}

}  // namespace camlabel::session
