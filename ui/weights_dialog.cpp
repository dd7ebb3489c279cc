// SPDX-License-Identifier: Apache-2.0
#include "ui/weights_dialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "core/common/error.h"
#include "core/model/weights_catalog.h"
#include "ui/weights_download.h"

namespace camlabel::ui {
namespace {

// Columns of the list.
constexpr int kFileColumn = 0;
constexpr int kStateColumn = 1;
constexpr int kDescriptionColumn = 2;

std::filesystem::path toPath(const QString& path) {
  return std::filesystem::path(QFile::encodeName(path).toStdString());
}

QString megabytes(qint64 bytes) {
  return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1);
}

// Shows a wait cursor while a file is hashed or copied on the GUI thread (a fraction of a
// second for ResNet50).
class WaitCursor {
 public:
  WaitCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
  ~WaitCursor() { QApplication::restoreOverrideCursor(); }
  WaitCursor(const WaitCursor&) = delete;
  WaitCursor& operator=(const WaitCursor&) = delete;
};

}  // namespace

std::optional<std::filesystem::path> WeightsDialog::choose(QWidget* parent) {
  WeightsDialog dialog(parent);
  if (dialog.exec() != QDialog::Accepted) return std::nullopt;
  return dialog.selectedWeights();
}

QString WeightsDialog::defaultFolder() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
      .filePath(QStringLiteral("camlabel/weights"));
}

QString WeightsDialog::defaultUrlBase() {
  QString base = qEnvironmentVariable("CAMLABEL_WEIGHTS_URL_BASE");
  if (base.isEmpty())
    return QString::fromUtf8(model::kTorchvisionUrlBase.data(),
                             static_cast<qsizetype>(model::kTorchvisionUrlBase.size()));
  if (!base.endsWith(QLatin1Char('/'))) base.append(QLatin1Char('/'));
  return base;
}

WeightsDialog::WeightsDialog(QWidget* parent, WeightsDialogOptions options)
    : QDialog(parent),
      folder_(options.folder.isEmpty() ? defaultFolder() : QDir::cleanPath(options.folder)),
      urlBase_(options.urlBase.isEmpty() ? defaultUrlBase() : options.urlBase),
      offers_(std::move(options.offers)),
      downloader_(new WeightsDownloader(this)) {
  if (!urlBase_.endsWith(QLatin1Char('/'))) urlBase_.append(QLatin1Char('/'));
  if (offers_.empty()) {
    for (const model::KnownWeights& known : model::knownWeights()) {
      offers_.push_back(
          {QString::fromUtf8(known.fileName.data(), static_cast<qsizetype>(known.fileName.size())),
           QString::fromUtf8(known.description.data(),
                             static_cast<qsizetype>(known.description.size()))});
    }
  }
  setWindowTitle(tr("Model weights"));

  auto* intro = new QLabel(
      tr("camlabel starts from ImageNet's ResNet50 weights, a file published by torchvision. "
         "Download it once (about 98 MB), or choose a copy you already have."),
      this);
  intro->setWordWrap(true);

  list_ = new QTreeWidget(this);
  list_->setObjectName(QStringLiteral("weightsList"));
  list_->setHeaderLabels({tr("File"), tr("State"), tr("Description")});
  list_->setRootIsDecorated(false);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  for (const WeightsOffer& offer : offers_) {
    auto* item = new QTreeWidgetItem(list_);
    item->setText(kFileColumn, offer.fileName);
    item->setText(kDescriptionColumn, offer.description);
  }
  list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

  auto* folderLabel =
      new QLabel(tr("Weights folder: %1").arg(QDir::toNativeSeparators(folder_)), this);
  folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  folderLabel->setWordWrap(true);

  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("downloadProgress"));
  progress_->setVisible(false);

  downloadButton_ = new QPushButton(tr("Download"), this);
  downloadButton_->setObjectName(QStringLiteral("downloadButton"));
  cancelDownloadButton_ = new QPushButton(tr("Cancel download"), this);
  cancelDownloadButton_->setObjectName(QStringLiteral("cancelDownloadButton"));
  cancelDownloadButton_->setVisible(false);
  chooseButton_ = new QPushButton(tr("Choose file…"), this);
  chooseButton_->setObjectName(QStringLiteral("chooseButton"));
  auto* actions = new QHBoxLayout;
  actions->addWidget(downloadButton_);
  actions->addWidget(cancelDownloadButton_);
  actions->addStretch();
  actions->addWidget(chooseButton_);

  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("weightsMessage"));
  message_->setWordWrap(true);
  // Selectable, so the URL and the folder of the offline message can be copied.
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  useButton_ = buttons->addButton(tr("Use selected"), QDialogButtonBox::AcceptRole);
  useButton_->setObjectName(QStringLiteral("useButton"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(list_);
  layout->addWidget(folderLabel);
  layout->addLayout(actions);
  layout->addWidget(progress_);
  layout->addWidget(message_);
  layout->addWidget(buttons);

  connect(list_, &QTreeWidget::itemSelectionChanged, this, &WeightsDialog::updateActions);
  connect(downloadButton_, &QPushButton::clicked, this, &WeightsDialog::startDownload);
  connect(cancelDownloadButton_, &QPushButton::clicked, downloader_, &WeightsDownloader::cancel);
  connect(chooseButton_, &QPushButton::clicked, this, &WeightsDialog::chooseFile);
  connect(useButton_, &QPushButton::clicked, this, &WeightsDialog::useSelected);
  connect(buttons, &QDialogButtonBox::rejected, this, &WeightsDialog::reject);

  connect(downloader_, &WeightsDownloader::progress, this, [this](qint64 received, qint64 total) {
    if (total > 0 && received <= total) {
      progress_->setRange(0, 1000);
      progress_->setValue(static_cast<int>(received * 1000 / total));
      progress_->setFormat(tr("%1 of %2 MB").arg(megabytes(received), megabytes(total)));
    } else {
      progress_->setRange(0, 0);  // size unknown (or a compressed transfer): a busy bar
    }
  });
  const auto downloadEnded = [this](const QString& message) {
    progress_->setVisible(false);
    refreshStates();
    showMessage(message);
  };
  connect(downloader_, &WeightsDownloader::finished, this, [downloadEnded](const QString& path) {
    downloadEnded(tr("Downloaded and verified: %1").arg(QDir::toNativeSeparators(path)));
  });
  connect(downloader_, &WeightsDownloader::failed, this, downloadEnded);
  connect(downloader_, &WeightsDownloader::cancelled, this,
          [downloadEnded] { downloadEnded(tr("Download cancelled.")); });

  refreshStates();
  // The first file already here, else the recommended one.
  int current = 0;
  for (int row = 0; row < list_->topLevelItemCount(); ++row) {
    if (isPresent(list_->topLevelItem(row)->text(kFileColumn))) {
      current = row;
      break;
    }
  }
  if (list_->topLevelItemCount() > 0) list_->topLevelItem(current)->setSelected(true);
  updateActions();
  resize(720, sizeHint().height());
}

WeightsDialog::~WeightsDialog() = default;

QString WeightsDialog::urlOf(const QString& fileName) const {
  return urlBase_ + fileName;
}

void WeightsDialog::reject() {
  downloader_->cancel();
  QDialog::reject();
}

bool WeightsDialog::isPresent(const QString& fileName) const {
  const QFileInfo info(QDir(folder_).filePath(fileName));
  return info.isFile() && info.size() > 0;
}

void WeightsDialog::refreshStates() {
  for (int row = 0; row < list_->topLevelItemCount(); ++row) {
    QTreeWidgetItem* item = list_->topLevelItem(row);
    item->setText(kStateColumn, isPresent(item->text(kFileColumn)) ? tr("Present") : tr("Missing"));
  }
  updateActions();
}

QString WeightsDialog::selectedFileName() const {
  const QList<QTreeWidgetItem*> items = list_->selectedItems();
  return items.isEmpty() ? QString() : items.front()->text(kFileColumn);
}

void WeightsDialog::updateActions() {
  const bool busy = downloader_->isRunning();
  const QString name = selectedFileName();
  const bool present = !name.isEmpty() && isPresent(name);
  downloadButton_->setEnabled(!busy && !name.isEmpty() && !present);
  downloadButton_->setVisible(!busy);
  cancelDownloadButton_->setVisible(busy);
  chooseButton_->setEnabled(!busy);
  useButton_->setEnabled(!busy && present);
  list_->setEnabled(!busy);
}

void WeightsDialog::startDownload() {
  const QString name = selectedFileName();
  if (name.isEmpty()) return;
  const QString url = urlOf(name);
  showMessage(tr("Downloading %1 …").arg(url));
  progress_->setRange(0, 0);
  progress_->setFormat(QString());
  progress_->setVisible(true);
  if (!downloader_->start(QUrl(url), folder_)) progress_->setVisible(false);
  updateActions();
}

void WeightsDialog::chooseFile() {
  const QString file =
      QFileDialog::getOpenFileName(this, tr("Choose ResNet50 weights"), QDir::homePath(),
                                   tr("PyTorch weights (*.pth *.pt);;All files (*)"));
  if (!file.isEmpty()) useFile(file);
}

bool WeightsDialog::useFile(const QString& path) {
  try {
    const WaitCursor wait;
    selected_ = model::installWeightsFile(toPath(path), toPath(folder_));
  } catch (const Error& error) {
    showMessage(QString::fromStdString(error.what()));
    return false;
  }
  refreshStates();
  accept();
  return true;
}

void WeightsDialog::useSelected() {
  const QString name = selectedFileName();
  if (name.isEmpty() || !isPresent(name)) return;
  const QString file = QDir(folder_).filePath(name);
  const std::filesystem::path path = toPath(file);
  try {
    const WaitCursor wait;
    model::verifyWeightsFile(path);
  } catch (const Error& error) {
    // A file in the weights folder that is not what its name says is of no use to anyone: it
    // goes, so that it can be downloaded again.
    QFile::remove(file);
    refreshStates();
    showMessage(QString::fromStdString(error.what()) + QLatin1Char('\n') +
                tr("The damaged file was removed; download it again."));
    return;
  }
  selected_ = path;
  accept();
}

void WeightsDialog::showMessage(const QString& text) {
  message_->setText(text);
}

}  // namespace camlabel::ui
