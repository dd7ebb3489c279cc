// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGroupBox>
#include <QString>

#include "core/session/session.h"

class QLabel;
class QProgressBar;

namespace camlabel::ui {

/// The model's top classes for the image on screen, with probability bars, the model that made
/// them, and a warning when that model has not learned anything yet.
class PredictionPanel : public QGroupBox {
  Q_OBJECT

 public:
  explicit PredictionPanel(QWidget* parent = nullptr);

  void showPrediction(const session::ShownPrediction& shown);
  /// No prediction: a line saying why (computing, the image could not be read, ...).
  void showMessage(const QString& message);

  /// What the panel shows, as plain text, one line per row.
  QString text() const;

 private:
  struct Row {
    QLabel* name = nullptr;
    QProgressBar* bar = nullptr;
  };
  std::vector<Row> rows_;
  QLabel* message_ = nullptr;
  QLabel* model_ = nullptr;
  QLabel* note_ = nullptr;
};

}  // namespace camlabel::ui
