// SPDX-License-Identifier: Apache-2.0
#include "core/common/natural_sort.h"

#include <cctype>

namespace camlabel {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
char fold(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

bool naturalLess(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (isDigit(a[i]) && isDigit(b[j])) {
      // Compare digit runs as numbers of any length: skip leading zeros, then longer is larger.
      std::size_t ai = i;
      std::size_t bj = j;
      while (ai < a.size() && a[ai] == '0')
        ++ai;
      while (bj < b.size() && b[bj] == '0')
        ++bj;
      std::size_t ae = ai;
      std::size_t be = bj;
      while (ae < a.size() && isDigit(a[ae]))
        ++ae;
      while (be < b.size() && isDigit(b[be]))
        ++be;
      if (ae - ai != be - bj) return ae - ai < be - bj;
      const int cmp = a.substr(ai, ae - ai).compare(b.substr(bj, be - bj));
      if (cmp != 0) return cmp < 0;
      i = ae;
      j = be;
      continue;
    }
    const char ca = fold(a[i]);
    const char cb = fold(b[j]);
    if (ca != cb) return ca < cb;
    ++i;
    ++j;
  }
  if (i < a.size() || j < b.size()) return j < b.size();
  return a < b;
}

}  // namespace camlabel
