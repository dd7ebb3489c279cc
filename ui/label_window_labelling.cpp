// SPDX-License-Identifier: Apache-2.0
// LabelWindow: moving between slices, recording decisions, and the worker's answers.

#include <QAction>
#include <QComboBox>
#include <QLocale>
#include <QSettings>
#include <QSignalBlocker>

#include <algorithm>
#include <exception>

#include "ui/class_panel.h"
#include "ui/image_canvas.h"
#include "ui/image_conversion.h"
#include "ui/label_window.h"
#include "ui/label_window_private.h"
#include "ui/language.h"
#include "ui/prediction_panel.h"

namespace camlabel::ui {

using namespace label_window_detail;

namespace {

QString percent(double share) {
  return QString::number(100.0 * share, 'f', 0) + QLatin1Char('%');
}

/// A sign that a heatmap should not be trusted, in the reader's language (core's English
/// sentence is what the CLI prints).
QString diagnosticText(const explain::DiagnosticWarning& w,
                       const explain::HeatmapDiagnostics& checks) {
  const QString value = percent(w.value);
  const QString limit = percent(w.threshold);
  switch (w.kind) {
    case explain::DiagnosticKind::kBorder:
      return LabelWindow::tr(
                 "%1 of the heatmap lies in the image border: the model may be "
                 "reading labels, markers or scanner text (threshold %2)")
          .arg(value, limit);
    case explain::DiagnosticKind::kCorner:
      return LabelWindow::tr(
                 "%1 of the heatmap lies in the image corners: the model may be "
                 "reading labels, markers or scanner text (threshold %2)")
          .arg(value, limit);
    case explain::DiagnosticKind::kUniform:
      if (w.empty)
        return LabelWindow::tr("the heatmap is empty: the model found no evidence for this class");
      return LabelWindow::tr(
                 "the heatmap is spread almost evenly (entropy %1 of 1, threshold "
                 "%2): nothing specific was found")
          .arg(QString::number(w.value, 'f', 2), QString::number(w.threshold, 'f', 2));
    case explain::DiagnosticKind::kOutsideBody:
      return LabelWindow::tr("%1 of the heatmap lies outside the body (threshold %2)")
          .arg(value, limit);
    case explain::DiagnosticKind::kOutsideLungs:
      return LabelWindow::tr("%1 of the heatmap lies outside the lungs (threshold %2)")
          .arg(value, limit);
    case explain::DiagnosticKind::kOneSided:
      break;
  }
  return (checks.leftShare > 0.5
              ? LabelWindow::tr("%1 of the heatmap lies on the image's left half (the patient's "
                                "right) for a finding that is not lateral: a position bias? "
                                "(threshold %2)")
              : LabelWindow::tr("%1 of the heatmap lies on the image's right half (the "
                                "patient's left) for a finding that is not lateral: a position "
                                "bias? (threshold %2)"))
      .arg(value, limit);
}

/// With double reading, the slices left undecided here have their readings without this
/// reader: none is offered.
bool othersHaveTheRest(session::Session& session) {
  const std::optional<session::TeamTraining> team = session.teamTraining();
  return team && team->readWithoutYou > 0;
}

}  // namespace

// --- moving and deciding ----------------------------------------------------------------------

void LabelWindow::moveTo(std::int64_t imageId) {
  d->startSlice.reset();
  d->imageId = imageId;
  d->image.reset();
  d->explanation.reset();
  d->comparison.reset();
  d->comparisonPending = false;
  d->beforeClass.reset();  // another image has another top 5
  {
    const QSignalBlocker blocker(d->beforeClassBox);
    d->beforeClassBox->clear();
  }
  d->shownBefore = QImage();
  d->error.clear();
  d->shown = QImage();
  ++d->generation;
  std::optional<std::int64_t> prefetch;
  try {
    d->index = static_cast<int>(d->session->indexOf(imageId));
    if (const auto next = d->session->imageAt(d->index + 1)) prefetch = next->id;
    d->classes->setCurrent(d->session->currentLabel(imageId));
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
  d->canvas->setImage({}, tr("Loading..."));
  d->prediction->showMessage(tr("Predicting..."));
  d->panelModelLabels.reset();
  d->explanationPending = d->overlay;
  d->suggestion.reset();
  d->worker->requestShow(d->generation, imageId,
                         d->overlay ? std::optional<HeatmapRequest>(d->heatmap) : std::nullopt,
                         prefetch,
                         d->order == learning::LabellingOrder::kFile
                             ? std::nullopt
                             : std::optional<learning::LabellingOrder>(d->order));
  refreshPosition();
  updateActions();
}

void LabelWindow::labelCurrent(int classIndex) {
  if (!d->session || !d->imageId) return;
  if (!d->image) {
    showMessage(d->error.isEmpty()
                    ? tr("Wait for the image to appear before labelling it.")
                    : tr("This image cannot be shown, so it cannot be labelled: press S to "
                         "skip it or Right to go on."));
    return;
  }
  try {
    const std::int64_t labelled = *d->imageId;
    const int index = d->index;
    const session::LabelOutcome outcome = d->session->label(labelled, classIndex);
    refreshCounts();
    const auto [next, why] = nextAfter(labelled, outcome.next);
    if (next) {
      moveTo(*next);
      showMessage(tr("Image %1 labelled %2.").arg(index + 1).arg(classIndex) + why);
    } else {
      d->classes->setCurrent(d->session->currentLabel(labelled));
      showMessage(othersHaveTheRest(*d->session)
                      ? tr("Image %1 labelled %2. No other slice needs your reading: the rest "
                           "have their readings (double reading).")
                            .arg(index + 1)
                            .arg(classIndex)
                      : tr("Image %1 labelled %2. Every image has a label now.")
                            .arg(index + 1)
                            .arg(classIndex));
    }
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::skipCurrent() {
  if (!d->session || !d->imageId) return;
  try {
    const std::int64_t skipped = *d->imageId;
    const int index = d->index;
    const session::LabelOutcome outcome = d->session->skip(skipped);
    refreshCounts();
    const auto [next, why] = nextAfter(skipped, outcome.next);
    if (next) {
      moveTo(*next);
      showMessage(tr("Image %1 skipped.").arg(index + 1) + why);
    } else {
      d->classes->setCurrent(d->session->currentLabel(skipped));
      showMessage(othersHaveTheRest(*d->session)
                      ? tr("Image %1 skipped. No other slice needs your reading: the rest have "
                           "their readings (double reading).")
                            .arg(index + 1)
                      : tr("Image %1 skipped. Every image has a decision now.").arg(index + 1));
    }
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::undo() {
  if (!d->session) return;
  try {
    const std::optional<std::int64_t> undone = d->session->undo();
    if (!undone) {
      showMessage(tr("Nothing to undo."));
      return;
    }
    refreshCounts();
    moveTo(*undone);
    showMessage(tr("Undid the last decision, on image %1.").arg(d->index + 1));
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

std::pair<std::optional<std::int64_t>, QString> LabelWindow::nextAfter(
    std::int64_t decided, std::optional<std::int64_t> fileNext) {
  if (d->order == learning::LabellingOrder::kFile || !fileNext) return {fileNext, QString()};
  const std::optional<session::Suggestion> chosen = d->suggestion;
  if (!chosen || chosen->imageId == decided || d->session->currentLabel(chosen->imageId)) {
    return {fileNext, tr(" The next slice was not chosen yet: file order.")};
  }
  d->session->goTo(chosen->imageId);
  if (d->order == learning::LabellingOrder::kRandom)
    return {chosen->imageId, tr(" Next: a random slice.")};
  if (d->order == learning::LabellingOrder::kSpread)
    return {chosen->imageId, tr(" Next: the slice farthest from those decided in its series.")};
  if (!chosen->choice) {
    return {chosen->imageId, tr(" Next in file order while the model looks at the slices "
                                "(%1 of %2 so far).")
                                 .arg(chosen->scored)
                                 .arg(chosen->undecided)};
  }
  const learning::InformativeChoice& c = *chosen->choice;
  if (c.reason == learning::ChoiceReason::kUnlike) {
    return {chosen->imageId,
            tr(" Next: the slice least like those labelled so far (the model has not learned "
               "yet).")};
  }
  const auto name = [this](int index) {
    return fromUtf8(schemeClassName(index, std::to_string(index)));
  };
  return {chosen->imageId, tr(" Next: the model is unsure between %1 (%2%) and %3 (%4%).")
                               .arg(name(c.first))
                               .arg(std::lround(c.firstProbability * 100))
                               .arg(name(c.second))
                               .arg(std::lround(c.secondProbability * 100))};
}

void LabelWindow::onSuggested(quint64 generation, const session::Suggestion& suggestion) {
  if (generation != d->generation) return;
  d->suggestion = suggestion;
  try {
    emit nextChosen(static_cast<int>(d->session->indexOf(suggestion.imageId)));
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

learning::LabellingOrder LabelWindow::labellingOrder() const {
  return d->order;
}

std::optional<session::Suggestion> LabelWindow::pendingSuggestion() const {
  return d->suggestion;
}

void LabelWindow::setLabellingOrder(learning::LabellingOrder order) {
  d->order = order;
  d->orderActions[static_cast<std::size_t>(order)]->setChecked(true);
  QSettings().setValue(QStringLiteral("labelling/order"),
                       QString::fromUtf8(learning::labellingOrderName(order).data()));
  // The slice on screen gets its choice of what follows.
  if (d->session && d->imageId) moveTo(*d->imageId);
}

void LabelWindow::showNext() {
  if (!d->session || !d->imageId) return;
  try {
    if (const auto next = d->session->imageAt(d->index + 1)) {
      d->session->goTo(next->id);
      moveTo(next->id);
    }
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::showPrevious() {
  if (!d->session || !d->imageId || d->index <= 0) return;
  try {
    if (const auto previous = d->session->imageAt(d->index - 1)) {
      d->session->goTo(previous->id);
      moveTo(previous->id);
    }
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

void LabelWindow::stepInSeries(int step) {
  if (!d->session || !d->imageId) return;
  try {
    if (const auto neighbour = d->session->neighbourInSeries(*d->imageId, step)) {
      d->session->goTo(neighbour->id);
      moveTo(neighbour->id);
    }
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
  }
}

// --- what the worker answers ------------------------------------------------------------------

void LabelWindow::onImageLoaded(quint64 generation, std::int64_t imageId,
                                const imaging::CtImage& image) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->image = image;
  render();
  refreshPosition();
  if (d->overlay && !d->explanationPending) requestExplanation();
  if (d->compare && !d->comparisonPending) requestComparison();
  emit imageShown(d->index);
}

void LabelWindow::onImageFailed(quint64 generation, std::int64_t imageId, const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->error = message;
  d->canvas->setImage({}, tr("%1\n\nPress S to skip this image or Right to go on.").arg(message));
  d->prediction->showMessage(tr("No prediction: the image cannot be read."));
  refreshPosition();
  showError(message);
}

std::string LabelWindow::schemeClassName(int index, const std::string& english) const {
  if (!d->session) return english;
  const project::ClassScheme& scheme = d->session->settings().scheme;
  if (index < 0 || index >= static_cast<int>(scheme.classes.size())) return english;
  return scheme.className(index, uiLanguage());
}

void LabelWindow::onPredicted(quint64 generation, const session::ShownPrediction& prediction) {
  if (generation != d->generation || prediction.imageId != d->imageId) return;
  // The scheme's names in the interface's language (the model knows the English ones).
  session::ShownPrediction shown = prediction;
  for (model::ClassScore& score : shown.prediction.top)
    score.name = schemeClassName(score.index, score.name);
  d->prediction->showPrediction(shown);
  d->panelModelLabels = prediction.labelsSeen;
  emit predictionShown(d->index);
}

void LabelWindow::onPredictionFailed(quint64 generation, std::int64_t imageId,
                                     const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->prediction->showMessage(tr("No prediction: %1").arg(message));
  showError(message);
}

void LabelWindow::onExplained(quint64 generation, const HeatmapRequest& heatmap,
                              const session::Explanation& explanation) {
  if (generation != d->generation || explanation.imageId != d->imageId ||
      heatmap.ticket != d->heatmap.ticket)
    return;
  d->explanation = explanation;
  d->explainedWith = heatmap;
  d->explanationPending = false;
  render();
  // Signs that this heatmap should not be trusted (OpenCV only: cheap on the GUI thread).
  QStringList warnings;
  try {
    const explain::HeatmapDiagnostics checks =
        explain::diagnoseHeatmap(explanation.map, d->image ? &*d->image : nullptr, d->thresholds);
    for (const explain::DiagnosticWarning& w : checks.warnings)
      warnings << diagnosticText(w, checks);
  } catch (const std::exception& e) {
    warnings << fromUtf8(e.what());
  }
  showMessage(tr("Heatmap: %1 for %2 (%3%), model %4. Checks: %5.")
                  .arg(camMethodTitle(heatmap.method))
                  .arg(fromUtf8(schemeClassName(explanation.classIndex, explanation.className)))
                  .arg(100.0 * explanation.probability, 0, 'f', 1)
                  .arg(modelName(explanation.model))
                  .arg(warnings.isEmpty() ? tr("no warning signs") : warnings.join("; ")));
  emit explanationShown(d->index);
}

void LabelWindow::onExplanationFailed(quint64 generation, std::int64_t imageId,
                                      const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->explanationPending = false;
  showError(tr("No heatmap: %1").arg(message));
}

}  // namespace camlabel::ui
