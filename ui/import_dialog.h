// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QObject>
#include <QString>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "core/project/project.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace camlabel {
class ProgressDelegate;
}
namespace camlabel::session {
class Session;
}

namespace camlabel::ui {

class BackgroundTask;

/// An import (or any store work that reports an ImportReport) as a BackgroundTask: progress
/// comes back as queued signals, with core's messages translated; Cancel reaches the work
/// through its ProgressDelegate. The work must not touch widgets or Torch.
class ImportJob : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<project::ImportReport(ProgressDelegate* progress)>;

  explicit ImportJob(Work work, QObject* parent = nullptr);
  /// Cancels the work and waits for its thread.
  ~ImportJob() override;

  /// Starts the work; call once.
  void start();
  /// Asks the work to stop at its next progress report (core throws Cancelled there).
  void cancel();
  bool isRunning() const;
  /// After finished(): the report, or nothing when the work was cancelled or failed.
  const std::optional<project::ImportReport>& report() const { return *report_; }
  bool wasCancelled() const { return cancelled_; }
  /// After finished(): why the work failed; empty when it did not.
  const QString& errorText() const { return error_; }

 signals:
  /// fraction in [0, 1]; message from core ("Importing images"), already translated when known.
  void progressed(double fraction, const QString& message);
  /// The work ended: finished, cancelled or failed (see report(), wasCancelled(), errorText()).
  void finished();

 private:
  Work work_;
  /// Written by the work's thread, read here after the task says it ended.
  std::shared_ptr<std::optional<project::ImportReport>> report_;
  bool cancelled_ = false;
  QString error_;
  BackgroundTask* task_ = nullptr;
};

/// What an import did, for the user: images added, files already there, and the files that
/// could not be read with the first few reasons ("bad.png: not an image ...").
QString importSummary(const project::ImportReport& report);

/// A dialog that runs an ImportJob: a progress bar and Cancel while it runs, then what was added
/// and what was skipped, and Close. Start it with start() (after show() or open()).
class ImportDialog : public QDialog {
  Q_OBJECT

 public:
  ImportDialog(ImportJob::Work work, QWidget* parent = nullptr);
  /// Imports folder (inside the project's image folder) into the session's project beside the
  /// labelling (session::Session::importImages). The session must outlive the dialog.
  static ImportDialog* forSession(session::Session& session, const std::filesystem::path& folder,
                                  QWidget* parent = nullptr);

  void start();
  ImportJob& job() { return *job_; }
  /// The text the dialog shows: progress while running, the summary (or the problem) after.
  QString statusText() const;
  bool isRunning() const { return job_->isRunning(); }

 signals:
  /// The import ended (finished, cancelled or failed); images may have been added in each case.
  void importDone();

 public slots:
  /// While the import runs: asks it to stop (the dialog then says what was kept); afterwards:
  /// closes.
  void reject() override;

 private:
  void onFinished();

  std::unique_ptr<ImportJob> job_;
  QLabel* status_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QPushButton* button_ = nullptr;
  bool closeRequested_ = false;
};

/// "Import more images…" of an open project: asks for a folder inside the project's image folder
/// (starting there), refuses another one with a message, then runs an ImportDialog (modal) and
/// returns how many images the project gained (0 when nothing was chosen). Call it on the GUI
/// thread with the window's open session, then refresh what the window shows from the store.
int importMoreImages(QWidget* parent, session::Session& session);

/// An explanation when folder is not a folder inside imageRoot (core imports only there); empty
/// when it is.
QString importFolderProblem(const std::filesystem::path& folder,
                            const std::filesystem::path& imageRoot);

}  // namespace camlabel::ui
