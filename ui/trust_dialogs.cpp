// SPDX-License-Identifier: Apache-2.0
#include "ui/trust_dialogs.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <set>
#include <utility>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/common/progress.h"
#include "core/explain/report.h"
#include "core/session/session.h"
#include "ui/image_conversion.h"
#include "ui/model_names.h"
#include "ui/settings_dialog.h"
#include "ui/text.h"

namespace camlabel::ui {

// --- TrustDialogBase ---------------------------------------------------------------------------

TrustDialogBase::TrustDialogBase(QWidget* parent, session::Session& session,
                                 const model::ResNetConfig& network, c10::Device device)
    : QDialog(parent),
      session_(session),
      network_(network),
      device_(device),
      settings_(session.settings()) {
  version_ = new QComboBox(this);
  layer_ = new QComboBox(this);
  for (int k = 1; k <= 4; ++k) {
    const auto layer = static_cast<model::ResNetLayer>(k);
    layer_->addItem(fromUtf8(std::string(model::resNetLayerName(layer))), k);
  }
  layer_->setCurrentIndex(layer_->findData(static_cast<int>(explain::kDefaultCamLayer)));

  progressRow_ = new QWidget(this);
  auto* row = new QHBoxLayout(progressRow_);
  row->setContentsMargins(0, 0, 0, 0);
  progress_ = new QProgressBar(progressRow_);
  progress_->setRange(0, 1000);
  cancel_ = new QPushButton(tr("Cancel"), progressRow_);
  row->addWidget(progress_, 1);
  row->addWidget(cancel_);
  progressRow_->setVisible(false);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  task_ = new BackgroundTask(this);
  connect(cancel_, &QPushButton::clicked, task_, &BackgroundTask::cancel);
  connect(task_, &BackgroundTask::progressed, this,
          [this](double fraction) { progress_->setValue(static_cast<int>(fraction * 1000)); });
  auto ended = [this] {
    progressRow_->setVisible(false);
    updateButtons();
  };
  connect(task_, &BackgroundTask::succeeded, this, [this, ended] {
    ended();
    if (done_) done_();
    emit runFinished(true);
  });
  connect(task_, &BackgroundTask::failed, this, [this, ended](const QString& message) {
    ended();
    if (!closeWhenIdle_) showError(message);
    emit runFinished(false);
  });
  connect(task_, &BackgroundTask::cancelled, this, [this, ended] {
    ended();
    showStatus(tr("Cancelled."));
    emit runFinished(false);
  });
  // Last: a pending close may delete the dialog (WA_DeleteOnClose, deferred).
  auto closeIfAsked = [this] {
    if (!closeWhenIdle_) return;
    const int result = *closeWhenIdle_;
    closeWhenIdle_.reset();
    QDialog::done(result);
  };
  connect(task_, &BackgroundTask::succeeded, this, closeIfAsked);
  connect(task_, &BackgroundTask::failed, this, closeIfAsked);
  connect(task_, &BackgroundTask::cancelled, this, closeIfAsked);

  try {
    sources_ = session::modelSources(session_);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const session::ModelSource& s = sources_[i];
    version_->addItem(modelSourceName(s), static_cast<int>(i));
  }
}

TrustDialogBase::~TrustDialogBase() {
  // Before any widget goes: the worker must not outlive what its results are shown in.
  task_->cancelAndWait();
}

void TrustDialogBase::done(int result) {
  if (!busy()) {
    QDialog::done(result);
    return;
  }
  closeWhenIdle_ = result;
  task_->cancel();
  showStatus(tr("Cancelling…"));
}

bool TrustDialogBase::busy() const {
  return task_->running();
}

QString TrustDialogBase::statusText() const {
  return status_->text();
}

bool TrustDialogBase::selectVersion(int version) {
  for (int i = 0; i < version_->count(); ++i) {
    if (sources_[static_cast<std::size_t>(version_->itemData(i).toInt())].version == version) {
      version_->setCurrentIndex(i);
      return true;
    }
  }
  return false;
}

QListWidget* TrustDialogBase::makeImageList(std::optional<std::int64_t> current) {
  auto* list = new QListWidget(this);
  list->setSelectionMode(QAbstractItemView::ExtendedSelection);
  std::vector<session::TrustImage> images;
  try {
    images = session::labelledTrustImages(session_);
    if (current && std::none_of(images.begin(), images.end(),
                                [&](const auto& i) { return i.imageId == *current; })) {
      images.insert(images.begin(), session::trustImage(session_, *current));
    }
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  for (const session::TrustImage& image : images) {
    auto* item = new QListWidgetItem(fromUtf8(displayName(image.relativePath)), list);
    item->setData(Qt::UserRole, static_cast<qlonglong>(listed_.size()));
    listed_.push_back(image);
    if (current && image.imageId == *current) {
      item->setSelected(true);
      list->scrollToItem(item);
    }
  }
  connect(list, &QListWidget::itemSelectionChanged, this, [this] { updateButtons(); });
  return list;
}

std::vector<session::TrustImage> TrustDialogBase::selectedImages(QListWidget* list) {
  std::vector<session::TrustImage> chosen;
  for (int i = 0; i < list->count(); ++i) {
    const QListWidgetItem* item = list->item(i);
    if (item->isSelected())
      chosen.push_back(listed_.at(static_cast<std::size_t>(item->data(Qt::UserRole).toLongLong())));
  }
  return chosen;
}

QListWidget* TrustDialogBase::makeMethodList() {
  auto* list = new QListWidget(this);
  for (const explain::CamMethod method : explain::parseCamMethods("all")) {
    auto* item = new QListWidgetItem(fromUtf8(std::string(explain::camMethodName(method))), list);
    item->setData(Qt::UserRole, static_cast<int>(method));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(method == explain::CamMethod::GradCam ? Qt::Checked : Qt::Unchecked);
  }
  connect(list, &QListWidget::itemChanged, this, [this] { updateButtons(); });
  return list;
}

std::vector<explain::CamMethod> TrustDialogBase::checkedMethods(QListWidget* list) {
  std::vector<explain::CamMethod> methods;
  for (int i = 0; i < list->count(); ++i) {
    const QListWidgetItem* item = list->item(i);
    if (item->checkState() == Qt::Checked)
      methods.push_back(static_cast<explain::CamMethod>(item->data(Qt::UserRole).toInt()));
  }
  return methods;
}

std::optional<session::ModelSource> TrustDialogBase::chosenSource() {
  if (version_->currentIndex() < 0) {
    showError(tr("There is no model to explain with."));
    return std::nullopt;
  }
  return sources_.at(static_cast<std::size_t>(version_->currentData().toInt()));
}

model::ResNetLayer TrustDialogBase::chosenLayer() const {
  return static_cast<model::ResNetLayer>(layer_->currentData().toInt());
}

void TrustDialogBase::run(
    const std::function<void(session::LoadedVersion&, ProgressDelegate*)>& work,
    std::function<void()> done) {
  const std::optional<session::ModelSource> source = chosenSource();
  if (!source) return;
  runTask(
      [source = *source, settings = settings_, config = network_, device = device_,
       work](ProgressDelegate* progress) {
        session::LoadedVersion model = session::loadModelSource(source, settings, config, device);
        work(model, progress);
      },
      std::move(done));
}

void TrustDialogBase::runTask(BackgroundTask::Work work, std::function<void()> done) {
  if (task_->running()) return;
  done_ = std::move(done);
  if (!task_->start(std::move(work))) return;
  progress_->setValue(0);
  progressRow_->setVisible(true);
  showStatus(tr("Working…"));
  updateButtons();
}

void TrustDialogBase::showError(const QString& message) {
  status_->setText(message);
  auto* box = new QMessageBox(QMessageBox::Warning, windowTitle(), message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void TrustDialogBase::showStatus(const QString& message) {
  status_->setText(message);
}

// --- TableDialogBase ---------------------------------------------------------------------------

TableDialogBase::TableDialogBase(QWidget* parent, session::Session& session,
                                 const model::ResNetConfig& network, c10::Device device,
                                 QString csvFileName)
    : TrustDialogBase(parent, session, network, device), csvFileName_(std::move(csvFileName)) {
  run_ = new QPushButton(tr("Run"), this);
  run_->setDefault(true);
  copy_ = new QPushButton(tr("Copy CSV"), this);
  save_ = new QPushButton(tr("Save CSV…"), this);
  auto* close = new QPushButton(tr("Close"), this);
  buttons_ = new QHBoxLayout;
  buttons_->addWidget(copy_);
  buttons_->addWidget(save_);
  buttons_->addStretch(1);
  buttons_->addWidget(run_);
  buttons_->addWidget(close);
  connect(run_, &QPushButton::clicked, this, [this] { startRun(); });
  connect(copy_, &QPushButton::clicked, this,
          [this] { QApplication::clipboard()->setText(csvText_); });
  connect(save_, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save CSV"), csvFileName_, tr("CSV (*.csv)"));
    if (!path.isEmpty()) saveCsv(path);
  });
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
}

void TableDialogBase::updateButtons() {
  run_->setEnabled(!busy() && canRun());
  copy_->setEnabled(!csvText_.isEmpty());
  save_->setEnabled(!busy() && !csvText_.isEmpty());
}

bool TableDialogBase::saveCsv(const QString& path) {
  try {
    const QByteArray bytes = csvText_.toUtf8();
    writeFileAtomically(toPath(path), std::string_view(bytes.constData(), bytes.size()));
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return false;
  }
  showStatus(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
  return true;
}

// --- entry points ------------------------------------------------------------------------------

namespace {

QDialog* openDialog(QDialog* dialog) {
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->show();
  return dialog;
}

}  // namespace

QDialog* showExportFigureDialog(QWidget* parent, session::Session& session,
                                std::optional<std::int64_t> currentImageId,
                                const model::ResNetConfig& network, c10::Device device) {
  return openDialog(new ExportFigureDialog(parent, session, currentImageId, network, device));
}

QDialog* showComparisonGridDialog(QWidget* parent, session::Session& session,
                                  std::optional<std::int64_t> currentImageId,
                                  const model::ResNetConfig& network, c10::Device device) {
  return openDialog(new ComparisonGridDialog(parent, session, currentImageId, network, device));
}

QDialog* showSanityCheckDialog(QWidget* parent, session::Session& session, std::int64_t imageId,
                               const model::ResNetConfig& network, c10::Device device) {
  return openDialog(new SanityCheckDialog(parent, session, imageId, network, device));
}

QDialog* showLocalisationDialog(QWidget* parent, session::Session& session,
                                const model::ResNetConfig& network, c10::Device device) {
  return openDialog(new LocalisationDialog(parent, session, network, device));
}

QDialog* showPositionBiasDialog(QWidget* parent, session::Session& session,
                                const model::ResNetConfig& network, c10::Device device) {
  return openDialog(new PositionBiasDialog(parent, session, network, device));
}

}  // namespace camlabel::ui
