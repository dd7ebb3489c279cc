// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QSettings;

namespace camlabel::ui {

class ProjectWizard;

/// What `camlabel` shows without a project: the recent projects (most recent first; moved or
/// deleted ones greyed, with a note and "Forget missing"), New project…, Open folder…, Open the
/// demo project and Settings…. Choosing a project emits projectChosen(); whoever opens it
/// records it with addRecentProject(). Problems (a folder that is not a project) are shown in
/// the window, never in a blocking box.
class StartWindow : public QWidget {
  Q_OBJECT

 public:
  explicit StartWindow(QSettings& settings, QWidget* parent = nullptr);

  /// Where "Open the demo project" keeps the demo (default: the user's application data folder,
  /// "demo"); created there on first use.
  void setDemoFolder(const QString& dir);
  QString demoFolder() const;

  /// The recent list as shown, one entry per row ("(missing)" appended to a missing folder).
  QStringList shownRecent() const;
  /// The note about missing folders and any problem, as shown; empty when none.
  QString noteText() const;
  /// Re-reads the recent list from the settings.
  void refresh();

 public slots:
  /// Opens the recent project at row (missing ones are refused with a note).
  void openRecent(int row);
  /// Opens dir if it holds a project; else says why in the window. Returns whether it opened.
  bool openFolder(const QString& dir);
  /// Opens the demo project, creating it first (with progress and Cancel) when it is not there.
  void openDemo();
  void newProject();
  void showSettings();
  void forgetMissing();

 signals:
  /// The user chose this project folder to label.
  void projectChosen(const QString& dir);
  /// The new project wizard is about to run: connect its weightsDownloadRequested() here.
  void wizardCreated(camlabel::ui::ProjectWizard* wizard);

 private:
  void showNote(const QString& text);

  QSettings& settings_;
  QString demoFolder_;
  QListWidget* recent_ = nullptr;
  QLabel* note_ = nullptr;
  QPushButton* open_ = nullptr;
  QPushButton* forget_ = nullptr;
};

}  // namespace camlabel::ui
