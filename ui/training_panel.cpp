// SPDX-License-Identifier: Apache-2.0
#include "ui/training_panel.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

#include <nlohmann/json.hpp>

namespace camlabel::ui {

struct TrainingPanel::Charts {
  QChart* chart = nullptr;
  QLineSeries* accuracy = nullptr;
  QLineSeries* loss = nullptr;
  QValueAxis* labels = nullptr;
  QValueAxis* share = nullptr;
  QValueAxis* lossAxis = nullptr;
};

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent), charts_(std::make_unique<Charts>()) {
  auto* layout = new QVBoxLayout(this);
  Charts& c = *charts_;
  c.chart = new QChart;
  c.chart->setTitle(tr("Learning curve"));
  c.accuracy = new QLineSeries;
  c.accuracy->setName(tr("prequential accuracy (last 50 labels)"));
  c.loss = new QLineSeries;
  c.loss->setName(tr("mean loss per version"));
  c.chart->addSeries(c.accuracy);
  c.chart->addSeries(c.loss);
  c.labels = new QValueAxis;
  c.labels->setTitleText(tr("labels"));
  c.labels->setLabelFormat("%d");
  c.share = new QValueAxis;
  c.share->setRange(0, 1);
  c.share->setTitleText(tr("accuracy"));
  c.lossAxis = new QValueAxis;
  c.lossAxis->setTitleText(tr("loss"));
  c.chart->addAxis(c.labels, Qt::AlignBottom);
  c.chart->addAxis(c.share, Qt::AlignLeft);
  c.chart->addAxis(c.lossAxis, Qt::AlignRight);
  c.accuracy->attachAxis(c.labels);
  c.accuracy->attachAxis(c.share);
  c.loss->attachAxis(c.labels);
  c.loss->attachAxis(c.lossAxis);
  auto* view = new QChartView(c.chart, this);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(220);
  layout->addWidget(view, 1);

  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  layout->addWidget(summary_);
  layout->addWidget(new QLabel(tr("Model versions"), this));
  versions_ = new QListWidget(this);
  layout->addWidget(versions_);
  rollback_ = new QPushButton(tr("Make the selected version current (roll back)"), this);
  rollback_->setEnabled(false);
  layout->addWidget(rollback_);
  auto* settingsRow = new QHBoxLayout;
  settings_ = new QLabel(this);
  settings_->setWordWrap(true);
  settingsRow->addWidget(settings_, 1);
  auto* change = new QPushButton(tr("Change..."), this);
  connect(change, &QPushButton::clicked, this, &TrainingPanel::settingsRequested);
  settingsRow->addWidget(change);
  layout->addLayout(settingsRow);
  connect(versions_, &QListWidget::currentRowChanged, this,
          [this](int row) { rollback_->setEnabled(row >= 0); });
  connect(rollback_, &QPushButton::clicked, this, [this] {
    if (const QListWidgetItem* item = versions_->currentItem())
      emit rollbackRequested(item->data(Qt::UserRole).toInt());
  });
}

TrainingPanel::~TrainingPanel() = default;

void TrainingPanel::showCurve(const learning::PrequentialMetrics& m) {
  QList<QPointF> points;
  for (const learning::PrequentialPoint& p : m.curve)
    points.append(QPointF(p.label, p.accuracy));
  charts_->accuracy->replace(points);
  charts_->labels->setRange(0, std::max(10, m.labels));
  if (m.windowAccuracy) {
    summary_->setText(tr("Prequential accuracy: %1 over the last %2 labels, %3 overall (%4 labels "
                         "with a prediction).")
                          .arg(*m.windowAccuracy, 0, 'f', 2)
                          .arg(m.windowCount)
                          .arg(m.cumulativeAccuracy.value_or(0), 0, 'f', 2)
                          .arg(m.evaluated));
  } else {
    summary_->setText(tr("No label with a prediction yet."));
  }
}

void TrainingPanel::showVersions(const std::vector<project::ModelVersion>& versions) {
  const int selected = versions_->currentItem() != nullptr
                           ? versions_->currentItem()->data(Qt::UserRole).toInt()
                           : -1;
  versions_->clear();
  QList<QPointF> loss;
  double highest = 0;
  for (const project::ModelVersion& v : versions) {
    QString line = tr("v%1: %2 labels, %3")
                       .arg(v.version)
                       .arg(v.labelsSeen)
                       .arg(QString::fromStdString(v.time));
    if (v.isCurrent) line += tr(" (current)");
    auto* item = new QListWidgetItem(line, versions_);
    item->setData(Qt::UserRole, v.version);
    if (v.version == selected) versions_->setCurrentItem(item);
    const nlohmann::json metrics = nlohmann::json::parse(v.metricsJson, nullptr, false);
    if (metrics.is_object() && metrics.contains("mean_loss") && metrics["mean_loss"].is_number()) {
      const double value = metrics["mean_loss"].get<double>();
      loss.append(QPointF(static_cast<double>(v.labelsSeen), value));
      highest = std::max(highest, value);
    }
  }
  charts_->loss->replace(loss);
  charts_->lossAxis->setRange(0, highest > 0 ? highest * 1.1 : 1);
}

void TrainingPanel::showTrainingSettings(const QString& text) {
  settings_->setText(text);
}

QString TrainingPanel::trainingSettingsText() const {
  return settings_->text();
}

int TrainingPanel::curvePoints() const {
  return static_cast<int>(charts_->accuracy->count());
}

QStringList TrainingPanel::versionLines() const {
  QStringList lines;
  for (int i = 0; i < versions_->count(); ++i)
    lines << versions_->item(i)->text();
  return lines;
}

QString TrainingPanel::summary() const {
  return summary_->text();
}

bool TrainingPanel::selectVersion(int version) {
  for (int i = 0; i < versions_->count(); ++i) {
    if (versions_->item(i)->data(Qt::UserRole).toInt() == version) {
      versions_->setCurrentRow(i);
      return true;
    }
  }
  return false;
}

}  // namespace camlabel::ui
