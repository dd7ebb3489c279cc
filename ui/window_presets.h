// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>

#include "core/imaging/ct_image.h"

class QMenu;
class QObject;

namespace camlabel::ui {

/// Adds the window presets to a menu: F1 lung, F2 mediastinal, F3 bone (each calls `apply` with
/// its window) and F4 the image's own window (calls `own`). F-keys, so that 0-9 stay labels.
void addWindowPresetActions(QMenu* menu, QObject* context,
                            const std::function<void(imaging::Window)>& apply,
                            const std::function<void()>& own);

}  // namespace camlabel::ui
