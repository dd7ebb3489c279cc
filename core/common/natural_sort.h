// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace camlabel {

/// "Natural" order of names as people expect it: runs of digits compare as numbers, so
/// "img2" < "img10"; other characters compare case-insensitively (ASCII), ties broken bytewise.
bool naturalLess(std::string_view a, std::string_view b);

}  // namespace camlabel
