// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <unistd.h>

#include <iostream>

#include "core/common/progress.h"

namespace camlabel::cli {

/// Prints progress on one terminal line, only when stderr is a terminal (never into logs or
/// pipes). Never cancels.
class TerminalProgress : public ProgressDelegate {
 public:
  bool update(double fraction, std::string_view message) override {
    if (!isatty(2)) return true;
    std::cerr << '\r' << message << ' ' << static_cast<int>(fraction * 100) << "%  ";
    if (fraction >= 1.0) std::cerr << '\n';
    return true;
  }
};

}  // namespace camlabel::cli
