#include "core/session/label_csv.h"

#include <charconv>
#include <fstream>

#include "core/common/error.h"

namespace camlabel::session {

namespace {

/// Splits one CSV line into fields (RFC 4180 quoting, no embedded newlines).
bool splitCsv(const std::string& line, std::vector<std::string>& fields) {
  fields.assign(1, {});
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return !quoted;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\t'))
    ++start;
  return s.substr(start);
}

}  // namespace

std::vector<LabelRow> readLabelCsv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the label list");
  std::vector<LabelRow> rows;
  std::string line;
  std::vector<std::string> fields;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
    if (trimmed(line).empty()) continue;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (!splitCsv(line, fields)) throw InputError(path, where + "unterminated quote");
    if (fields.size() != 2) {
      throw InputError(path, where + "expected two fields \"file,label\", found " +
                                 std::to_string(fields.size()));
    }
    const std::string file = trimmed(fields[0]);
    const std::string label = trimmed(fields[1]);
    if (rows.empty() && number == 1 && file == "file" && label == "label") continue;  // header
    int value = 0;
    const auto [end, ec] = std::from_chars(label.data(), label.data() + label.size(), value);
    if (label.empty() || ec != std::errc{} || end != label.data() + label.size() || value < 0) {
      throw InputError(path, where + "label '" + label + "' is not a class index (0, 1, 2, ...)");
    }
    if (file.empty()) throw InputError(path, where + "the file name is empty");
    rows.push_back({file, value, number});
  }
  if (in.bad()) throw InputError(path, "read error");
  return rows;
}

}  // namespace camlabel::session
