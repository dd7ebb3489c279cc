// SPDX-License-Identifier: Apache-2.0
// LabelWindow: the heatmap and its toolbar, the compare view, the training panel, the display
// window and zoom, and the status line.

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLocale>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QStringList>
#include <QToolBar>

#include <algorithm>
#include <cmath>
#include <exception>

#include "core/common/file_names.h"
#include "core/imaging/window.h"
#include "ui/class_panel.h"
#include "ui/image_canvas.h"
#include "ui/image_conversion.h"
#include "ui/label_window.h"
#include "ui/label_window_private.h"
#include "ui/language.h"
#include "ui/prediction_panel.h"
#include "ui/settings_dialog.h"
#include "ui/training_panel.h"
#include "ui/window_presets.h"

namespace camlabel::ui {

using namespace label_window_detail;

namespace {

QString windowName(const imaging::Window& window) {
  if (window == imaging::kLungWindow) return QObject::tr("lung window");
  if (window == imaging::kMediastinalWindow) return QObject::tr("mediastinal window");
  if (window == imaging::kBoneWindow) return QObject::tr("bone window");
  return QObject::tr("window %1").arg(fromUtf8(imaging::describeWindow(window)));
}

/// "series 2 of 3, slice 41 of 120, z -152.5 mm" (the position only when the slice has one).
QString sliceLocationText(const project::SliceLocation& where) {
  QString text = QObject::tr("series %1 of %2, slice %3 of %4")
                     .arg(where.seriesIndex + 1)
                     .arg(where.seriesCount)
                     .arg(where.sliceIndex + 1)
                     .arg(where.sliceCount);
  if (where.positionMm)
    text += QObject::tr(", z %1 mm").arg(QLocale().toString(*where.positionMm, 'f', 1));
  return text;
}

}  // namespace

// --- view -------------------------------------------------------------------------------------

void LabelWindow::toggleOverlay() {
  d->overlay = !d->overlay;
  d->overlayAction->setChecked(d->overlay);
  const bool current = d->explanation && d->explainedWith.ticket == d->heatmap.ticket;
  if (d->overlay && !current && d->image && !d->explanationPending) requestExplanation();
  render();
}

void LabelWindow::toggleCompare() {
  d->compare = !d->compare;
  d->compareAction->setChecked(d->compare);
  d->beforeCanvas->setVisible(d->compare);
  d->beforeCaption->setVisible(d->compare);
  d->afterCaption->setVisible(d->compare);
  d->compareControls->setVisible(d->compare);
  if (d->compare) refreshVersionBox(true);
  d->columns->setStretch(0, d->compare ? 1 : 0);
  const bool current = d->comparison && d->comparison->heatmap.ticket == d->heatmap.ticket;
  if (d->compare && !current && d->image && !d->comparisonPending) requestComparison();
  render();
}

void LabelWindow::toggleTrainingPanel() {
  const bool show = !d->trainingDock->isVisible();
  d->trainingDock->setVisible(show);
  d->trainingAction->setChecked(show);
  if (!show) return;
  // Two fifths of the window at first, so the slice stays the larger part; the user can drag.
  resizeDocks({d->trainingDock}, {height() * 2 / 5}, Qt::Vertical);
  refreshTrainingPanel(true);
}

/// The curve and the versions, read from the store when something changed (or when forced).
void LabelWindow::openSettings() {
  QSettings settings;
  SettingsDialog dialog(settings, d->session.get(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  setKeyBindings(dialog.keyBindings());
  d->thresholds = dialog.diagnosticThresholds();
  refreshTrainingPanel(/*force=*/true);
}

namespace {

QString trainingModeTitle(const std::string& mode) {
  if (mode == "head") return LabelWindow::tr("last layer only (head)");
  if (mode == "full") return LabelWindow::tr("whole network (full)");
  if (mode == "auto") return LabelWindow::tr("automatic (whole network without a weights file)");
  return LabelWindow::tr("last block and head (layer4)");
}

}  // namespace

void LabelWindow::refreshTrainingPanel(bool force) {
  if (!d->session || !d->trainingDock->isVisible()) return;
  try {
    // As the session trains now, and what Settings stored for the next opening.
    const project::ProjectSettings& now = d->session->settings();
    const project::ProjectSettings stored = d->session->storedSettings();
    QString text = tr("Training: %1, a version every %2 labels.")
                       .arg(trainingModeTitle(now.trainingMode))
                       .arg(now.snapshotEvery);
    if (stored.trainingMode != now.trainingMode || stored.snapshotEvery != now.snapshotEvery) {
      text += ' ' + tr("From the next opening: %1, every %2 labels.")
                        .arg(trainingModeTitle(stored.trainingMode))
                        .arg(stored.snapshotEvery);
    }
    d->trainingPanel->showTrainingSettings(text);
    const std::int64_t seen = d->session->trainerStatus().labelsSeen;
    const std::vector<project::ModelVersion> versions = d->session->modelVersions();
    const project::ProjectCounts counts = d->session->counts();
    const std::int64_t marker = seen * 1000003 + counts.labelled;
    if (!force && marker == d->panelLabels && versions.size() == d->panelVersions) return;
    d->panelLabels = marker;
    d->panelVersions = versions.size();
    d->trainingPanel->showCurve(d->session->prequential());
    d->trainingPanel->showVersions(versions);
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::toggleCommonScale() {
  d->commonScale = !d->commonScale;
  d->commonScaleAction->setChecked(d->commonScale);
  render();
  if (d->compare && d->comparison) {
    showMessage(d->commonScale ? tr("Heatmaps on a common scale: a weaker map looks weaker.")
                               : tr("Each heatmap on its own scale."));
  }
}

void LabelWindow::refreshVersionBox(bool force) {
  if (!d->session || (!force && !d->compare)) return;
  try {
    std::vector<int> versions;
    std::vector<QString> names;
    for (const session::ModelSource& source : session::modelSources(*d->session)) {
      if (source.version == 0) continue;  // the newest weights: "current"
      versions.push_back(source.version);
      names.push_back(modelSourceName(source));
    }
    if (versions == d->listedVersions) return;
    d->listedVersions = versions;
    const QSignalBlocker blocker(d->versionBox);
    d->versionBox->clear();
    d->versionBox->addItem(tr("current"), 0);
    for (std::size_t i = 0; i < versions.size(); ++i)
      d->versionBox->addItem(names[i], versions[i]);
    const int chosen = d->versionBox->findData(d->afterVersion);
    d->versionBox->setCurrentIndex(std::max(0, chosen));
    if (chosen < 0 && d->afterVersion != 0) {
      d->afterVersion = 0;
      if (d->compare && d->image) requestComparison();
    }
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::requestComparison() {
  if (!d->session || !d->imageId || !d->image) return;
  CompareChoice choice;
  choice.ticket = ++d->compareTicket;
  choice.beforeClass = d->beforeClass;
  if (d->afterVersion != 0) {
    try {
      for (session::ModelSource& source : session::modelSources(*d->session))
        if (source.version == d->afterVersion) choice.after = std::move(source);
    } catch (const std::exception& e) {
      showError(tr("No comparison: %1").arg(fromUtf8(e.what())));
      return;
    }
    if (!choice.after) {
      showError(tr("No comparison: %1").arg(tr("model v%1 is not recorded").arg(d->afterVersion)));
      return;
    }
  }
  d->comparisonPending = true;
  d->beforeCaption->setText(tr("Before: computing..."));
  d->afterCaption->setText(tr("After: computing..."));
  alignCaptions();
  d->worker->requestCompare(d->generation, *d->imageId, *d->image, d->heatmap, std::move(choice));
}

void LabelWindow::alignCaptions() {
  // The two images start at the same height whatever each caption's length: the shorter caption
  // takes the longer one's lines (at least two, so a wrap does not move an image later).
  const int width = std::max(1, std::min(d->beforeCaption->width(), d->afterCaption->width()));
  const int lines = 2 * d->beforeCaption->fontMetrics().lineSpacing();
  const int height = std::max(
      {lines, d->beforeCaption->heightForWidth(width), d->afterCaption->heightForWidth(width)});
  d->beforeCaption->setMinimumHeight(height);
  d->afterCaption->setMinimumHeight(height);
}

void LabelWindow::onCompared(quint64 generation, const Comparison& comparison) {
  if (generation != d->generation || comparison.imageId != d->imageId ||
      comparison.heatmap.ticket != d->heatmap.ticket ||
      comparison.choice.ticket != d->compareTicket)
    return;
  d->comparison = comparison;
  d->comparisonPending = false;
  {
    // The before model's top 5, its class chosen or its top-1.
    const QSignalBlocker blocker(d->beforeClassBox);
    d->beforeClassBox->clear();
    for (const model::ClassScore& score : comparison.before.prediction.top) {
      d->beforeClassBox->addItem(QStringLiteral("%1 (%2%)")
                                     .arg(fromUtf8(score.name))
                                     .arg(100.0 * score.probability, 0, 'f', 1),
                                 score.index);
    }
    d->beforeClassBox->setCurrentIndex(
        std::max(0, d->beforeClassBox->findData(comparison.beforeMap.classIndex)));
  }
  const auto& before = comparison.beforeMap;
  const auto& after = comparison.afterMap;
  const QString afterName = fromUtf8(schemeClassName(after.classIndex, after.className));
  d->beforeCaption->setText(tr("Before: %1 - %2 (%3%)")
                                .arg(modelName(comparison.before.model))
                                .arg(fromUtf8(before.className))
                                .arg(100.0 * before.probability, 0, 'f', 1));
  // A recorded version is named as the chooser lists it: "After: v3 (30 labels) - ...".
  d->afterCaption->setText(
      (comparison.choice.after ? tr("After: %1 - %2 (%3%)") : tr("After: model %1 - %2 (%3%)"))
          .arg(modelName(after.model))
          .arg(afterName)
          .arg(100.0 * after.probability, 0, 'f', 1));
  alignCaptions();
  render();
  emit comparisonShown(d->index);
}

void LabelWindow::onComparisonFailed(quint64 generation, std::int64_t imageId,
                                     const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->comparisonPending = false;
  const QString text = tr("No comparison: %1").arg(message);
  // Nothing of an earlier choice stays on screen as if it were this one's.
  d->comparison.reset();
  render();
  d->shownBefore = QImage();
  d->beforeCanvas->setImage({}, text);
  d->beforeCaption->setText(text);
  d->afterCaption->setText(text);
  alignCaptions();
  showError(text);
}

void LabelWindow::requestExplanation() {
  if (!d->imageId || !d->image) return;
  d->explanationPending = true;
  d->worker->requestExplain(d->generation, *d->imageId, *d->image, d->heatmap);
  showMessage(tr("Computing the heatmap..."));
}

void LabelWindow::setHeatmapOpacity(double opacity) {
  d->opacity = std::clamp(opacity, 0.0, 1.0);
  const int percent = static_cast<int>(std::lround(d->opacity * 100));
  {
    const QSignalBlocker blocker(d->opacitySlider);
    d->opacitySlider->setValue(percent);
  }
  d->opacityValue->setText(QStringLiteral("%1%").arg(percent));
  render();
}

void LabelWindow::setHeatmapMethod(explain::CamMethod method) {
  {
    const QSignalBlocker blocker(d->methodBox);
    d->methodBox->setCurrentIndex(d->methodBox->findData(static_cast<int>(method)));
  }
  if (method == d->heatmap.method) return;
  d->heatmap.method = method;
  heatmapChanged();
}

void LabelWindow::setHeatmapClass(std::optional<int> classIndex) {
  if (classIndex && (*classIndex < 0 || *classIndex >= d->classCount)) classIndex.reset();
  {
    const QSignalBlocker blocker(d->classBox);
    d->classBox->setCurrentIndex(std::max(0, d->classBox->findData(classIndex.value_or(-1))));
  }
  if (classIndex == d->heatmap.classIndex) return;
  d->heatmap.classIndex = classIndex;
  heatmapChanged();
}

void LabelWindow::setHeatmapColormap(explain::CamColormap colormap) {
  {
    const QSignalBlocker blocker(d->colormapBox);
    d->colormapBox->setCurrentIndex(d->colormapBox->findData(static_cast<int>(colormap)));
  }
  d->colormap = colormap;
  render();
}

void LabelWindow::heatmapChanged() {
  ++d->heatmap.ticket;  // what is on its way is for the old choice
  d->overlayAction->setText(tr("&Heatmap overlay (%1)").arg(camMethodTitle(d->heatmap.method)));
  d->explanationPending = false;
  d->comparisonPending = false;
  if (!d->image) return;
  if (d->overlay) requestExplanation();
  if (d->compare) requestComparison();
}

void LabelWindow::toggleHelp() {
  d->help->setVisible(!helpVisible());
  d->helpAction->setChecked(helpVisible());
}

void LabelWindow::setWindow(imaging::Window window) {
  d->preset = window;
  d->imageWindow = false;
  render();
  refreshPosition();
}

void LabelWindow::dragWindow(QPoint delta) {
  if (!d->dragFrom || !d->image) return;
  const imaging::Window from = *d->dragFrom;
  const double rate = std::max(kMinDragRate, from.width / kDragPixelsPerWidth);
  // Whole units: the status bar shows the window, and "-562.5" helps no one.
  setWindow(imaging::Window{std::round(from.center + delta.y() * rate),
                            std::max(1.0, std::round(from.width + delta.x() * rate))});
}

void LabelWindow::useImageWindow() {
  d->preset.reset();
  d->imageWindow = true;
  render();
  refreshPosition();
}

void LabelWindow::zoomIn() {
  d->canvas->zoomBy(kKeyZoom);
}

void LabelWindow::zoomOut() {
  d->canvas->zoomBy(1.0 / kKeyZoom);
}

void LabelWindow::zoomToFit() {
  d->canvas->fit();
}

void LabelWindow::render() {
  if (!d->image) return;
  try {
    const cv::Mat gray = imaging::renderWindowed8(*d->image, currentWindow());
    if (d->compare && d->comparison) {
      // Each map min-max normalised, or both divided by the larger maximum.
      std::vector<cv::Mat> maps{d->comparison->beforeMap.map, d->comparison->afterMap.map};
      if (d->commonScale) {
        maps = explain::onCommonScale({d->comparison->beforeMap.raw, d->comparison->afterMap.raw},
                                      gray.size());
      }
      d->shownBefore = bgrToQImage(explain::overlayCam(gray, maps[0], d->colormap, d->opacity));
      d->beforeCanvas->setImage(d->shownBefore);
      d->shown = bgrToQImage(explain::overlayCam(gray, maps[1], d->colormap, d->opacity));
    } else if (d->compare) {
      d->shownBefore = QImage();
      d->beforeCanvas->setImage({}, tr("Computing the heatmaps..."));
      d->shown = toQImage(gray);
    } else if (d->overlay && d->explanation) {
      d->shown =
          bgrToQImage(explain::overlayCam(gray, d->explanation->map, d->colormap, d->opacity));
    } else {
      d->shown = toQImage(gray);
    }
    d->canvas->setImage(d->shown);
  } catch (const std::exception& e) {
    d->shown = QImage();
    d->canvas->setImage({}, fromUtf8(e.what()));
    showError(fromUtf8(e.what()));
  }
}

// --- status -----------------------------------------------------------------------------------

void LabelWindow::refreshPosition() {
  if (!d->session || !d->imageId) {
    d->position->clear();
    return;
  }
  QString text = tr("Image %1 of %2").arg(d->index + 1).arg(d->count);
  // A DICOM slice is placed by its series (its file name, IM1 or a UID, says little and goes to
  // the tooltip); another image by its name. Both are niceties: the index says where the user is.
  QString name;
  try {
    name = fromUtf8(displayName(d->session->image(*d->imageId).relativePath));
    if (const auto where = d->session->sliceLocation(*d->imageId))
      text += QStringLiteral(" - ") + sliceLocationText(*where);
    else
      text += QStringLiteral(" - ") + name;
  } catch (const std::exception&) {
  }
  d->position->setToolTip(name);
  if (d->image) text += QStringLiteral(" - ") + windowName(currentWindow());
  d->position->setText(text);
}

void LabelWindow::refreshCounts() {
  if (!d->session) return;
  try {
    const project::ProjectCounts counts = d->session->counts();
    d->counts->setText(tr("Labelled %1, skipped %2, unlabelled %3")
                           .arg(counts.labelled)
                           .arg(counts.skipped)
                           .arg(counts.unlabelled));
    // How often the prediction shown was right, over the last labels: read from the store
    // after a label changes, not on every training tick.
    const learning::PrequentialMetrics prequential = d->session->prequential();
    d->prequentialText = prequential.windowAccuracy
                             ? tr(", right %1% of the last %2")
                                   .arg(100.0 * *prequential.windowAccuracy, 0, 'f', 0)
                                   .arg(prequential.windowCount)
                             : QString();
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::refreshTraining() {
  if (!d->session) return;
  const learning::TrainerStatus status = d->session->trainerStatus();
  QString text =
      tr("Training: %1 queued, %2 seen").arg(status.queued).arg(labelCount(status.labelsSeen));
  if (status.steps > 0)
    text += tr(", %1 steps, loss %2").arg(status.steps).arg(status.lastLoss, 0, 'f', 3);
  // Between labels the trainer goes on learning from the labelled images (issue 13).
  if (status.refining) text += tr(", learning while you read");
  text += d->prequentialText;
  text += tr(" | Model %1").arg(modelName(d->session->snapshot()->name()));
  // The trainer goes on after a problem (an unreadable image, a failed checkpoint), but the
  // user must know.
  if (!status.lastError.empty())
    text += tr(" | Training problem: %1").arg(fromUtf8(status.lastError));
  d->training->setText(text);
  // Double reading: the slice the project opened on was chosen before the team's labels were
  // read; if it has its readings without this reader, go on to one that needs theirs.
  if (d->startSlice && d->startSlice == d->imageId) {
    if (const std::optional<std::int64_t> next = d->session->insteadOfStart(*d->imageId)) {
      d->session->goTo(*next);
      moveTo(*next);
      showMessage(tr("Moved on to image %1: the first slice had its readings without you "
                     "(double reading).")
                      .arg(d->index + 1));
    }
  }
  // A team project: whether the labels given here have reached the team server (issue 15).
  if (const std::optional<team::SyncStatus> team = d->session->teamStatus()) {
    if (!team->attempted)
      d->team->setText(tr("Team server: connecting…"));
    else if (team->reachable && team->waiting == 0)
      d->team->setText(tr("Team server: all labels sent"));
    else if (team->reachable)
      d->team->setText(tr("Team server: sending %1").arg(labelCount(team->waiting)));
    else if (team->refused)
      d->team->setText(tr("Team server refused the labels: %1 kept on this computer (see why "
                          "in the tooltip)")
                           .arg(labelCount(team->waiting)));
    else
      d->team->setText(tr("Team server unreachable: %1 kept on this computer, sent when it is back")
                           .arg(labelCount(team->waiting)));
    // Why it failed, then what the model learns from.
    QStringList tip;
    if (!team->error.empty()) tip << fromUtf8(team->error);
    if (const std::optional<session::TeamTraining> training = d->session->teamTraining()) {
      if (!training->consensus)
        tip << tr("The model learns from your labels only (Settings: the team's consensus).");
      else if (!training->teamRead)
        tip << tr(
            "The model learns from the team's consensus once the team's labels have been "
            "read; until then from yours.");
      else
        tip << tr("The model learns from the team's consensus: %1 slices, %2 of them labelled by "
                  "other readers only; %3 left out while readers disagree (Label > "
                  "Disagreements…).")
                   .arg(training->slices)
                   .arg(training->fromOthers)
                   .arg(training->disputed);
      if (training->assignment.readingsPerSlice > 0)
        tip << (training->assignment.blinded
                    ? tr("Double reading (readings per slice: %1), blinded: %2 slices other "
                         "readers labelled wait for your reading (their labels stay out of your "
                         "model until then); %3 slices have their readings without you and are "
                         "not offered.")
                    : tr("Double reading (readings per slice: %1): %2 slices other readers "
                         "labelled wait for your reading; %3 slices have their readings without "
                         "you and are not offered."))
                   .arg(training->assignment.readingsPerSlice)
                   .arg(training->awaitingYou)
                   .arg(training->readWithoutYou);
    }
    d->team->setToolTip(tip.join(QStringLiteral("\n\n")));
    d->team->show();
  }
  refreshTrainingPanel();
  refreshVersionBox();
}

void LabelWindow::refreshLivePrediction() {
  // Each publication (SessionOptions::published): when the model has learned more labels than
  // the one on the panel while the reader stays on this slice, predict (and explain) it again,
  // once per publication, keeping what is shown until the new results replace it. The compare
  // view has its own "after" model.
  if (!d->session || !d->imageId || !d->image || !d->panelModelLabels || d->compare ||
      (d->overlay && d->explanationPending))
    return;
  const std::shared_ptr<const learning::Snapshot> latest = d->session->snapshot();
  if (latest->labelsSeen <= *d->panelModelLabels || latest->serial == d->refreshedSerial) return;
  d->refreshedSerial = latest->serial;
  d->explanationPending = d->overlay;
  d->worker->requestRefresh(d->generation, *d->imageId, *d->image,
                            d->overlay ? std::optional<HeatmapRequest>(d->heatmap) : std::nullopt);
}

void LabelWindow::showMessage(const QString& message) {
  d->message->setStyleSheet({});
  d->message->setText(message);
}

void LabelWindow::showError(const QString& message) {
  if (d->error.isEmpty()) d->error = message;
  d->message->setStyleSheet("color: #c00000;");
  d->message->setText(message);
  emit errorShown(message);
}

}  // namespace camlabel::ui
