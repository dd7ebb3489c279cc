// SPDX-License-Identifier: Apache-2.0
#pragma once

// CSV as RFC 4180 writes it, read through libcsv, and written so that a spreadsheet shows every
// cell as the text it is (no formula runs when a clinician opens an export).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace camlabel::csv {

/// One record of a CSV file: its fields, and the line it starts on (1-based, for messages).
struct Record {
  std::vector<std::string> fields;
  int line = 0;
};

/// The records of a CSV text (RFC 4180: a quoted field may hold commas, doubled quotes and line
/// breaks; LF or CRLF line ends). A UTF-8 byte order mark is skipped, blank lines are ignored,
/// and spaces around an unquoted field are trimmed. Throws camlabel::InputError naming source
/// and the line for a quote out of place or one never closed.
std::vector<Record> parse(std::string_view text, const std::string& source);

/// parse() of a file's contents. Throws camlabel::InputError for a file that cannot be read or
/// is larger than kMaxFileBytes.
std::vector<Record> readFile(const std::filesystem::path& path);
inline constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;

/// One text cell: quoted where RFC 4180 needs it. A value a spreadsheet would take for a
/// formula (its first character =, +, -, @, a tab or a carriage return: OWASP's CSV injection
/// list) gets a leading apostrophe, which spreadsheets show as text and do not display; so does
/// a value that starts with an apostrophe, so that cellText() gives every value back exactly.
std::string field(std::string_view value);

/// The value field() was given, from the cell it wrote (as read back by parse()).
std::string cellText(std::string_view cell);

}  // namespace camlabel::csv
