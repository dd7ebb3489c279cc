// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the QTest executables under tests/ui.

#include <QString>
#include <QtGlobal>

namespace camlabel::ui::test {

/// Silences the offscreen platform's "does not support propagateSizeHints" warning, printed each
/// time a window's size constraints change (a status bar text, a dialog's layout): it says nothing
/// about what is tested. Every other message goes to Qt's handler. Call from initTestCase().
inline void quietOffscreenPlatform() {
  static QtMessageHandler next = nullptr;
  next = qInstallMessageHandler(
      [](QtMsgType type, const QMessageLogContext& context, const QString& message) {
        if (message.contains(QLatin1String("does not support propagateSizeHints"))) return;
        if (next != nullptr) next(type, context, message);
      });
}

}  // namespace camlabel::ui::test
