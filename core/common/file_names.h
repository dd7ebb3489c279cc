// SPDX-License-Identifier: Apache-2.0
#pragma once

// One decision for file names that are not UTF-8 (a folder from an old PACS export or a
// Windows machine with Latin-1 names): the project keeps the name's bytes, which lead back to
// the file on disk; everything that shows or exports a name (the window, CSV and JSON exports,
// the team server) uses displayName(), which is always UTF-8; and a name read back from an
// export finds its image through rawName().

#include <optional>
#include <string>
#include <string_view>

namespace camlabel {

/// Whether text is well-formed UTF-8 (no overlong forms, surrogates or code points past
/// U+10FFFF).
bool isUtf8(std::string_view text);

/// The name as shown and exported: the name itself when it is UTF-8; otherwise each byte that
/// is not part of a UTF-8 character, and each '%', written as %XX (upper-case hex), so that
/// "latin1_\xE9.png" is shown as "latin1_%E9.png".
std::string displayName(std::string_view raw);

/// The bytes a displayName() stands for when it has %XX escapes (every %XX decoded), or
/// std::nullopt when it has none. A lookup tries the name as given first, so a UTF-8 name that
/// holds "%41" itself is still found as it is.
std::optional<std::string> rawName(std::string_view display);

}  // namespace camlabel
