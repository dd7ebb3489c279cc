// SPDX-License-Identifier: Apache-2.0
#include "core/common/csv_table.h"

#include <csv.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "core/common/error.h"

namespace camlabel::csv {
namespace {

bool startsFormula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/// What libcsv's callbacks build.
struct Collector {
  std::vector<Record> records;
  Record current;
  int feedLine = 0;       ///< the line being fed to the parser
  int rowStart = 0;       ///< where the record under way began
  bool needStart = true;  ///< the next non-blank line starts a record
};

void onField(void* data, std::size_t size, void* self) {
  auto& c = *static_cast<Collector*>(self);
  c.current.fields.emplace_back(static_cast<const char*>(data), size);
}

void onRecordEnd(int /*terminator*/, void* self) {
  auto& c = *static_cast<Collector*>(self);
  c.current.line = c.rowStart;
  const bool blank = std::all_of(c.current.fields.begin(), c.current.fields.end(),
                                 [](const std::string& f) { return f.empty(); });
  if (!blank) c.records.push_back(std::move(c.current));
  c.current = Record{};
  c.needStart = true;
}

bool blankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

/// Owns a libcsv parser.
class Parser {
 public:
  Parser() {
    if (csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI) != 0) throw Error("out of memory");
  }
  ~Parser() { csv_free(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  csv_parser* get() { return &parser_; }

 private:
  csv_parser parser_{};
};

}  // namespace

std::vector<Record> parse(std::string_view text, const std::string& source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  Parser parser;
  Collector c;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size() - 1) + 1;
    const std::string_view line = text.substr(pos, end - pos);
    ++c.feedLine;
    if (c.needStart && !blankLine(line)) {
      c.rowStart = c.feedLine;
      c.needStart = false;
    }
    if (csv_parse(parser.get(), line.data(), line.size(), onField, onRecordEnd, &c) !=
        line.size()) {
      const int error = csv_error(parser.get());
      throw InputError(
          source, "line " + std::to_string(c.feedLine) + ": " +
                      (error == CSV_EPARSE ? std::string("a quote out of place (a quoted field "
                                                         "must start and end with \", and a \" "
                                                         "inside it is written \"\")")
                                           : std::string(csv_strerror(error))));
    }
    pos = end;
  }
  if (csv_fini(parser.get(), onField, onRecordEnd, &c) != 0) {
    throw InputError(source, "line " + std::to_string(c.rowStart) +
                                 ": a quoted field is never closed (a \" is missing)");
  }
  return std::move(c.records);
}

std::vector<Record> readFile(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path, "cannot be read: " + ec.message());
  if (size > kMaxFileBytes) {
    throw InputError(path, "is " + std::to_string(size >> 20) + " MB, more than the " +
                               std::to_string(kMaxFileBytes >> 20) + " MB a CSV may have here");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "read error");
  return parse(text.str(), path.string());
}

std::string field(std::string_view value) {
  std::string text;
  if (!value.empty() && (startsFormula(value.front()) || value.front() == '\'')) text += '\'';
  text.append(value);
  // A leading byte order mark would be taken for the file's own by a reader.
  const bool quote =
      text.find_first_of(",\"\r\n") != std::string::npos || text.rfind("\xEF\xBB\xBF", 0) == 0 ||
      (!text.empty() &&
       (text.front() == ' ' || text.back() == ' ' || text.front() == '\t' || text.back() == '\t'));
  if (!quote) return text;
  std::string quoted(2 * text.size() + 2, '\0');
  quoted.resize(csv_write(quoted.data(), quoted.size(), text.data(), text.size()));
  return quoted;
}

std::string cellText(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '\'' && (startsFormula(cell[1]) || cell[1] == '\''))
    cell.remove_prefix(1);
  return std::string(cell);
}

}  // namespace camlabel::csv
