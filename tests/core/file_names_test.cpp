// SPDX-License-Identifier: Apache-2.0
// Issue 18, point 4: one rule for names that are not UTF-8.

#include "core/common/file_names.h"

#include <gtest/gtest.h>

namespace camlabel {
namespace {

TEST(FileNames, Utf8IsRecognisedStrictly) {
  EXPECT_TRUE(isUtf8("plain.png"));
  EXPECT_TRUE(isUtf8("間質性肺炎_01.dcm"));
  EXPECT_TRUE(isUtf8("\xF0\x9F\x98\x80.png"));  // U+1F600
  EXPECT_FALSE(isUtf8("latin1_\xE9.png"));      // Latin-1 e acute
  EXPECT_FALSE(isUtf8("\xFF\xFE"));             // a UTF-16 byte order mark
  EXPECT_FALSE(isUtf8("\xC0\x80"));             // overlong NUL
  EXPECT_FALSE(isUtf8("\xED\xA0\x80"));         // a surrogate
  EXPECT_FALSE(isUtf8("\xF4\x90\x80\x80"));     // past U+10FFFF
  EXPECT_FALSE(isUtf8("\xE9\x96"));             // cut short
}

TEST(FileNames, ANameThatIsNotUtf8IsShownEscapedAndLeadsBack) {
  EXPECT_EQ(displayName("plain 50%.png"), "plain 50%.png");  // UTF-8: as it is
  EXPECT_EQ(displayName("間質.png"), "間質.png");
  EXPECT_EQ(displayName("latin1_\xE9.png"), "latin1_%E9.png");
  EXPECT_EQ(displayName("50%_\xFF\xFE_間.png"), "50%25_%FF%FE_間.png");
  for (const std::string raw : {"latin1_\xE9.png", "50%_\xFF\xFE.png", "\xC0\x80"}) {
    const std::string shown = displayName(raw);
    EXPECT_TRUE(isUtf8(shown)) << shown;
    ASSERT_TRUE(rawName(shown).has_value()) << shown;
    EXPECT_EQ(*rawName(shown), raw);
  }
  EXPECT_FALSE(rawName("plain.png").has_value());
  EXPECT_FALSE(rawName("100%.png").has_value());  // no %XX: nothing to undo
}

}  // namespace
}  // namespace camlabel
