// SPDX-License-Identifier: Apache-2.0
#include "ui/class_panel.h"

#include <QLabel>
#include <QVBoxLayout>

namespace camlabel::ui {

ClassPanel::ClassPanel(QWidget* parent) : QGroupBox(tr("Classes"), parent) {
  auto* layout = new QVBoxLayout(this);
  decision_ = new QLabel(this);
  decision_->setWordWrap(true);
  layout->addWidget(decision_);
  layout->addStretch(1);
}

void ClassPanel::setScheme(const project::ClassScheme& scheme, const std::string& language) {
  auto* box = static_cast<QVBoxLayout*>(layout());
  for (QLabel* row : rows_)
    delete row;
  rows_.clear();
  setTitle(tr("Classes (%1)").arg(QString::fromStdString(scheme.name)));
  for (int i = 0; i < static_cast<int>(scheme.classes.size()); ++i) {
    auto* row = new QLabel(
        tr("%1   %2").arg(i).arg(QString::fromStdString(scheme.className(i, language))), this);
    row->setMargin(2);
    box->insertWidget(i, row);
    rows_.push_back(row);
  }
  setCurrent(std::nullopt);
}

void ClassPanel::setCurrent(const std::optional<project::CurrentLabel>& label) {
  highlighted_ = label && !label->skipped ? label->classIndex : -1;
  for (int i = 0; i < static_cast<int>(rows_.size()); ++i) {
    rows_[static_cast<std::size_t>(i)]->setStyleSheet(
        i == highlighted_ ? "background-color: #2a6fdb; color: white; font-weight: bold;" : "");
  }
  if (!label) {
    decision_->setText(tr("Not labelled yet: press a key."));
  } else if (label->skipped) {
    decision_->setText(tr("Skipped."));
  } else {
    decision_->setText(tr("Labelled %1.").arg(label->classIndex));
  }
}

}  // namespace camlabel::ui
