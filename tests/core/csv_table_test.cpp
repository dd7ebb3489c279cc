// SPDX-License-Identifier: Apache-2.0
// CSV through libcsv: RFC 4180 records with their lines, clear errors, and cells a spreadsheet
// shows as text.

#include "core/common/csv_table.h"

#include <gtest/gtest.h>

#include "core/common/error.h"

namespace camlabel::csv {
namespace {

using Fields = std::vector<std::string>;

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaksAndRecordsKnowTheirLine) {
  const std::string text =
      "\xEF\xBB\xBF"
      "file,label\r\n"
      "\r\n"
      "\"a,b.png\",1\r\n"
      "\"two\nlines.png\",2\n"
      "  spaced.png  ,3\n"
      "\"say \"\"hi\"\".png\",4";  // no final line break
  const std::vector<Record> records = parse(text, "x.csv");
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[0].fields, (Fields{"file", "label"}));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].fields, (Fields{"a,b.png", "1"}));
  EXPECT_EQ(records[1].line, 3);
  EXPECT_EQ(records[2].fields, (Fields{"two\nlines.png", "2"}));
  EXPECT_EQ(records[2].line, 4);
  EXPECT_EQ(records[3].fields, (Fields{"spaced.png", "3"}));
  EXPECT_EQ(records[3].line, 6);
  EXPECT_EQ(records[4].fields, (Fields{"say \"hi\".png", "4"}));
  EXPECT_EQ(records[4].line, 7);
}

TEST(Csv, AQuoteOutOfPlaceOrNeverClosedNamesTheLine) {
  try {
    parse("file,label\na.png,1\nb\"c.png,2\n", "bad.csv");
    FAIL() << "a stray quote was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
  try {
    parse("a.png,1\n\"open.png,2\nc.png,3\n", "open.csv");
    FAIL() << "an unclosed quote was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("never closed"), std::string::npos) << e.what();
  }
}

TEST(Csv, NoCellStartsAFormulaAndEveryValueComesBack) {
  const Fields values{"=HYPERLINK(\"http://x\",\"y\").png",
                      "+1.png",
                      "-2.png",
                      "@SUM(A1).png",
                      "\tcmd.png",
                      "\rcr.png",
                      "'quoted.png",
                      "''=x.png",
                      "plain.png",
                      "a,b\"c\nd.png",
                      " leading and trailing ",
                      "間質性肺炎.png",
                      ""};
  std::string text;
  for (const auto& v : values)
    text += field(v) + ",0\n";
  const std::vector<Record> records = parse(text, "export.csv");
  ASSERT_EQ(records.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& cell = records[i].fields.at(0);
    EXPECT_EQ(cellText(cell), values[i]);
    if (cell.empty()) continue;
    EXPECT_EQ(std::string("=+-@\t\r").find(cell.front()), std::string::npos)
        << "a spreadsheet would evaluate: " << cell;
  }
  // Found by fuzz_label_csv: a value starting with a byte order mark, first in a file, lost it
  // to the reader's skipping of the file's own mark.
  const auto bom = parse(field("\xEF\xBB\xBFname.png") + ",1\n", "bom.csv");
  ASSERT_EQ(bom.size(), 1U);
  EXPECT_EQ(cellText(bom[0].fields[0]), "\xEF\xBB\xBFname.png");
  EXPECT_EQ(field("=1+1"), "'=1+1");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("plain"), "plain");
  // A name that merely contains an apostrophe is left alone both ways.
  EXPECT_EQ(field("o'neil.png"), "o'neil.png");
  EXPECT_EQ(cellText("'abc.png"), "'abc.png");
}

}  // namespace
}  // namespace camlabel::csv
