// SPDX-License-Identifier: Apache-2.0
#include "ui/screenshot.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include "ui/adjudication_dialog.h"
#include "ui/agreement_dialog.h"
#include "ui/label_window.h"

namespace camlabel::ui {
namespace {

/// Runs the event loop until `signal` of the window fires, a problem is shown, or the deadline.
template <typename Signal>
void waitFor(LabelWindow& window, Signal signal, const QDeadlineTimer& deadline) {
  if (deadline.hasExpired()) return;
  QEventLoop loop;
  QObject::connect(&window, signal, &loop, &QEventLoop::quit);
  QObject::connect(&window, &LabelWindow::openFailed, &loop, &QEventLoop::quit);
  QObject::connect(&window, &LabelWindow::errorShown, &loop, &QEventLoop::quit);
  QTimer::singleShot(static_cast<int>(deadline.remainingTime()), &loop, &QEventLoop::quit);
  loop.exec();
}

/// Runs the event loop until `signal` of `sender` fires or the deadline.
template <typename Sender, typename Signal>
void waitForSignal(Sender* sender, Signal signal, const QDeadlineTimer& deadline) {
  if (deadline.hasExpired()) return;
  QEventLoop loop;
  QObject::connect(sender, signal, &loop, &QEventLoop::quit);
  QTimer::singleShot(static_cast<int>(deadline.remainingTime()), &loop, &QEventLoop::quit);
  loop.exec();
}

}  // namespace

std::optional<ScreenshotView> parseScreenshotView(const QString& name) {
  if (name == QLatin1String("labelling")) return ScreenshotView::kLabelling;
  if (name == QLatin1String("overlay")) return ScreenshotView::kOverlay;
  if (name == QLatin1String("compare")) return ScreenshotView::kCompare;
  if (name == QLatin1String("training")) return ScreenshotView::kTraining;
  if (name == QLatin1String("help")) return ScreenshotView::kHelp;
  if (name == QLatin1String("agreement")) return ScreenshotView::kAgreement;
  if (name == QLatin1String("disagreements")) return ScreenshotView::kDisagreements;
  if (name == QLatin1String("new-project-pacs")) return ScreenshotView::kNewProjectPacs;
  return std::nullopt;
}

QImage captureWindow(LabelWindow& window, ScreenshotView view, int timeoutMs) {
  const QDeadlineTimer deadline(timeoutMs);
  {
    QEventLoop loop;
    QObject::connect(&window, &LabelWindow::predictionShown, &loop, &QEventLoop::quit);
    QObject::connect(&window, &LabelWindow::openFailed, &loop, &QEventLoop::quit);
    QObject::connect(&window, &LabelWindow::errorShown, &loop, &QEventLoop::quit);
    QObject::connect(&window, &LabelWindow::sessionOpened, &loop, [&window, &loop] {
      if (window.imageCount() == 0) loop.quit();
    });
    QTimer::singleShot(static_cast<int>(deadline.remainingTime()), &loop, &QEventLoop::quit);
    loop.exec();
  }
  const bool showing = window.session() != nullptr && window.currentIndex() >= 0;
  if (showing) {
    switch (view) {
      case ScreenshotView::kLabelling:
        break;
      case ScreenshotView::kOverlay:
        if (!window.overlayEnabled()) {
          window.toggleOverlay();
          waitFor(window, &LabelWindow::explanationShown, deadline);
        }
        break;
      case ScreenshotView::kCompare:
        if (!window.compareEnabled()) {
          window.toggleCompare();
          waitFor(window, &LabelWindow::comparisonShown, deadline);
        }
        break;
      case ScreenshotView::kTraining:
        if (!window.trainingPanelVisible()) window.toggleTrainingPanel();
        break;
      case ScreenshotView::kHelp:
        if (!window.helpVisible()) window.toggleHelp();
        break;
      case ScreenshotView::kAgreement: {
        AgreementDialog dialog(&window, *window.session());
        dialog.show();
        if (dialog.measuring()) waitForSignal(&dialog, &AgreementDialog::measured, deadline);
        QApplication::processEvents();
        return dialog.grab().toImage();
      }
      case ScreenshotView::kDisagreements: {
        AdjudicationDialog dialog(&window, window.session()->settings(),
                                  window.session()->annotator());
        dialog.show();
        waitForSignal(&dialog, &AdjudicationDialog::queueShown, deadline);
        QApplication::processEvents();
        return dialog.grab().toImage();
      }
      case ScreenshotView::kNewProjectPacs:
        break;  // not a view of a project
    }
  }
  QApplication::processEvents();
  return window.grab().toImage();
}

}  // namespace camlabel::ui
