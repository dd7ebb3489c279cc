// SPDX-License-Identifier: Apache-2.0
#include "ui/adjudication_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>
#include <utility>

#include "core/common/file_names.h"
#include "ui/background_task.h"
#include "ui/language.h"
#include "ui/text.h"

namespace camlabel::ui {

AdjudicationDialog::AdjudicationDialog(QWidget* parent, const project::ProjectSettings& settings,
                                       std::string adjudicator)
    : QDialog(parent), settings_(settings), adjudicator_(std::move(adjudicator)) {
  setWindowTitle(tr("Disagreements"));
  auto* layout = new QVBoxLayout(this);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  table_ = new QTableWidget(0, 2, this);
  table_->setHorizontalHeaderLabels({tr("Slice"), tr("Readers' classes")});
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(table_);
  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Consensus class:"), this));
  classes_ = new QComboBox(this);
  for (int c = 0; c < static_cast<int>(settings_.scheme.classes.size()); ++c)
    classes_->addItem(
        QStringLiteral("%1 %2").arg(c).arg(fromUtf8(settings_.scheme.className(c, uiLanguage()))),
        c);
  row->addWidget(classes_, 1);
  adjudicate_ = new QPushButton(tr("Adjudicate"), this);
  adjudicate_->setEnabled(false);
  row->addWidget(adjudicate_);
  layout->addLayout(row);
  layout->addWidget(new QLabel(tr("Recorded as the adjudication of %1, beside the readers' own "
                                  "labels, which stay as they were.")
                                   .arg(fromUtf8(adjudicator_)),
                               this));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    adjudicate_->setEnabled(!table_->selectedItems().isEmpty() && !task_->running());
  });
  connect(adjudicate_, &QPushButton::clicked, this, &AdjudicationDialog::adjudicateSelected);
  task_ = new BackgroundTask(this);
  connect(task_, &BackgroundTask::failed, this, [this](const QString& message) {
    status_->setText(message);
    emit queueShown();
  });
  resize(720, 480);
  if (settings_.teamServer.empty()) {
    status_->setText(
        tr("This project is not a team project: disagreements between readers "
           "on a team server are adjudicated here."));
    return;
  }
  reload();
}

QString AdjudicationDialog::statusText() const {
  return status_->text();
}

void AdjudicationDialog::reload() {
  status_->setText(tr("Reading the team's labels from the server…"));
  adjudicate_->setEnabled(false);
  auto queue = std::make_shared<team::AdjudicationQueue>();
  disconnect(task_, &BackgroundTask::succeeded, this, nullptr);
  connect(task_, &BackgroundTask::succeeded, this, [this, queue] { showQueue(std::move(*queue)); });
  task_->start([server = settings_.teamServer, viewer = adjudicator_, queue](ProgressDelegate*) {
    *queue = team::adjudicationQueue(team::readTeamView(server), viewer);
  });
}

void AdjudicationDialog::showQueue(team::AdjudicationQueue queue) {
  queue_ = std::move(queue.slices);
  const int adjudicated = queue.adjudicated;
  table_->setRowCount(static_cast<int>(queue_.size()));
  for (int r = 0; r < static_cast<int>(queue_.size()); ++r) {
    const team::TeamSlice& slice = queue_[static_cast<std::size_t>(r)];
    QStringList readings;
    for (const team::Reading& reading : slice.readings)
      readings << tr("%1: %2 %3")
                      .arg(fromUtf8(reading.reader))
                      .arg(reading.classIndex)
                      .arg(fromUtf8(settings_.scheme.className(reading.classIndex, uiLanguage())));
    table_->setItem(r, 0, new QTableWidgetItem(fromUtf8(displayName(slice.imagePath))));
    table_->setItem(r, 1, new QTableWidgetItem(readings.join(QStringLiteral(", "))));
  }
  table_->resizeColumnToContents(0);
  table_->clearSelection();  // the rows are new: nothing chosen, nothing to adjudicate yet
  adjudicate_->setEnabled(false);
  status_->setText(
      queue_.empty()
          ? tr("No disagreement waits for adjudication (%1 adjudicated so far).").arg(adjudicated)
          : tr("Readers disagree on %1 slices not yet adjudicated (%2 adjudicated so "
               "far). Choose one and its consensus class.")
                .arg(queue_.size())
                .arg(adjudicated));
  if (queue.blinded > 0)
    status_->setText(status_->text() + QLatin1Char(' ') +
                     tr("Left out until you have given your reading (blinded double reading): "
                        "%n slice(s).",
                        nullptr, queue.blinded));
  emit queueShown();
}

void AdjudicationDialog::adjudicateSelected() {
  const QList<QTableWidgetItem*> selected = table_->selectedItems();
  if (selected.isEmpty()) return;
  const auto row = static_cast<std::size_t>(selected.front()->row());
  const team::TeamSlice slice = queue_.at(row);
  const int classIndex = classes_->currentData().toInt();
  status_->setText(tr("Recording the adjudication…"));
  adjudicate_->setEnabled(false);
  disconnect(task_, &BackgroundTask::succeeded, this, nullptr);
  connect(task_, &BackgroundTask::succeeded, this, &AdjudicationDialog::reload);
  task_->start([server = settings_.teamServer, id = settings_.workstationId, slice, classIndex,
                who = adjudicator_](ProgressDelegate*) {
    team::adjudicateSlice(server, id, slice, classIndex, who);
  });
}

}  // namespace camlabel::ui
