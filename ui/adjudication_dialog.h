// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QString>

#include <string>
#include <vector>

#include "core/project/project.h"
#include "core/team/consensus.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace camlabel::ui {

class BackgroundTask;

/// Label > Disagreements…, in a team project: the slices on which the team's readers gave
/// different classes and nobody has adjudicated (core's team::adjudicationQueue: with blinded
/// double reading, not the slices this reader still owes a reading), each reader's class
/// beside each; choose a row and a class and Adjudicate records it on the server as the slice's
/// consensus (team::adjudicateSlice), under this session's reader name. Every server round trip
/// runs on a thread of its own; the dialog says what it is waiting for.
class AdjudicationDialog : public QDialog {
  Q_OBJECT

 public:
  AdjudicationDialog(QWidget* parent, const project::ProjectSettings& settings,
                     std::string adjudicator);

  QTableWidget* queueTable() const { return table_; }
  QComboBox* classBox() const { return classes_; }
  QPushButton* adjudicateButton() const { return adjudicate_; }
  /// What the dialog says above the table: the queue's size, progress, or the server's error.
  QString statusText() const;

 signals:
  /// The queue was (re)read from the server, or reading it failed.
  void queueShown();

 private:
  void reload();
  void showQueue(team::AdjudicationQueue queue);
  void adjudicateSelected();

  project::ProjectSettings settings_;
  std::string adjudicator_;
  std::vector<team::TeamSlice> queue_;  ///< the rows of table_
  QLabel* status_ = nullptr;
  QTableWidget* table_ = nullptr;
  QComboBox* classes_ = nullptr;
  QPushButton* adjudicate_ = nullptr;
  BackgroundTask* task_ = nullptr;
};

}  // namespace camlabel::ui
