// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QString>

#include "core/session/agreement.h"

class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace camlabel::session {
class Session;
}

namespace camlabel::ui {

class BackgroundTask;

/// Label > Reader agreement…: how far the project's readers agree beyond chance (core's
/// measureProjectAgreement: Cohen's kappa of each pair of readers over the slices both labelled,
/// Fleiss' kappa of all over the slices all labelled), overall with 95% intervals and per class,
/// and Save CSV…. Measured once, when the dialog opens; in a team project from the team server,
/// on a thread of its own (the dialog says so until the figures come), again at each Refresh,
/// and, while the dialog is open, whenever a label or an adjudication reaches the server (looked
/// at every 10 s: the other readers go on labelling).
class AgreementDialog : public QDialog {
  Q_OBJECT

 public:
  AgreementDialog(QWidget* parent, session::Session& session);

  /// One row per pair of readers, then one for all readers: readers, slices, same class, kappa,
  /// interval.
  QTableWidget* overallTable() const { return overall_; }
  /// One row per class, one column per pair (and all readers): the per-class kappas.
  QTableWidget* classTable() const { return perClass_; }
  /// What the dialog says above the tables (readers, shared slices, or why there is nothing).
  QLabel* summaryLabel() const { return summary_; }
  QPushButton* saveButton() const { return save_; }
  /// Writes the figures as core's writeAgreementCsv does; false (and the error shown) on failure.
  bool saveCsv(const QString& path);
  /// Whether the figures are still being read from a team server.
  bool measuring() const;
  /// A team project: how often the server is asked whether the team's labels changed.
  void setWatchInterval(int milliseconds);

 signals:
  /// The figures are shown, or why not (a team server that cannot be reached).
  void measured();

 private:
  void fill();

  session::ProjectAgreement agreement_;
  QStringList classTitles_;
  QLabel* summary_ = nullptr;
  QTableWidget* overall_ = nullptr;
  QTableWidget* perClass_ = nullptr;
  QPushButton* save_ = nullptr;
  QLabel* status_ = nullptr;
  BackgroundTask* task_ = nullptr;  ///< reading a team server's labels
  QTimer* watch_ = nullptr;         ///< a team project's: looks for news on the server
};

/// Opens the dialog window-modal, deleted when closed.
QDialog* showAgreementDialog(QWidget* parent, session::Session& session);

}  // namespace camlabel::ui
