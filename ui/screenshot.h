// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>
#include <QString>

#include <optional>

namespace camlabel::ui {

class LabelWindow;

/// What a screenshot of the labelling window shows, for the user guides and checks.
enum class ScreenshotView {
  kLabelling,      ///< the image and its prediction, as the window opens
  kOverlay,        ///< with the heatmap over the image (C)
  kCompare,        ///< the "before" and "after" models side by side (V)
  kTraining,       ///< with the training panel (T)
  kHelp,           ///< with the keys and classes (H)
  kAgreement,      ///< the Reader agreement dialog (Label menu), alone
  kDisagreements,  ///< a team project's Disagreements dialog (Label menu), alone
  /// Without a project: the new-project wizard, slices from a PACS (an example address).
  kNewProjectPacs,
};
/// "labelling", "overlay", "compare", "training", "help", "agreement", "disagreements",
/// "new-project-pacs";
/// std::nullopt otherwise.
std::optional<ScreenshotView> parseScreenshotView(const QString& name);

/// Call right after showing a new window. Waits (at most timeoutMs in all, running the event loop)
/// until the window shows its first prediction or a problem, brings it into `view`, waits until
/// that view's content has arrived (the heatmap, the comparison), and renders the window. A view
/// whose content does not arrive in time is rendered as it is.
QImage captureWindow(LabelWindow& window, ScreenshotView view, int timeoutMs);

}  // namespace camlabel::ui
