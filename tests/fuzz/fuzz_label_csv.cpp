// SPDX-License-Identifier: Apache-2.0
// A label list through the CSV reader (libcsv), and the writer's promise: any value written by
// csv::field comes back exactly, and never starts a spreadsheet formula.

#include <string>
#include <string_view>

#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/session/label_csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace camlabel;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    for (const csv::Record& record : csv::parse(text, "fuzz.csv")) {
      std::string line;
      for (const std::string& value : record.fields) {
        const std::string cell = csv::field(value);
        if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string::npos)
          fuzz::finding("a written cell starts a formula");
        line += cell + ",";
      }
      line += "end\n";
      const auto back = csv::parse(line, "again.csv");
      if (back.size() != 1 || back[0].fields.size() != record.fields.size() + 1)
        fuzz::finding("a written record did not come back as one record");
      for (std::size_t i = 0; i < record.fields.size(); ++i) {
        // Spaces around a value are kept by quoting; the reader trims unquoted ones only.
        if (csv::cellText(back[0].fields[i]) != record.fields[i])
          fuzz::finding("a written value did not come back");
      }
    }
  } catch (const InputError&) {
  }
  try {
    session::readLabelCsv(fuzz::asFile(data, size, ".csv"));
  } catch (const InputError&) {
  }
  return 0;
}
