// SPDX-License-Identifier: Apache-2.0
// The trust dialogs on where heatmaps lie over many slices: localisation against lesion
// masks, and position bias.

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

// --- LocalisationDialog ------------------------------------------------------------------------

namespace {

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
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
          ProgressRange part(progress, share * static_cast<double>(i),
                             share * static_cast<double>(i + 1));
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
  std::vector<session::NamedLocalisationReport> named;
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
    const QString model = modelSourceName(r.source);
    named.push_back({model.toStdString(), r.report});
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
    }
    for (const std::string& p : r.report.problems)
      if (problems.insert(p).second) problems_->addItem(fromUtf8(p));
    for (const std::string& p : r.report.withoutMask)
      if (problems.insert(p).second) problems_->addItem(fromUtf8(p));
  }
  csvText_ = fromUtf8(session::localisationSummaryCsv(named));
  const int images = results.empty() || results.front().report.scores.empty()
                         ? 0
                         : results.front().report.scores.front().images;
  showStatus(images == 0
                 ? tr("No listed image has a lesion mask: there is nothing to score.")
                 : tr("Scored %n image(s) with a lesion mask; rows left out: %1.", nullptr, images)
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
  const QString model = modelSourceName(source);
  auto addRow = [&](const QString& group, const explain::LateralitySummary& s) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    const double share = s.oneSidedShare();
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
  };
  const QString allImages = tr("All images");
  addRow(allImages, report.overall);
  for (const session::ClassLaterality& c : report.perClass)
    addRow(fromUtf8(c.className), c.summary);
  for (const std::string& p : report.problems)
    problems_->addItem(fromUtf8(p));
  verdict_->setText(fromUtf8(report.verdict));
  csvText_ = fromUtf8(
      session::lateralityCsv(report, options, model.toStdString(), allImages.toStdString()));
  showStatus(tr("Explained %n image(s) with %1; %2 left out.", nullptr, report.overall.images)
                 .arg(model)
                 .arg(static_cast<int>(report.problems.size())));
  updateButtons();
}

}  // namespace camlabel::ui
