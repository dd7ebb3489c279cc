// SPDX-License-Identifier: Apache-2.0
// Any bytes as a file name: shown as UTF-8, and the shown name leads back to the bytes.

#include <string>
#include <string_view>

#include "core/common/file_names.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace camlabel;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const std::string shown = displayName(raw);
  if (!isUtf8(shown)) fuzz::finding("a shown name is not UTF-8");
  if (isUtf8(raw)) {
    if (shown != raw) fuzz::finding("a UTF-8 name was changed");
  } else {
    const auto back = rawName(shown);
    if (!back || *back != raw) fuzz::finding("a shown name does not lead back to its bytes");
  }
  return 0;
}
