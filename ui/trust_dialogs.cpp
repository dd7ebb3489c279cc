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
#include "ui/settings_dialog.h"

namespace camlabel::ui {

namespace {

enum Outcome { kSucceeded, kFailed, kCancelled };

/// Forwards core's progress to the task's signal (queued to the GUI thread) and answers cancel.
class TaskProgress : public ProgressDelegate {
 public:
  TaskProgress(TrustTask* task, std::shared_ptr<std::atomic<bool>> cancel)
      : task_(task), cancel_(std::move(cancel)) {}
  bool update(double fraction, std::string_view) override {
    emit task_->progressed(fraction);
    return !cancel_->load();
  }

 private:
  TrustTask* task_;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

QString fromUtf8(const std::string& text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::filesystem::path toPath(const QString& path) {
  return std::filesystem::path(path.toStdString());
}

}  // namespace

// --- TrustTask ---------------------------------------------------------------------------------

TrustTask::TrustTask(QObject* parent) : QObject(parent) {}

TrustTask::~TrustTask() {
  cancelAndWait();
}

bool TrustTask::start(Work work) {
  if (thread_ != nullptr) return false;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  thread_ = QThread::create([this, work = std::move(work), cancel = cancel_] {
    int outcome = kSucceeded;
    QString message;
    try {
      TaskProgress progress(this, cancel);
      work(&progress);
    } catch (const Cancelled&) {
      outcome = kCancelled;
    } catch (const std::exception& e) {
      outcome = kFailed;
      message = QString::fromUtf8(e.what());
    } catch (...) {
      outcome = kFailed;
      message = QStringLiteral("unknown error");
    }
    QMetaObject::invokeMethod(
        this, [this, outcome, message] { finish(outcome, message); }, Qt::QueuedConnection);
  });
  thread_->start();
  return true;
}

void TrustTask::cancel() {
  if (cancel_) cancel_->store(true);
}

void TrustTask::cancelAndWait() {
  if (thread_ == nullptr) return;
  cancel();
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
}

void TrustTask::finish(int outcome, const QString& message) {
  if (thread_ == nullptr) return;  // cancelAndWait() already ended it
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  if (outcome == kSucceeded)
    emit succeeded();
  else if (outcome == kCancelled)
    emit cancelled();
  else
    emit failed(message);
}

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

  task_ = new TrustTask(this);
  connect(cancel_, &QPushButton::clicked, task_, &TrustTask::cancel);
  connect(task_, &TrustTask::progressed, this,
          [this](double fraction) { progress_->setValue(static_cast<int>(fraction * 1000)); });
  auto ended = [this] {
    progressRow_->setVisible(false);
    updateButtons();
  };
  connect(task_, &TrustTask::succeeded, this, [this, ended] {
    ended();
    if (done_) done_();
    emit runFinished(true);
  });
  connect(task_, &TrustTask::failed, this, [this, ended](const QString& message) {
    ended();
    if (!closeWhenIdle_) showError(message);
    emit runFinished(false);
  });
  connect(task_, &TrustTask::cancelled, this, [this, ended] {
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
  connect(task_, &TrustTask::succeeded, this, closeIfAsked);
  connect(task_, &TrustTask::failed, this, closeIfAsked);
  connect(task_, &TrustTask::cancelled, this, closeIfAsked);

  try {
    sources_ = session::modelSources(session_);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const session::ModelSource& s = sources_[i];
    const QString text = s.snapshot
                             ? tr("Model now (%1)").arg(fromUtf8(s.snapshot->describe()))
                             : tr("Version v%1 (%2 labels)").arg(s.version).arg(s.labelsSeen);
    version_->addItem(text, static_cast<int>(i));
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

void TrustDialogBase::runTask(TrustTask::Work work, std::function<void()> done) {
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

// --- ExportFigureDialog ------------------------------------------------------------------------

ExportFigureDialog::ExportFigureDialog(QWidget* parent, session::Session& session,
                                       std::optional<std::int64_t> currentImageId,
                                       const model::ResNetConfig& network, c10::Device device)
    : TrustDialogBase(parent, session, network, device) {
  setWindowTitle(tr("Export figure"));
  images_ = makeImageList(currentImageId);
  method_ = new QComboBox(this);
  for (const explain::CamMethod method : explain::parseCamMethods("all"))
    method_->addItem(fromUtf8(std::string(explain::camMethodName(method))),
                     static_cast<int>(method));
  format_ = new QComboBox(this);
  format_->addItem(tr("PNG image"), QStringLiteral("png"));
  format_->addItem(tr("PDF document (A4)"), QStringLiteral("pdf"));
  path_ = new QLineEdit(this);
  path_->setPlaceholderText(tr("Choose where to save the figure"));
  auto* browse = new QPushButton(tr("Browse…"), this);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(path_, 1);
  fileRow->addWidget(browse);
  csv_ = new QCheckBox(tr("Also save the numbers as CSV beside the figure"), this);
  csv_->setChecked(true);

  auto* form = new QFormLayout;
  form->addRow(tr("Images"), images_);
  form->addRow(tr("Method"), method_);
  form->addRow(tr("Layer"), layerBox());
  form->addRow(tr("Model"), versionBox());
  form->addRow(tr("Format"), format_);
  form->addRow(tr("File"), fileRow);
  form->addRow(QString(), csv_);

  export_ = new QPushButton(tr("Export"), this);
  export_->setDefault(true);
  auto* close = new QPushButton(tr("Close"), this);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(export_);
  buttons->addWidget(close);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Figures carry no file names or patient data; rows are "
                                  "numbered and the CSV names images by their SHA-256."),
                               this));
  layout->addLayout(form);
  layout->addWidget(progressRow());
  layout->addWidget(statusLabel());
  layout->addLayout(buttons);

  connect(browse, &QPushButton::clicked, this, &ExportFigureDialog::browse);
  connect(export_, &QPushButton::clicked, this, &ExportFigureDialog::startExport);
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  connect(path_, &QLineEdit::textChanged, this, [this] { updateButtons(); });
  connect(format_, &QComboBox::currentIndexChanged, this, [this] {
    const QString text = path_->text();
    if (text.isEmpty()) return;
    const QFileInfo info(text);
    const QString base =
        info.suffix().isEmpty() ? text : text.left(text.size() - info.suffix().size() - 1);
    path_->setText(base + QLatin1Char('.') + format_->currentData().toString());
  });
  updateButtons();
}

QString ExportFigureDialog::csvPathFor(const QString& figurePath) {
  const QFileInfo info(figurePath);
  const QString base = info.suffix().isEmpty()
                           ? figurePath
                           : figurePath.left(figurePath.size() - info.suffix().size() - 1);
  return base + QStringLiteral(".csv");
}

void ExportFigureDialog::browse() {
  const bool pdf = format_->currentData().toString() == QLatin1String("pdf");
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export figure"), path_->text(),
                                   pdf ? tr("PDF document (*.pdf)") : tr("PNG image (*.png)"));
  if (path.isEmpty()) return;
  path_->setText(QFileInfo(path).suffix().isEmpty()
                     ? path + QLatin1Char('.') + format_->currentData().toString()
                     : path);
}

void ExportFigureDialog::updateButtons() {
  export_->setEnabled(!busy() && !path_->text().trimmed().isEmpty() &&
                      !images_->selectedItems().isEmpty());
}

void ExportFigureDialog::startExport() {
  session::ReportFigureRequest request;
  request.images = selectedImages(images_);
  request.method = static_cast<explain::CamMethod>(method_->currentData().toInt());
  request.layer = chosenLayer();
  request.modelSize = settings_.modelSize;
  const QString figurePath = path_->text().trimmed();
  const std::filesystem::path figure = toPath(figurePath);
  const std::optional<std::filesystem::path> csv =
      csv_->isChecked() ? std::optional(toPath(csvPathFor(figurePath))) : std::nullopt;
  run(
      [request, figure, csv](session::LoadedVersion& model, ProgressDelegate* progress) {
        const session::ReportFigure report = session::composeReportFigure(model, request, progress);
        explain::writeFigure(figure, report.figure);
        if (csv) writeFileAtomically(*csv, report.csv);
      },
      [this, figurePath] {
        showStatus(tr("Saved %1").arg(figurePath));
        emit exported(figurePath);
      });
}

// --- ComparisonGridDialog ----------------------------------------------------------------------

ComparisonGridDialog::ComparisonGridDialog(QWidget* parent, session::Session& session,
                                           std::optional<std::int64_t> currentImageId,
                                           const model::ResNetConfig& network, c10::Device device)
    : TrustDialogBase(parent, session, network, device) {
  setWindowTitle(tr("Comparison grid"));
  images_ = makeImageList(currentImageId);
  images_->setMaximumHeight(120);
  methods_ = makeMethodList();
  methods_->setMaximumHeight(120);
  classes_ = new QSpinBox(this);
  classes_->setRange(1, 3);
  classes_->setValue(1);
  classes_->setToolTip(tr("The most probable classes, one column each per method"));

  auto* form = new QFormLayout;
  form->addRow(tr("Images (rows)"), images_);
  form->addRow(tr("Methods (columns)"), methods_);
  form->addRow(tr("Classes per method"), classes_);
  form->addRow(tr("Layer"), layerBox());
  form->addRow(tr("Model"), versionBox());

  show_ = new QPushButton(tr("Show grid"), this);
  show_->setDefault(true);
  save_ = new QPushButton(tr("Save PNG…"), this);
  auto* close = new QPushButton(tr("Close"), this);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(show_);
  buttons->addWidget(save_);
  buttons->addWidget(close);

  size_ = new QLabel(this);
  view_ = new QLabel(this);
  view_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  scroll_ = new QScrollArea(this);
  scroll_->setWidget(view_);
  scroll_->setWidgetResizable(false);
  scroll_->setMinimumSize(480, 320);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(progressRow());
  layout->addWidget(statusLabel());
  layout->addWidget(size_);
  layout->addWidget(scroll_, 1);
  layout->addLayout(buttons);

  resize(960, 760);

  connect(show_, &QPushButton::clicked, this, &ComparisonGridDialog::startGrid);
  connect(save_, &QPushButton::clicked, this, &ComparisonGridDialog::choosePathAndSave);
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  updateButtons();
}

QString ComparisonGridDialog::sizeText() const {
  return size_->text();
}

void ComparisonGridDialog::updateButtons() {
  show_->setEnabled(!busy() && !images_->selectedItems().isEmpty() &&
                    !checkedMethods(methods_).empty());
  save_->setEnabled(!busy() && !gridMat_.empty());
}

void ComparisonGridDialog::startGrid() {
  session::ComparisonRequest request;
  request.images = selectedImages(images_);
  request.methods = checkedMethods(methods_);
  request.topK = std::min(classes_->value(), static_cast<int>(settings_.scheme.classes.size()));
  request.layer = chosenLayer();
  request.modelSize = settings_.modelSize;
  auto result = std::make_shared<cv::Mat>();
  const int rows = static_cast<int>(request.images.size());
  const int columns = 1 + static_cast<int>(request.methods.size()) * request.topK;
  run(
      [request, result](session::LoadedVersion& model, ProgressDelegate* progress) {
        *result = session::composeComparisonGrid(model, request, progress);
      },
      [this, result, rows, columns] {
        gridMat_ = *result;
        grid_ = bgrToQImage(gridMat_);
        rows_ = rows;
        columns_ = columns;
        view_->setPixmap(QPixmap::fromImage(grid_));
        view_->resize(grid_.size());
        size_->setText(tr("%1 rows × %2 columns").arg(rows_).arg(columns_));
        showStatus(QString());
        updateButtons();
      });
}

bool ComparisonGridDialog::saveGrid(const QString& path) {
  if (gridMat_.empty()) {
    showError(tr("Show the grid first."));
    return false;
  }
  try {
    explain::writeFigure(toPath(path), gridMat_);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return false;
  }
  showStatus(tr("Saved %1").arg(path));
  return true;
}

void ComparisonGridDialog::choosePathAndSave() {
  QString path =
      QFileDialog::getSaveFileName(this, tr("Save grid"), QString(), tr("PNG image (*.png)"));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".png");
  saveGrid(path);
}

// --- SanityCheckDialog -------------------------------------------------------------------------

SanityCheckDialog::SanityCheckDialog(QWidget* parent, session::Session& session,
                                     std::int64_t imageId, const model::ResNetConfig& network,
                                     c10::Device device)
    : TrustDialogBase(parent, session, network, device), imageId_(imageId) {
  setWindowTitle(tr("Sanity check"));
  QString imageName;
  try {
    imageName = fromUtf8(displayName(session.image(imageId).relativePath));
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  methods_ = makeMethodList();
  methods_->setMaximumHeight(140);
  threshold_ = new QDoubleSpinBox(this);
  threshold_->setRange(0.0, 1.0);
  threshold_->setSingleStep(0.05);
  threshold_->setDecimals(2);
  threshold_->setValue(0.5);
  threshold_->setToolTip(
      tr("Flag a method when its map, with every layer random, still has at least this rank "
         "correlation with the original"));

  auto* form = new QFormLayout;
  form->addRow(tr("Image"), new QLabel(imageName, this));
  form->addRow(tr("Methods"), methods_);
  form->addRow(tr("Layer"), layerBox());
  form->addRow(tr("Model"), versionBox());
  form->addRow(tr("Flag at correlation"), threshold_);

  table_ = new QTableWidget(0, kColumns, this);
  table_->setHorizontalHeaderLabels(
      {tr("Method"), tr("Layers randomised"), tr("Spearman"), tr("SSIM"), tr("Flagged")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(kRandomised, QHeaderView::Stretch);
  table_->verticalHeader()->setVisible(false);
  verdict_ = new QLabel(this);
  verdict_->setWordWrap(true);

  run_ = new QPushButton(tr("Run check"), this);
  run_->setDefault(true);
  auto* close = new QPushButton(tr("Close"), this);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(run_);
  buttons->addWidget(close);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Randomises the model from the top layer down (Adebayo et al. "
                                  "2018): a map that stays the same does not show what the "
                                  "model learned."),
                               this));
  layout->addLayout(form);
  layout->addWidget(progressRow());
  layout->addWidget(statusLabel());
  layout->addWidget(table_, 1);
  layout->addWidget(verdict_);
  layout->addLayout(buttons);

  connect(run_, &QPushButton::clicked, this, &SanityCheckDialog::startCheck);
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  updateButtons();
  resize(720, 560);
}

QString SanityCheckDialog::verdictText() const {
  return verdict_->text();
}

void SanityCheckDialog::updateButtons() {
  run_->setEnabled(!busy() && !checkedMethods(methods_).empty());
}

void SanityCheckDialog::startCheck() {
  session::TrustImage image;
  try {
    image = session::trustImage(session_, imageId_);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return;
  }
  const std::vector<explain::CamMethod> methods = checkedMethods(methods_);
  const model::ResNetLayer layer = chosenLayer();
  const int modelSize = settings_.modelSize;
  const double threshold = threshold_->value();
  auto results = std::make_shared<std::vector<session::SanityResult>>();
  run(
      [image, methods, layer, modelSize, threshold, results](session::LoadedVersion& model,
                                                             ProgressDelegate* progress) {
        *results =
            session::sanityCheck(model, image, methods, layer, modelSize, threshold, progress);
      },
      [this, results, threshold] {
        table_->setRowCount(0);
        QStringList verdicts;
        for (const session::SanityResult& r : *results) {
          const QString method = fromUtf8(std::string(explain::camMethodName(r.method)));
          for (const explain::RandomisationStep& step : r.check.steps) {
            const int row = table_->rowCount();
            table_->insertRow(row);
            const bool similar = step.spearman >= threshold;
            const QStringList cells{
                method, fromUtf8(step.randomised), QString::number(step.spearman, 'f', 3),
                QString::number(step.ssim, 'f', 3), similar ? tr("yes") : tr("no")};
            for (int c = 0; c < kColumns; ++c) {
              auto* item = new QTableWidgetItem(cells[c]);
              if (similar && c == kFlagged) item->setForeground(Qt::red);
              table_->setItem(row, c, item);
            }
          }
          verdicts << (r.check.insensitive ? tr("%1: flagged: %2") : tr("%1: passes: %2"))
                          .arg(method, fromUtf8(r.check.message));
        }
        verdict_->setText(verdicts.join(QLatin1Char('\n')));
        showStatus(QString());
      });
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

// --- LocalisationDialog ------------------------------------------------------------------------

namespace {

/// One model's share of the run's progress: [offset, offset + share) of the whole.
class ScaledProgress : public ProgressDelegate {
 public:
  ScaledProgress(ProgressDelegate* whole, double offset, double share)
      : whole_(whole), offset_(offset), share_(share) {}
  bool update(double fraction, std::string_view message) override {
    return whole_ == nullptr || whole_->update(offset_ + share_ * fraction, message);
  }

 private:
  ProgressDelegate* whole_;
  double offset_;
  double share_;
};

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

QString csvQuoted(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
      !text.contains(QLatin1Char('\n')))
    return text;
  QString quoted = text;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

}  // namespace

LocalisationDialog::LocalisationDialog(QWidget* parent, session::Session& session,
                                       const model::ResNetConfig& network, c10::Device device)
    : TableDialogBase(parent, session, network, device, QStringLiteral("localisation.csv")) {
  setWindowTitle(tr("Localisation scores"));
  versionBox()->setVisible(false);  // several sources at once: models_

  labels_ = new QLineEdit(this);
  masks_ = new QLineEdit(this);
  try {
    const std::filesystem::path heldOut = session_.projectDir() / "held_out";
    if (std::filesystem::is_regular_file(heldOut / "labels.csv") &&
        std::filesystem::is_directory(heldOut / "masks")) {
      labels_->setText(fromUtf8((heldOut / "labels.csv").string()));
      masks_->setText(fromUtf8((heldOut / "masks").string()));
    }
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  labels_->setPlaceholderText(tr("A CSV of file,label rows"));
  masks_->setPlaceholderText(tr("8-bit lesion masks named as the images"));
  auto* browseLabels = new QPushButton(tr("Browse…"), this);
  auto* browseMasks = new QPushButton(tr("Browse…"), this);
  auto* labelsRow = new QHBoxLayout;
  labelsRow->addWidget(labels_, 1);
  labelsRow->addWidget(browseLabels);
  auto* masksRow = new QHBoxLayout;
  masksRow->addWidget(masks_, 1);
  masksRow->addWidget(browseMasks);

  methods_ = makeMethodList();
  methods_->setMaximumHeight(110);
  tolerance_ = new QSpinBox(this);
  tolerance_->setRange(0, 1000);
  tolerance_->setSuffix(tr(" px"));
  models_ = new QListWidget(this);
  models_->setMaximumHeight(80);
  for (std::size_t i = 0; i < sources().size(); ++i) {
    auto* item = new QListWidgetItem(versionBox()->itemText(static_cast<int>(i)), models_);
    item->setData(Qt::UserRole, static_cast<int>(i));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(i == 0 ? Qt::Checked : Qt::Unchecked);
  }
  connect(models_, &QListWidget::itemChanged, this, [this] { updateButtons(); });

  auto* form = new QFormLayout;
  form->addRow(tr("Labels CSV"), labelsRow);
  form->addRow(tr("Masks folder"), masksRow);
  form->addRow(tr("Methods"), methods_);
  form->addRow(tr("Layer"), layerBox());
  form->addRow(tr("Tolerance"), tolerance_);
  form->addRow(tr("Models"), models_);

  table_ = new QTableWidget(0, kColumns, this);
  table_->setHorizontalHeaderLabels({tr("Model"), tr("Method"), tr("Images"), tr("Pointing game"),
                                     tr("Energy inside"), tr("Chance (mask area)")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(kModel, QHeaderView::Stretch);
  table_->verticalHeader()->setVisible(false);
  problems_ = new QListWidget(this);
  problems_->setMaximumHeight(90);
  auto* problemsLabel = new QLabel(tr("Rows left out"), this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Explains the true class of each listed image that has a "
                                  "lesion mask and scores the map against the mask: pointing "
                                  "game (the map's peak inside the mask, within the tolerance) "
                                  "and the share of the map's energy inside. The masks' mean "
                                  "area is what chance would score."),
                               this));
  layout->itemAt(0)->widget()->setProperty("wordWrap", true);
  layout->addLayout(form);
  layout->addWidget(progressRow());
  layout->addWidget(statusLabel());
  layout->addWidget(table_, 1);
  layout->addWidget(problemsLabel);
  layout->addWidget(problems_);
  layout->addLayout(buttonRow());

  connect(browseLabels, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Labels CSV"), labels_->text(), tr("CSV (*.csv)"));
    if (!path.isEmpty()) labels_->setText(path);
  });
  connect(browseMasks, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getExistingDirectory(this, tr("Masks folder"), masks_->text());
    if (!path.isEmpty()) masks_->setText(path);
  });
  connect(labels_, &QLineEdit::textChanged, this, [this] { updateButtons(); });
  connect(masks_, &QLineEdit::textChanged, this, [this] { updateButtons(); });
  updateButtons();
  resize(820, 720);
}

bool LocalisationDialog::canRun() const {
  bool anyModel = false;
  for (int i = 0; i < models_->count(); ++i)
    anyModel = anyModel || models_->item(i)->checkState() == Qt::Checked;
  return anyModel && !checkedMethods(methods_).empty();
}

void LocalisationDialog::startRun() {
  if (labels_->text().trimmed().isEmpty()) {
    showError(tr("Choose the labels CSV (file,label rows)."));
    return;
  }
  if (masks_->text().trimmed().isEmpty()) {
    showError(tr("Choose the folder of lesion masks."));
    return;
  }
  std::vector<session::ModelSource> chosen;
  for (int i = 0; i < models_->count(); ++i) {
    const QListWidgetItem* item = models_->item(i);
    if (item->checkState() == Qt::Checked)
      chosen.push_back(sources().at(static_cast<std::size_t>(item->data(Qt::UserRole).toInt())));
  }
  if (chosen.empty()) {
    showError(tr("Choose at least one model."));
    return;
  }
  session::LocalisationOptions options;
  options.labelsCsv = toPath(labels_->text().trimmed());
  options.masksDir = toPath(masks_->text().trimmed());
  options.methods = checkedMethods(methods_);
  options.layer = chosenLayer();
  options.tolerance = tolerance_->value();
  options.device = device_;
  const int modelSize = settings_.modelSize;
  auto results = std::make_shared<std::vector<Result>>();
  runTask(
      [chosen, options, modelSize, results, settings = settings_, config = network_,
       device = device_](ProgressDelegate* progress) {
        const double share = 1.0 / static_cast<double>(chosen.size());
        for (std::size_t i = 0; i < chosen.size(); ++i) {
          ScaledProgress part(progress, share * static_cast<double>(i), share);
          if (!part.update(0, "loading")) throw Cancelled();
          session::LoadedVersion model =
              session::loadModelSource(chosen[i], settings, config, device);
          results->push_back({chosen[i], session::localiseModel(model, options, modelSize, &part)});
        }
      },
      [this, results] { showResults(*results); });
}

void LocalisationDialog::showResults(const std::vector<Result>& results) {
  table_->setRowCount(0);
  problems_->clear();
  QStringList csv{QStringLiteral(
      "model,version,labels_seen,method,images,hits,pointing_game,pointing_game_chance,"
      "energy_inside,mask_area")};
  double bestPointing = -1;
  double bestEnergy = -1;
  for (const Result& r : results) {
    for (const session::LocalisationScore& s : r.report.scores) {
      if (s.images == 0) continue;
      bestPointing = std::max(bestPointing, s.pointingGame);
      bestEnergy = std::max(bestEnergy, s.energyInside);
    }
  }
  std::set<std::string> problems;
  for (const Result& r : results) {
    const QString model =
        r.source.snapshot ? tr("now (%1)").arg(fromUtf8(r.source.snapshot->describe()))
                          : tr("v%1 (%2 labels)").arg(r.report.version).arg(r.report.labelsSeen);
    for (const session::LocalisationScore& s : r.report.scores) {
      const QString method = fromUtf8(std::string(explain::camMethodName(s.method)));
      const int row = table_->rowCount();
      table_->insertRow(row);
      auto cell = [&](int column, const QString& text, std::optional<double> value, bool best) {
        auto* item = new QTableWidgetItem(text);
        if (value) item->setData(Qt::UserRole, *value);
        if (column >= kImages) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (best) {
          QFont font = item->font();
          font.setBold(true);
          item->setFont(font);
          item->setBackground(QColor(255, 236, 160));
          item->setForeground(Qt::black);
          item->setToolTip(tr("The best of this column"));
        }
        table_->setItem(row, column, item);
      };
      const bool scored = s.images > 0;
      cell(kModel, model, std::nullopt, false);
      cell(kMethod, method, std::nullopt, false);
      cell(kImages, QString::number(s.images), s.images, false);
      // With a slack the pointing game's chance is the share of the image near a lesion, no
      // longer the mask area of the last column: say it beside the score.
      cell(kPointing,
           scored ? tr("%1 (%2/%3, chance %4)")
                        .arg(fromUtf8(fixed(s.pointingGame, 3)))
                        .arg(s.hits)
                        .arg(s.images)
                        .arg(fromUtf8(fixed(s.reachArea, 3)))
                  : tr("—"),
           s.pointingGame, scored && s.pointingGame == bestPointing);
      cell(kEnergy, scored ? fromUtf8(fixed(s.energyInside, 3)) : tr("—"), s.energyInside,
           scored && s.energyInside == bestEnergy);
      cell(kChance, scored ? fromUtf8(fixed(s.maskArea, 3)) : tr("—"), s.maskArea, false);
      csv << QStringList{csvQuoted(model),
                         QString::number(r.report.version),
                         QString::number(r.report.labelsSeen),
                         method,
                         QString::number(s.images),
                         QString::number(s.hits),
                         fromUtf8(fixed(s.pointingGame, 6)),
                         fromUtf8(fixed(s.reachArea, 6)),
                         fromUtf8(fixed(s.energyInside, 6)),
                         fromUtf8(fixed(s.maskArea, 6))}
                 .join(QLatin1Char(','));
    }
    for (const std::string& p : r.report.problems)
      if (problems.insert(p).second) problems_->addItem(fromUtf8(p));
    for (const std::string& p : r.report.withoutMask)
      if (problems.insert(p).second) problems_->addItem(fromUtf8(p));
  }
  csvText_ = csv.join(QLatin1Char('\n')) + QLatin1Char('\n');
  const int images = results.empty() || results.front().report.scores.empty()
                         ? 0
                         : results.front().report.scores.front().images;
  showStatus(images == 0
                 ? tr("No listed image has a lesion mask: there is nothing to score.")
                 : tr("Scored %n image(s) with a lesion mask; %1 row(s) left out.", nullptr, images)
                       .arg(static_cast<int>(problems.size())));
  updateButtons();
}

// --- PositionBiasDialog ------------------------------------------------------------------------

PositionBiasDialog::PositionBiasDialog(QWidget* parent, session::Session& session,
                                       const model::ResNetConfig& network, c10::Device device)
    : TableDialogBase(parent, session, network, device, QStringLiteral("position_bias.csv")) {
  setWindowTitle(tr("Position bias"));

  method_ = new QComboBox(this);
  for (const explain::CamMethod method : explain::parseCamMethods("all"))
    method_->addItem(fromUtf8(std::string(explain::camMethodName(method))),
                     static_cast<int>(method));
  threshold_ = new QDoubleSpinBox(this);
  threshold_->setRange(0.5, 1.0);
  threshold_->setSingleStep(0.01);
  threshold_->setDecimals(2);
  threshold_->setValue(savedDiagnosticThresholds(QSettings()).oneSidedShare);
  threshold_->setToolTip(
      tr("A heatmap is one-sided when one half of the image holds more than this share of it."));
  limit_ = new QSpinBox(this);
  limit_->setRange(0, 1000000);
  limit_->setSpecialValueText(tr("All"));
  limit_->setToolTip(tr("Only the first labelled images, in the order of the project."));

  int labelled = 0;
  try {
    labelled = static_cast<int>(session::labelledTrustImages(session_).size());
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  count_ = new QLabel(labelled == 0 ? tr("The project has no labelled image yet.")
                                    : tr("%n labelled image(s)", nullptr, labelled),
                      this);

  auto* form = new QFormLayout;
  form->addRow(tr("Model"), versionBox());
  form->addRow(tr("Method"), method_);
  form->addRow(tr("Layer"), layerBox());
  form->addRow(tr("One-sided above"), threshold_);
  form->addRow(tr("Images"), limit_);
  form->addRow(QString(), count_);

  table_ = new QTableWidget(0, kColumns, this);
  table_->setHorizontalHeaderLabels({tr("Images of"), tr("Images"), tr("One-sided"), tr("Share"),
                                     tr("Mean left share"), tr("Biased?")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(kGroup, QHeaderView::Stretch);
  table_->verticalHeader()->setVisible(false);
  verdict_ = new QLabel(this);
  verdict_->setWordWrap(true);
  verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problems_ = new QListWidget(this);
  problems_->setMaximumHeight(90);
  auto* problemsLabel = new QLabel(tr("Images left out"), this);

  auto* intro = new QLabel(tr("Explains the labelled class of each labelled image and measures "
                              "how much of the heatmap lies in the left half. When most maps "
                              "are one-sided, the model may be looking at position, markers or "
                              "text rather than the finding."),
                           this);
  intro->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(progressRow());
  layout->addWidget(statusLabel());
  layout->addWidget(table_, 1);
  layout->addWidget(verdict_);
  layout->addWidget(problemsLabel);
  layout->addWidget(problems_);
  layout->addLayout(buttonRow());

  updateButtons();
  resize(760, 640);
}

QString PositionBiasDialog::verdictText() const {
  return verdict_->text();
}

bool PositionBiasDialog::canRun() const {
  return versionBox()->count() > 0;
}

void PositionBiasDialog::startRun() {
  std::vector<session::TrustImage> images;
  try {
    images = session::labelledTrustImages(session_);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return;
  }
  if (images.empty()) {
    showError(
        tr("The project has no labelled image yet: label images first, then look for "
           "position bias."));
    return;
  }
  const std::optional<session::ModelSource> source = chosenSource();
  if (!source) return;
  session::LateralityOptions options;
  options.method = static_cast<explain::CamMethod>(method_->currentData().toInt());
  options.layer = chosenLayer();
  options.thresholds = savedDiagnosticThresholds(QSettings());
  options.thresholds.oneSidedShare = threshold_->value();
  if (limit_->value() > 0) options.limit = limit_->value();
  options.device = device_;
  const int modelSize = settings_.modelSize;
  auto report = std::make_shared<session::LateralityReport>();
  run(
      [images, options, modelSize, report](session::LoadedVersion& model,
                                           ProgressDelegate* progress) {
        *report = session::summariseModelLaterality(model, images, options, modelSize, progress);
      },
      [this, source = *source, report, options] { showReport(source, *report, options); });
}

void PositionBiasDialog::showReport(const session::ModelSource& source,
                                    const session::LateralityReport& report,
                                    const session::LateralityOptions& options) {
  table_->setRowCount(0);
  problems_->clear();
  const QString model = source.snapshot
                            ? tr("now (%1)").arg(fromUtf8(source.snapshot->describe()))
                            : tr("v%1 (%2 labels)").arg(report.version).arg(report.labelsSeen);
  const QString method = fromUtf8(std::string(explain::camMethodName(options.method)));
  const QString layer = fromUtf8(std::string(model::resNetLayerName(options.layer)));
  QStringList csv{QStringLiteral(
      "group,class_index,images,one_sided,one_sided_share,mean_left_share,biased,model,version,"
      "labels_seen,method,layer,one_sided_above")};
  auto addRow = [&](const QString& group, std::optional<int> classIndex,
                    const explain::LateralitySummary& s) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    const double share = s.images > 0 ? static_cast<double>(s.oneSided) / s.images : 0.0;
    auto cell = [&](int column, const QString& text, std::optional<double> value) {
      auto* item = new QTableWidgetItem(text);
      if (value) item->setData(Qt::UserRole, *value);
      if (column >= kImages) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (column == kBiased && s.biased) item->setForeground(Qt::red);
      table_->setItem(row, column, item);
    };
    cell(kGroup, group, std::nullopt);
    cell(kImages, QString::number(s.images), s.images);
    cell(kOneSided, QString::number(s.oneSided), s.oneSided);
    cell(kShare, fromUtf8(fixed(share, 3)), share);
    cell(kMeanLeft, fromUtf8(fixed(s.meanLeftShare, 3)), s.meanLeftShare);
    cell(kBiased, s.biased ? tr("yes") : tr("no"), std::nullopt);
    csv << QStringList{csvQuoted(group),
                       classIndex ? QString::number(*classIndex) : QString(),
                       QString::number(s.images),
                       QString::number(s.oneSided),
                       fromUtf8(fixed(share, 6)),
                       fromUtf8(fixed(s.meanLeftShare, 6)),
                       s.biased ? QStringLiteral("yes") : QStringLiteral("no"),
                       csvQuoted(model),
                       QString::number(report.version),
                       QString::number(report.labelsSeen),
                       method,
                       layer,
                       fromUtf8(fixed(options.thresholds.oneSidedShare, 6))}
               .join(QLatin1Char(','));
  };
  addRow(tr("All images"), std::nullopt, report.overall);
  for (const session::ClassLaterality& c : report.perClass)
    addRow(fromUtf8(c.className), c.classIndex, c.summary);
  for (const std::string& p : report.problems)
    problems_->addItem(fromUtf8(p));
  verdict_->setText(fromUtf8(report.verdict));
  csvText_ = csv.join(QLatin1Char('\n')) + QLatin1Char('\n');
  showStatus(tr("Explained %n image(s) with %1; %2 left out.", nullptr, report.overall.images)
                 .arg(model)
                 .arg(static_cast<int>(report.problems.size())));
  updateButtons();
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
