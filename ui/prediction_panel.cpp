// SPDX-License-Identifier: Apache-2.0
#include "ui/prediction_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>

#include <cmath>

#include "ui/model_names.h"

namespace camlabel::ui {
namespace {

constexpr int kRows = 5;
/// Bar resolution: tenths of a percent.
constexpr int kBarMaximum = 1000;
/// The class name column; longer names (Japanese ones) are elided, whole in the tooltip.
constexpr int kNameWidth = 150;

}  // namespace

PredictionPanel::PredictionPanel(QWidget* parent) : QGroupBox(tr("Prediction"), parent) {
  auto* layout = new QGridLayout(this);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  layout->addWidget(message_, 0, 0, 1, 2);
  for (int i = 0; i < kRows; ++i) {
    Row row{new QLabel(this), new QProgressBar(this)};
    row.name->setFixedWidth(kNameWidth);
    row.bar->setRange(0, kBarMaximum);
    row.bar->setTextVisible(true);
    layout->addWidget(row.name, i + 1, 0);
    layout->addWidget(row.bar, i + 1, 1);
    rows_.push_back(row);
  }
  model_ = new QLabel(this);
  layout->addWidget(model_, kRows + 1, 0, 1, 2);
  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setStyleSheet("color: #b35900; font-weight: bold;");
  layout->addWidget(note_, kRows + 2, 0, 1, 2);
  layout->setColumnStretch(1, 1);
  layout->setRowStretch(kRows + 3, 1);
  showMessage(tr("No image."));
}

void PredictionPanel::showPrediction(const session::ShownPrediction& shown) {
  message_->hide();
  const auto& top = shown.prediction.top;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const Row& row = rows_[i];
    const bool used = i < top.size();
    row.name->setVisible(used);
    row.bar->setVisible(used);
    if (!used) continue;
    const double percent = 100.0 * top[i].probability;
    const QString name = QString::fromStdString(top[i].name);
    row.name->setText(row.name->fontMetrics().elidedText(name, Qt::ElideRight, kNameWidth));
    row.name->setToolTip(name);
    row.bar->setValue(static_cast<int>(std::lround(top[i].probability * kBarMaximum)));
    row.bar->setFormat(QString::number(percent, 'f', 1) + QLatin1Char('%'));
  }
  model_->setText(tr("Model: %1").arg(modelName(shown.model)));
  model_->show();
  QString note;
  if (shown.randomBase && shown.prediction.untrained) {
    note =
        tr("Untrained model: random weights (no ImageNet weights file is configured) that "
           "have not learned from any label yet. This prediction means nothing.");
  } else if (shown.prediction.untrained) {
    note =
        tr("Untrained model: the ImageNet model has not learned from any label yet. This "
           "prediction means nothing.");
  } else if (shown.randomBase) {
    note =
        tr("Started from random weights (no ImageNet weights file is configured): trust it "
           "only after many labels.");
  }
  note_->setText(note);
  note_->setVisible(!note.isEmpty());
  // A wrapped label's height for its width does not always reach the window's layout: without
  // this, a long note (Japanese) was cut off under the class list.
  const int width = note_->width() > 0 ? note_->width() : sizeHint().width();
  note_->setMinimumHeight(note.isEmpty() ? 0 : note_->heightForWidth(width));
}

void PredictionPanel::showMessage(const QString& message) {
  message_->setText(message);
  message_->show();
  for (const Row& row : rows_) {
    row.name->hide();
    row.bar->hide();
  }
  model_->hide();
  note_->hide();
}

QString PredictionPanel::text() const {
  QStringList lines;
  if (message_->isVisibleTo(this)) lines << message_->text();
  for (const Row& row : rows_)
    if (row.name->isVisibleTo(this)) lines << row.name->toolTip() + ' ' + row.bar->text();
  if (model_->isVisibleTo(this)) lines << model_->text();
  if (note_->isVisibleTo(this)) lines << note_->text();
  return lines.join('\n');
}

}  // namespace camlabel::ui
