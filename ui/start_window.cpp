// SPDX-License-Identifier: Apache-2.0
#include "ui/start_window.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <filesystem>

#include "core/common/version.h"
#include "core/project/project.h"
#include "core/session/demo.h"
#include "ui/import_dialog.h"
#include "ui/label_window.h"
#include "ui/project_wizard.h"
#include "ui/recent_projects.h"
#include "ui/settings_dialog.h"
#include "ui/weights_dialog.h"

namespace camlabel::ui {

namespace fs = std::filesystem;

namespace {

/// Marks a recent entry whose folder no longer holds a project.
constexpr int kMissingRole = Qt::UserRole + 1;

}  // namespace

StartWindow::StartWindow(QSettings& settings, QWidget* parent)
    : QWidget(parent), settings_(settings) {
  setWindowTitle(QString::fromLatin1(kAppName));
  demoFolder_ = QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
                    .filePath(QStringLiteral("demo"));
  auto* layout = new QVBoxLayout(this);
  auto* title = new QLabel(tr("Label CT slices while a model learns from them."), this);
  layout->addWidget(title);

  layout->addWidget(new QLabel(tr("Recent projects:"), this));
  recent_ = new QListWidget(this);
  layout->addWidget(recent_, 1);
  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(note_);

  auto* row = new QHBoxLayout;
  open_ = new QPushButton(tr("Open"), this);
  forget_ = new QPushButton(tr("Forget missing"), this);
  row->addWidget(open_);
  row->addWidget(forget_);
  row->addStretch();
  layout->addLayout(row);

  auto* actions = new QHBoxLayout;
  auto* create = new QPushButton(tr("New project…"), this);
  auto* folder = new QPushButton(tr("Open folder…"), this);
  auto* demo = new QPushButton(tr("Open the demo project"), this);
  auto* settingsButton = new QPushButton(tr("Settings…"), this);
  for (QPushButton* button : {create, folder, demo, settingsButton})
    actions->addWidget(button);
  layout->addLayout(actions);

  connect(open_, &QPushButton::clicked, this, [this] { openRecent(recent_->currentRow()); });
  connect(recent_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { openRecent(recent_->row(item)); });
  connect(recent_, &QListWidget::currentRowChanged, this, [this](int current) {
    const QListWidgetItem* item = recent_->item(current);
    open_->setEnabled(item != nullptr && !item->data(kMissingRole).toBool());
  });
  connect(forget_, &QPushButton::clicked, this, &StartWindow::forgetMissing);
  connect(create, &QPushButton::clicked, this, &StartWindow::newProject);
  connect(folder, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a project folder"));
    if (!dir.isEmpty()) openFolder(dir);
  });
  connect(demo, &QPushButton::clicked, this, &StartWindow::openDemo);
  connect(settingsButton, &QPushButton::clicked, this, &StartWindow::showSettings);
  resize(640, 420);
  refresh();
}

void StartWindow::setDemoFolder(const QString& dir) {
  demoFolder_ = dir;
}

QString StartWindow::demoFolder() const {
  return demoFolder_;
}

void StartWindow::refresh() {
  recent_->clear();
  const QStringList missing = missingRecentProjects(settings_);
  for (const QString& dir : recentProjects(settings_)) {
    auto* item = new QListWidgetItem(QDir::toNativeSeparators(dir), recent_);
    item->setData(Qt::UserRole, dir);
    if (missing.contains(dir)) {
      item->setText(tr("%1 (missing)").arg(QDir::toNativeSeparators(dir)));
      item->setData(kMissingRole, true);
      item->setFlags(Qt::NoItemFlags);
      item->setToolTip(
          tr("This folder no longer holds the project: it was moved, deleted or is "
             "on a disk that is not connected."));
    }
  }
  forget_->setVisible(!missing.isEmpty());
  if (recent_->count() == 0)
    showNote(tr("No recent projects yet: make one with New project…, or try the demo project."));
  else if (missing.isEmpty())
    showNote({});
  else
    showNote(missing.size() == 1
                 ? tr("1 recent project is missing (moved or deleted); it is shown greyed.")
                 : tr("%1 recent projects are missing (moved or deleted); they are shown greyed.")
                       .arg(missing.size()));
  for (int i = 0; i < recent_->count(); ++i) {
    if (!recent_->item(i)->data(kMissingRole).toBool()) {
      recent_->setCurrentRow(i);
      break;
    }
  }
  open_->setEnabled(recent_->currentItem() != nullptr &&
                    !recent_->currentItem()->data(kMissingRole).toBool());
}

QStringList StartWindow::shownRecent() const {
  QStringList shown;
  for (int i = 0; i < recent_->count(); ++i)
    shown.append(recent_->item(i)->text());
  return shown;
}

QString StartWindow::noteText() const {
  return note_->text();
}

void StartWindow::showNote(const QString& text) {
  note_->setText(text);
  note_->setVisible(!text.isEmpty());
}

void StartWindow::openRecent(int row) {
  const QListWidgetItem* item = recent_->item(row);
  if (item == nullptr) return;
  const QString dir = item->data(Qt::UserRole).toString();
  if (!project::isProjectFolder(dir.toStdString())) {
    showNote(tr("'%1' no longer holds a camlabel project: it was moved or deleted.")
                 .arg(QDir::toNativeSeparators(dir)));
    return;
  }
  emit projectChosen(dir);
}

bool StartWindow::openFolder(const QString& dir) {
  if (!project::isProjectFolder(dir.toStdString())) {
    showNote(tr("'%1' is not a camlabel project (it has no project.sqlite). To label the images "
                "in it, make a project with New project… and choose it as the image folder.")
                 .arg(QDir::toNativeSeparators(dir)));
    return false;
  }
  emit projectChosen(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
  return true;
}

void StartWindow::openDemo() {
  const fs::path dir = demoFolder_.toStdString();
  if (project::isProjectFolder(dir)) {
    emit projectChosen(demoFolder_);
    return;
  }
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    showNote(tr("The demo folder '%1' holds other files; empty or remove it to make the demo "
                "project there.")
                 .arg(QDir::toNativeSeparators(demoFolder_)));
    return;
  }
  ImportDialog dialog(
      [dir](ProgressDelegate* progress) {
        return session::createDemoProject(dir, {}, progress).import;
      },
      this);
  dialog.setWindowTitle(tr("Creating the demo project"));
  dialog.start();
  dialog.exec();
  if (project::isProjectFolder(dir)) {
    emit projectChosen(demoFolder_);
  } else if (dialog.job().wasCancelled()) {
    showNote(tr("The demo project was not made (cancelled)."));
  } else {
    showNote(tr("The demo project could not be made: %1").arg(dialog.job().errorText()));
  }
}

void StartWindow::newProject() {
  ProjectWizard wizard(this);
  connect(&wizard, &ProjectWizard::projectCreated, this, [this](const QString& dir) {
    addRecentProject(settings_, dir);
    refresh();
  });
  // Download...: torchvision's file, fetched and checked against the hash in its name.
  connect(&wizard, &ProjectWizard::weightsDownloadRequested, &wizard, [&wizard] {
    if (const auto file = WeightsDialog::choose(&wizard))
      wizard.setWeightsFile(QString::fromStdString(file->string()));
  });
  emit wizardCreated(&wizard);
  if (wizard.exec() == QDialog::Accepted) emit projectChosen(wizard.projectFolder());
}

void StartWindow::showSettings() {
  SettingsDialog dialog(settings_, nullptr, this);
  dialog.exec();
}

void StartWindow::forgetMissing() {
  const QStringList forgotten = forgetMissingRecentProjects(settings_);
  refresh();
  showNote(forgotten.size() == 1
               ? tr("Removed 1 missing project from the list.")
               : tr("Removed %1 missing projects from the list.").arg(forgotten.size()));
}

}  // namespace camlabel::ui
