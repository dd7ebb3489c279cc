// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <cstdint>
#include <optional>

#include "core/session/session.h"

class QMessageBox;
class QWidget;

namespace camlabel::ui {

/// What a session restored when it opened, in the interface's language, one sentence per fact:
/// "Resumed at image 41 of 300 with model v3 (30 labels). 4 labels given after v3 are being
/// trained again. Skipped a damaged checkpoint: <reason>." positionIndex is the 0-based index of
/// report.position in natural order (nothing when the session starts without a position);
/// imageCount the project's images.
QString resumeSummary(const session::ResumeReport& report,
                      std::optional<std::int64_t> positionIndex, std::int64_t imageCount);
/// The same for an open session, from its resumeReport() and store (GUI thread is fine: store
/// calls only).
QString resumeSummary(session::Session& session);

/// True when the report has something the user should know: a version or labels were restored,
/// labels are being trained again, or a checkpoint was skipped. A first opening has nothing.
bool resumeWorthShowing(const session::ResumeReport& report);
/// True when a checkpoint had to be skipped, so the notice is a warning.
bool resumeHasProblems(const session::ResumeReport& report);

/// A non-modal notice over parent with resumeSummary(session), a warning when a checkpoint was
/// skipped; it deletes itself when closed. Returns nullptr (and shows nothing) when
/// resumeWorthShowing() is false. Call it once sessionOpened() was emitted.
QMessageBox* showResumeNotice(QWidget* parent, session::Session& session);

}  // namespace camlabel::ui
