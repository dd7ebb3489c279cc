// SPDX-License-Identifier: Apache-2.0
// The trust dialogs that make figures: a report figure to export, a comparison grid.

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
#include "ui/text.h"

namespace camlabel::ui {

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

}  // namespace camlabel::ui
