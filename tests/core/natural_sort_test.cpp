// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/natural_sort.h"

namespace camlabel {
namespace {

TEST(NaturalSort, NumbersCompareByValue) {
  std::vector<std::string> names{"img10",
                                 "img2",
                                 "img1",
                                 "Img3",
                                 "img02b",
                                 "img002a",
                                 "a",
                                 "img99999999999999999999",
                                 "img100000000000000000000"};
  std::sort(names.begin(), names.end(), naturalLess);
  EXPECT_EQ(names,
            (std::vector<std::string>{"a", "img1", "img2", "img002a", "img02b", "Img3", "img10",
                                      "img99999999999999999999", "img100000000000000000000"}));
}

TEST(NaturalSort, IsAStrictWeakOrder) {
  EXPECT_FALSE(naturalLess("x", "x"));
  EXPECT_TRUE(naturalLess("x1", "x01") != naturalLess("x01", "x1"));  // ties broken, not equal
  EXPECT_TRUE(naturalLess("ab", "abc"));
  EXPECT_FALSE(naturalLess("abc", "ab"));
  EXPECT_TRUE(naturalLess("a/b2", "a/b10"));
}

}  // namespace
}  // namespace camlabel
