// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>
#include <QWidget>

#include <vector>

#include "core/learning/metrics.h"
#include "core/project/project.h"

class QLabel;
class QListWidget;
class QPushButton;

namespace camlabel::ui {

/// How the model is learning: the prequential accuracy over the labels given (each label against
/// the prediction shown when it was given), the mean loss of each version, and the versions with
/// their label counts, one of which can be made current again (rollback).
class TrainingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingPanel(QWidget* parent = nullptr);
  ~TrainingPanel() override;

  void showCurve(const learning::PrequentialMetrics& metrics);
  void showVersions(const std::vector<project::ModelVersion>& versions);
  /// What trains and how often a version is kept, e.g. "Training: last block and head (layer4),
  /// a version every 10 labels"; the Change button next to it asks for the settings.
  void showTrainingSettings(const QString& text);
  QString trainingSettingsText() const;

  /// For tests: points on the accuracy curve, the version list's lines, the summary line.
  int curvePoints() const;
  QStringList versionLines() const;
  QString summary() const;
  /// Selects the list's row of version K (for tests and keyboard users).
  bool selectVersion(int version);

 signals:
  void rollbackRequested(int version);
  /// The user wants to change the training mode or the version interval.
  void settingsRequested();

 private:
  struct Charts;
  std::unique_ptr<Charts> charts_;
  QLabel* summary_ = nullptr;
  QListWidget* versions_ = nullptr;
  QPushButton* rollback_ = nullptr;
  QLabel* settings_ = nullptr;
};

}  // namespace camlabel::ui
