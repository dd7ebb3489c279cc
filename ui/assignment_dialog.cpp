// SPDX-License-Identifier: Apache-2.0
#include "ui/assignment_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <memory>
#include <utility>

#include "core/team/team_server.h"
#include "ui/background_task.h"
#include "ui/text.h"

namespace camlabel::ui {

namespace {

/// Readings per slice offered: more than a handful of readers per slice is a study of its own.
constexpr int kMaxReadings = 20;

}  // namespace

AssignmentDialog::AssignmentDialog(QWidget* parent, std::string teamServer, std::string reader)
    : QDialog(parent), server_(std::move(teamServer)), reader_(std::move(reader)) {
  setWindowTitle(tr("Double reading"));
  auto* layout = new QVBoxLayout(this);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  auto* form = new QFormLayout;
  readings_ = new QSpinBox(this);
  readings_->setRange(0, kMaxReadings);
  readings_->setSpecialValueText(tr("None (every reader may label every slice)"));
  form->addRow(tr("Readings per slice:"), readings_);
  blinded_ = new QCheckBox(tr("Blinded: a reader sees nothing of the others' labels of a slice "
                              "(in the model they train or the disagreements) before giving "
                              "their own"),
                           this);
  blinded_->setChecked(true);
  form->addRow(QString(), blinded_);
  layout->addLayout(form);
  auto* note = new QLabel(tr("A slice is offered to readers until it has this many readings. "
                             "Recorded on the team server under %1; the first setting needs the "
                             "database owner's login. Every reader's app takes it up with the "
                             "team's next labels.")
                              .arg(fromUtf8(reader_)),
                          this);
  note->setWordWrap(true);
  layout->addWidget(note);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  set_ = buttons->addButton(tr("Set"), QDialogButtonBox::ApplyRole);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(set_, &QPushButton::clicked, this, &AssignmentDialog::store);
  connect(readings_, &QSpinBox::valueChanged, this,
          [this](int readings) { blinded_->setEnabled(readings > 0 && !task_->running()); });
  task_ = new BackgroundTask(this);
  connect(task_, &BackgroundTask::failed, this, [this](const QString& message) {
    status_->setText(message);
    readings_->setEnabled(true);
    blinded_->setEnabled(readings_->value() > 0);
    set_->setEnabled(true);
    emit settingShown();
  });
  resize(560, 260);
  reload();
}

QString AssignmentDialog::statusText() const {
  return status_->text();
}

void AssignmentDialog::reload() {
  status_->setText(tr("Reading the team's double reading from the server…"));
  readings_->setEnabled(false);
  blinded_->setEnabled(false);
  set_->setEnabled(false);
  auto assignment = std::make_shared<team::Assignment>();
  disconnect(task_, &BackgroundTask::succeeded, this, nullptr);
  connect(task_, &BackgroundTask::succeeded, this, [this, assignment] {
    readings_->setValue(assignment->readingsPerSlice);
    blinded_->setChecked(assignment->readingsPerSlice == 0 || assignment->blinded);
    readings_->setEnabled(true);
    blinded_->setEnabled(assignment->readingsPerSlice > 0);
    set_->setEnabled(true);
    if (assignment->readingsPerSlice == 0)
      status_->setText(tr("The team has no double reading: every reader may label every slice."));
    else if (assignment->blinded)
      status_->setText(
          tr("The team reads each slice %1 times, blinded.").arg(assignment->readingsPerSlice));
    else
      status_->setText(tr("The team reads each slice %1 times, open (not blinded).")
                           .arg(assignment->readingsPerSlice));
    emit settingShown();
  });
  task_->start([server = server_, assignment](ProgressDelegate*) {
    *assignment = team::TeamServer(server).assignment();
  });
}

void AssignmentDialog::store() {
  const team::Assignment wanted{readings_->value(), blinded_->isChecked()};
  status_->setText(tr("Recording the double reading…"));
  readings_->setEnabled(false);
  blinded_->setEnabled(false);
  set_->setEnabled(false);
  disconnect(task_, &BackgroundTask::succeeded, this, nullptr);
  connect(task_, &BackgroundTask::succeeded, this, &AssignmentDialog::reload);
  task_->start([server = server_, who = reader_, wanted](ProgressDelegate*) {
    team::TeamServer(server).setAssignment(wanted, who);
  });
}

}  // namespace camlabel::ui
