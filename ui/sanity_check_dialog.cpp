// SPDX-License-Identifier: Apache-2.0
// The trust dialog of the model-randomisation sanity check.

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
          const QString correlation = QString::number(r.check.steps.back().spearman, 'f', 2);
          const QString limit = QString::number(r.check.threshold, 'f', 2);
          verdicts << (r.check.insensitive
                           ? tr("%1: flagged: the map barely changes when every layer is random "
                                "(rank correlation %2, threshold %3): it does not show what the "
                                "model learned")
                           : tr("%1: passes: the map changes when the model is randomised (rank "
                                "correlation %2 with every layer random, threshold %3): it "
                                "depends on the model"))
                          .arg(method, correlation, limit);
        }
        verdict_->setText(verdicts.join(QLatin1Char('\n')));
        showStatus(QString());
      });
}

}  // namespace camlabel::ui
