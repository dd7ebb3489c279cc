// SPDX-License-Identifier: Apache-2.0
#include "core/model/class_names.h"

#include <string_view>

namespace camlabel::model {
namespace detail {
// Defined in the imagenet_classes_text.cpp that core/model/CMakeLists.txt generates.
extern const char kImagenetClassesText[];
}  // namespace detail

const std::vector<std::string>& imagenetClassNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    std::string_view text = detail::kImagenetClassesText;
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) out.emplace_back(line);
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    return out;
  }();
  return names;
}

}  // namespace camlabel::model
