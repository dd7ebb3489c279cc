// SPDX-License-Identifier: Apache-2.0
// A class scheme file as a colleague might send it: refused with InputError or accepted with a
// name that cannot place a file anywhere, and written back to the same scheme.

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/project/class_scheme.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace camlabel;
  const nlohmann::json json =
      nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  try {
    const project::ClassScheme scheme = project::schemeFromJson(json, "fuzz.json");
    if (scheme.name.find('/') != std::string::npos || scheme.name.find('\\') != std::string::npos)
      fuzz::finding("a scheme name with a path separator was accepted");
    if (!isUtf8(scheme.name)) fuzz::finding("a scheme name that is not UTF-8 was accepted");
    const project::ClassScheme back =
        project::schemeFromJson(project::schemeToJson(scheme), "again.json");
    if (back.name != scheme.name || back.englishNames() != scheme.englishNames())
      fuzz::finding("a scheme did not survive writing it back");
  } catch (const InputError&) {
  }
  return 0;
}
