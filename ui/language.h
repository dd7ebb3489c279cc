// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace camlabel::ui {

/// The language of the interface and of class names: "en" or "ja".
const std::string& uiLanguage();

/// "ja" when the system's locale is Japanese, else "en".
std::string systemLanguage();

/// Switches the interface to "en" or "ja": installs the Japanese translation (built into the
/// program) on the running application, or removes it. Windows opened afterwards use it. Returns
/// false for any other language.
bool setUiLanguage(const std::string& language);

}  // namespace camlabel::ui
