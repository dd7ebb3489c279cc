// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QString>

#include <string>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace camlabel::ui {

class BackgroundTask;

/// Label > Double reading…, in a team project: the team's double reading as the server holds it
/// (team::TeamServer::assignment), and Set, which records a new one under this session's reader
/// name (setAssignment: the first one needs the database owner's login; the server's refusal is
/// shown as it comes). Every reader's app takes a new setting up with the team's next labels.
/// Each server round trip runs on a thread of its own; the dialog says what it is waiting for.
class AssignmentDialog : public QDialog {
  Q_OBJECT

 public:
  AssignmentDialog(QWidget* parent, std::string teamServer, std::string reader);

  QSpinBox* readingsBox() const { return readings_; }
  QCheckBox* blindedBox() const { return blinded_; }
  QPushButton* setButton() const { return set_; }
  /// What the dialog says: the team's setting, progress, or the server's error.
  QString statusText() const;

 signals:
  /// The setting was read from the server (again), or reading or setting it failed.
  void settingShown();

 private:
  void reload();
  void store();

  std::string server_;
  std::string reader_;
  QLabel* status_ = nullptr;
  QSpinBox* readings_ = nullptr;
  QCheckBox* blinded_ = nullptr;
  QPushButton* set_ = nullptr;
  BackgroundTask* task_ = nullptr;
};

}  // namespace camlabel::ui
