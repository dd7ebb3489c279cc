// SPDX-License-Identifier: Apache-2.0
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenuBar>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>

#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <algorithm>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "core/imaging/phantom.h"
#include "core/imaging/window.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/session/session.h"
#include "core/team/team_server.h"
#include "postgres_server.h"
#include "ui/image_canvas.h"
#include "ui/image_conversion.h"
#include "ui/key_bindings.h"
#include "ui/label_window.h"
#include "ui/language.h"
#include "ui/settings_dialog.h"
#include "ui/training_panel.h"
#include "ui_test_support.h"

namespace camlabel::ui {

namespace fs = std::filesystem;

namespace {

/// Turns the wheel by `notches` (positive: away from the user) over `at`.
void turnWheel(QWidget* widget, QPoint at, int notches) {
  QWheelEvent event(QPointF(at), QPointF(widget->mapToGlobal(at)), QPoint(),
                    QPoint(0, 120 * notches), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                    false);
  QApplication::sendEvent(widget, &event);
}

/// Presses `button` at `from`, moves to `to` holding it and releases it there.
void drag(QWidget* widget, Qt::MouseButton button, QPoint from, QPoint to) {
  auto send = [widget](QEvent::Type type, QPoint at, Qt::MouseButton b, Qt::MouseButtons held) {
    QMouseEvent event(type, QPointF(at), QPointF(widget->mapToGlobal(at)), b, held, Qt::NoModifier);
    QApplication::sendEvent(widget, &event);
  };
  send(QEvent::MouseButtonPress, from, button, button);
  send(QEvent::MouseMove, (from + to) / 2, Qt::NoButton, button);
  send(QEvent::MouseMove, to, Qt::NoButton, button);
  send(QEvent::MouseButtonRelease, to, button, Qt::NoButton);
}

/// The image point (fractions of its size) painted at canvas point `at`.
QPointF imagePointAt(const ImageCanvas& canvas, QPointF at) {
  const QRectF r = canvas.imageRect();
  return {(at.x() - r.left()) / r.width(), (at.y() - r.top()) / r.height()};
}

}  // namespace

/// Chooses the item whose data is `value`, as a click in the list does.
bool choose(QWidget& window, const char* name, int value) {
  auto* box = window.findChild<QComboBox*>(name);
  if (box == nullptr || box->findData(value) < 0) return false;
  box->setCurrentIndex(box->findData(value));
  return true;
}

/// The View menu's overlay command, as the menu shows it.
QString overlayMenuText(const QWidget& window) {
  for (const QAction* action : window.findChildren<QAction*>())
    if (action->text().startsWith("&Heatmap overlay")) return action->text();
  return {};
}

/// What a clinician sees in the labelling window on a small phantom project with a tiny network
/// (it trains in milliseconds), driven by the keys.
class LabelWindowTest : public QObject {
  Q_OBJECT

 private:
  static constexpr int kImages = 10;
  /// Generous for a tiny network on a loaded 2-core machine; each wait ends at its signal.
  static constexpr int kWaitMs = 8000;

  std::unique_ptr<QTemporaryDir> dir_;

  fs::path root() const { return dir_->path().toStdString(); }
  fs::path projectDir() const { return root() / "project"; }
  fs::path imageFile(const project::ImageRecord& record) const {
    return root() / "data" / "images" / record.relativePath;
  }

  static session::SessionOptions tinyOptions() {
    session::SessionOptions options;
    options.annotator = "dr-test";
    options.config = model::ResNetConfig{{1, 1, 1, 1}, 8, 10};
    options.tuneTrainer = [](learning::TrainerOptions& t) {
      t.idleTraining = false;  // counts steps and versions exactly; idle training: trainer_test
      t.stepsPerLabel = 1;
      t.batchSize = 4;
      t.microBatch = 4;
    };
    return options;
  }

  /// The project's image at a 0-based index, read with the project closed again at once.
  project::ImageRecord imageAt(int index) const {
    auto project = project::Project::open(projectDir());
    return project->imageAt(index).value();
  }

  /// A window on the project, shown and active (shortcuts reach only the active window), once
  /// its first image and that image's prediction are on screen.
  [[nodiscard]] bool openWindow(std::unique_ptr<LabelWindow>& window,
                                session::SessionOptions options = tinyOptions()) const {
    window = std::make_unique<LabelWindow>(projectDir(), std::move(options));
    QSignalSpy predicted(window.get(), &LabelWindow::predictionShown);
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowActive(window.get(), kWaitMs)) return false;
    if (predicted.isEmpty() && !predicted.wait(kWaitMs)) {
      qWarning() << "no prediction shown:" << window->statusText();
      return false;
    }
    return !window->displayedImage().isNull();
  }

  /// Presses a key and waits until the image it leads to is on screen.
  [[nodiscard]] static bool pressAndWaitForImage(LabelWindow& window, Qt::Key key,
                                                 Qt::KeyboardModifiers modifiers = {}) {
    QSignalSpy shown(&window, &LabelWindow::imageShown);
    QTest::keyClick(&window, key, modifiers);
    return shown.wait(kWaitMs) && !window.displayedImage().isNull();
  }

  /// Gives `labels` labels, each once its prediction is on screen, and waits until all are
  /// trained: v1 is written after the fifth.
  [[nodiscard]] static bool labelAndTrain(LabelWindow& window, int labels) {
    for (int i = 0; i < labels; ++i) {
      QSignalSpy predicted(&window, &LabelWindow::predictionShown);
      if (!pressAndWaitForImage(window, i % 2 == 0 ? Qt::Key_2 : Qt::Key_1)) return false;
      if (predicted.isEmpty() && !predicted.wait(kWaitMs)) return false;
    }
    QElapsedTimer timer;
    timer.start();
    // The published weights, not just the trainer's count: the window predicts with those.
    while (window.session()->snapshot()->labelsSeen < labels && timer.elapsed() < kWaitMs)
      QTest::qWait(20);
    return window.session()->snapshot()->labelsSeen == labels;
  }

  /// Turns the compare view on and waits for its first comparison.
  [[nodiscard]] static bool compare(LabelWindow& window) {
    QSignalSpy compared(&window, &LabelWindow::comparisonShown);
    QTest::keyClick(&window, Qt::Key_V);
    return window.compareEnabled() && compared.wait(kWaitMs);
  }

  /// Chooses the item at `index` of a combo box, as a click in the list does, and waits for the
  /// comparison it asks for.
  [[nodiscard]] static bool chooseAndCompare(LabelWindow& window, const char* name, int index) {
    auto* box = window.findChild<QComboBox*>(name);
    if (box == nullptr || !box->isVisibleTo(&window) || index >= box->count()) return false;
    QSignalSpy compared(&window, &LabelWindow::comparisonShown);
    box->setCurrentIndex(index);
    return compared.wait(kWaitMs);
  }

 private slots:
  void initTestCase() {
    test::quietOffscreenPlatform();
    // As the app starts: English, with the singular and plural of texts that count.
    QVERIFY(setUiLanguage("en"));
    // The window reads its keys from the settings: never the user's own file.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
  }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    imaging::PhantomSetOptions phantoms;
    phantoms.count = kImages;
    phantoms.size = 64;
    phantoms.seed = 21;
    imaging::writePhantomSet(root() / "data", phantoms);
    project::ProjectSettings settings;
    settings.imageRoot = root() / "data" / "images";
    settings.modelSize = 64;
    settings.trainingMode = "full";
    settings.snapshotEvery = 5;
    settings.seed = 3;
    auto created = project::Project::create(projectDir(), settings);
    QCOMPARE(created->importImages().added, kImages);
  }

  void cleanup() {
    dir_.reset();
    QSettings().clear();
  }

  void showsTheFirstImageWindowedAndAnUntrainedPrediction() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QCOMPARE(window->currentIndex(), 0);
    QCOMPARE(window->imageCount(), kImages);
    QVERIFY(window->errorText().isEmpty());
    QVERIFY(window->currentWindow() == imaging::kLungWindow);
    const project::ImageRecord first = window->session()->imageAt(0).value();
    const QImage expected = toQImage(
        imaging::renderWindowed8(imaging::readImage(imageFile(first)), imaging::kLungWindow));
    QCOMPARE(window->displayedImage(), expected);

    const QString status = window->statusText();
    QVERIFY2(status.contains("Image 1 of 10"), qPrintable(status));
    QVERIFY2(status.contains(QString::fromStdString(first.relativePath)), qPrintable(status));
    QVERIFY2(status.contains("Labelled 0, skipped 0, unlabelled 10"), qPrintable(status));
    QVERIFY2(status.contains("Training: 0 queued, 0 labels seen | Model base"), qPrintable(status));
    const QString prediction = window->predictionText();
    QCOMPARE(prediction.count('%'), 5);
    QVERIFY2(prediction.contains("Model: base"), qPrintable(prediction));
    QVERIFY2(prediction.contains("Untrained model"), qPrintable(prediction));
    QCOMPARE(window->highlightedClass(), -1);
  }

  // Issue 14: the slice the session starts at is on screen while the model is still being
  // built (a ResNet50 takes seconds); the session then shows the same slice, and only then do
  // the label keys act.
  void theFirstSliceIsShownBeforeTheModelIsReady() {
    const project::ImageRecord fourth = imageAt(3);
    project::Project::open(projectDir())->setPosition(fourth.id);
    session::SessionOptions options = tinyOptions();
    const auto tune = options.tuneTrainer;
    options.tuneTrainer = [tune](learning::TrainerOptions& t) {
      tune(t);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a slow model to build
    };
    LabelWindow window(projectDir(), std::move(options));
    QSignalSpy preview(&window, &LabelWindow::previewShown);
    QSignalSpy opened(&window, &LabelWindow::sessionOpened);
    window.show();
    QVERIFY(preview.wait(kWaitMs));
    QVERIFY(opened.isEmpty());
    QVERIFY(window.session() == nullptr);
    const QImage expected = toQImage(
        imaging::renderWindowed8(imaging::readImage(imageFile(fourth)), imaging::kLungWindow));
    QCOMPARE(window.displayedImage(), expected);
    QVERIFY2(window.predictionText().contains("The model is loading"),
             qPrintable(window.predictionText()));

    QSignalSpy predicted(&window, &LabelWindow::predictionShown);
    QVERIFY(opened.wait(kWaitMs));
    QVERIFY(!predicted.isEmpty() || predicted.wait(kWaitMs));
    QCOMPARE(window.currentIndex(), 3);
    QCOMPARE(window.displayedImage(), expected);
  }

  // Issue 14: the labelling window with the training panel open fits a 1366x768 laptop screen
  // (it grew past 1,000 pixels high): what its layout needs at least, menus, toolbars, dock and
  // status line included, and the size it takes when the screen gives it 1366x768.
  void theWindowWithTheTrainingPanelFitsALaptopScreen() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QTest::keyClick(window.get(), Qt::Key_T);
    QVERIFY(window->trainingPanelVisible());
    QCoreApplication::processEvents();
    // A title bar takes about 32 pixels of the screen's 768.
    const QSize needed = window->minimumSizeHint().expandedTo(window->minimumSize());
    QVERIFY2(needed.width() <= 1366 && needed.height() <= 768 - 32,
             qPrintable(QStringLiteral("%1x%2").arg(needed.width()).arg(needed.height())));
    window->resize(1366, 768 - 32);
    QCoreApplication::processEvents();
    QVERIFY2(window->height() <= 768 - 32 && window->width() <= 1366,
             qPrintable(QStringLiteral("%1x%2").arg(window->width()).arg(window->height())));
  }

  void aDigitStoresTheLabelBeforeTheNextImageAppears() {
    const std::int64_t first = imageAt(0).id;
    {
      std::unique_ptr<LabelWindow> window;
      QVERIFY(openWindow(window));
      const QString topShown = window->predictionText().section('\n', 0, 0);
      QSignalSpy shown(window.get(), &LabelWindow::imageShown);
      QTest::keyClick(window.get(), Qt::Key_3);
      // Committed, and the view already on the next image, before any event is processed.
      const auto stored = window->session()->currentLabel(first);
      QVERIFY(stored.has_value());
      QCOMPARE(stored->classIndex, 3);
      QCOMPARE(stored->annotator, std::string("dr-test"));
      // With the prediction that was on screen as its context.
      QVERIFY(stored->context.predictedClass.has_value());
      const std::string predicted =
          window->session()->settings().scheme.className(*stored->context.predictedClass, "en");
      QVERIFY2(topShown.startsWith(QString::fromStdString(predicted) + ' '), qPrintable(topShown));
      QCOMPARE(window->currentIndex(), 1);
      QVERIFY(shown.wait(kWaitMs));
      QCOMPARE(shown.takeFirst().at(0).toInt(), 1);
      const QString status = window->statusText();
      QVERIFY2(status.contains("Image 2 of 10"), qPrintable(status));
      QVERIFY2(status.contains("Image 1 labelled 3"), qPrintable(status));
      QVERIFY2(status.contains("Labelled 1, skipped 0, unlabelled 9"), qPrintable(status));
      QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains("1 label seen"), kWaitMs);
    }
    // The window is gone and the project free again: the store has the label.
    auto project = project::Project::open(projectDir());
    const auto stored = project->currentLabel(first);
    QVERIFY(stored.has_value());
    QCOMPARE(stored->classIndex, 3);
  }

  void pageKeysStepAlongADicomSeriesAndThePositionSaysWhere() {
    // The project again, made of the phantom's DICOM files: one series, 5 mm apart.
    fs::remove_all(projectDir());
    imaging::PhantomSetOptions phantoms;
    phantoms.count = 4;
    phantoms.size = 64;
    phantoms.seed = 22;
    phantoms.writeDicom = true;
    imaging::writePhantomSet(root() / "dicomdata", phantoms);
    {
      project::ProjectSettings settings;
      settings.imageRoot = root() / "dicomdata" / "dicom";
      settings.modelSize = 64;
      settings.trainingMode = "full";
      auto created = project::Project::create(projectDir(), settings);
      QCOMPARE(created->importImages().added, 4);
    }
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY2(window->statusText().contains("series 1 of 1, slice 1 of 4, z 0.0 mm"),
             qPrintable(window->statusText()));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_PageDown));
    QCOMPARE(window->currentIndex(), 1);
    QVERIFY2(window->statusText().contains("series 1 of 1, slice 2 of 4, z -5.0 mm"),
             qPrintable(window->statusText()));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_PageDown));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_PageUp));
    QCOMPARE(window->currentIndex(), 1);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_PageUp));
    QCOMPARE(window->currentIndex(), 0);
    QTest::keyClick(window.get(), Qt::Key_PageUp);  // the head end of the series
    QCOMPARE(window->currentIndex(), 0);
    // A label still goes to the slice on screen and moves on.
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_3));
    QCOMPARE(window->session()->currentLabel(window->session()->imageAt(0)->id)->classIndex, 3);
  }

  void skipLeftAndUndoMoveWhereTheUserExpects() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    session::Session& session = *window->session();
    const std::int64_t first = session.imageAt(0)->id;
    const std::int64_t second = session.imageAt(1)->id;

    QVERIFY(pressAndWaitForImage(*window, Qt::Key_S));
    QCOMPARE(window->currentIndex(), 1);
    QVERIFY(session.currentLabel(first)->skipped);
    QVERIFY(window->statusText().contains("Image 1 skipped"));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_5));
    QCOMPARE(window->currentIndex(), 2);

    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Left));
    QCOMPARE(window->currentIndex(), 1);
    QCOMPARE(window->highlightedClass(), 5);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Left));
    QCOMPARE(window->currentIndex(), 0);
    QCOMPARE(window->highlightedClass(), -1);
    QTest::keyClick(window.get(), Qt::Key_Left);  // already the first image
    QCOMPARE(window->currentIndex(), 0);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Right));
    QCOMPARE(window->currentIndex(), 1);

    // Undo goes back to the image whose decision it reverts.
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Right));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Z, Qt::ControlModifier));
    QCOMPARE(window->currentIndex(), 1);
    QVERIFY(!session.currentLabel(second).has_value());
    QCOMPARE(window->highlightedClass(), -1);
    QVERIFY(window->statusText().contains("Undid the last decision, on image 2"));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Z, Qt::ControlModifier));
    QCOMPARE(window->currentIndex(), 0);
    QVERIFY(!session.currentLabel(first).has_value());
    QVERIFY(window->statusText().contains("Labelled 0, skipped 0, unlabelled 10"));
    QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(window->statusText().contains("Nothing to undo"));
    QCOMPARE(window->currentIndex(), 0);
  }

  void theModelsChoiceComesNextAndTheWindowSaysWhy() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QCOMPARE(window->labellingOrder(), learning::LabellingOrder::kFile);
    QVERIFY(labelAndTrain(*window, 2));  // classes 2 and 1: a model that has learned something
    // The first choice has no features cached yet (file order stands in, and says so); the
    // worker computes some after it, so asking again for the same slice finds them.
    std::optional<session::Suggestion> suggestion;
    for (int attempt = 0; attempt < 5 && !(suggestion && suggestion->choice); ++attempt) {
      QSignalSpy chosen(window.get(), &LabelWindow::nextChosen);
      window->setLabellingOrder(learning::LabellingOrder::kUncertain);
      QVERIFY(chosen.wait(kWaitMs));
      suggestion = window->pendingSuggestion();
      QVERIFY(suggestion);
      if (attempt == 0) {
        QVERIFY(!suggestion->choice);
        QCOMPARE(suggestion->scored, 0);
      }
    }
    QVERIFY(suggestion && suggestion->choice);
    QCOMPARE(suggestion->choice->reason, learning::ChoiceReason::kUncertain);
    const std::int64_t onScreen = window->session()->imageAt(window->currentIndex())->id;
    QVERIFY(suggestion->imageId != onScreen);
    QVERIFY(!window->session()->currentLabel(suggestion->imageId));

    QVERIFY(pressAndWaitForImage(*window, Qt::Key_3));
    QCOMPARE(window->session()->imageAt(window->currentIndex())->id, suggestion->imageId);
    QCOMPARE(*window->session()->position(), suggestion->imageId);  // where a session resumes
    const QString status = window->statusText();
    QVERIFY2(status.contains("Next: the model is unsure between"), qPrintable(status));
    QCOMPARE(QSettings().value("labelling/order").toString(), QString("uncertain"));
  }

  // Issue 14: the panel follows the newest model while the reader stays on a slice.
  void aNewerModelRefreshesThePredictionWithoutAKeyPress() {
    session::SessionOptions options = tinyOptions();
    options.tuneTrainer = [](learning::TrainerOptions& t) {
      t.idleTraining = false;
      t.stepsPerLabel = 10;  // the label's round outlasts the next slice's prediction
      t.batchSize = 4;
      t.microBatch = 4;
    };
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window, std::move(options)));
    QSignalSpy predicted(window.get(), &LabelWindow::predictionShown);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_2));
    QVERIFY(!predicted.isEmpty() || predicted.wait(kWaitMs));
    const QString first = window->predictionText();
    QVERIFY2(first.contains("Model: base") && !first.contains("1 label"), qPrintable(first));
    // No key press from here: the trainer publishes "base + 1 label" and the panel follows, once.
    QTRY_VERIFY_WITH_TIMEOUT(window->predictionText().contains("Model: base + 1 label"),
                             4 * kWaitMs);
    QCOMPARE(window->currentIndex(), 1);
    const int shown = static_cast<int>(predicted.size());
    QTest::qWait(1500);  // three polls of the trainer: no newer model, no other refresh
    QCOMPARE(static_cast<int>(predicted.size()), shown);
  }

  void onlyTheLastOfManyQuickMovesIsShown() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QSignalSpy shown(window.get(), &LabelWindow::imageShown);
    QSignalSpy predicted(window.get(), &LabelWindow::predictionShown);
    for (int i = 0; i < 5; ++i)
      QTest::keyClick(window.get(), Qt::Key_Right);
    QCOMPARE(window->currentIndex(), 5);
    QVERIFY(predicted.wait(kWaitMs));
    QTest::qWait(200);  // anything stale still on its way arrives, and must be dropped
    QVERIFY(!shown.isEmpty());
    for (const QList<QVariant>& signal : shown)
      QCOMPARE(signal.at(0).toInt(), 5);
    for (const QList<QVariant>& signal : predicted)
      QCOMPARE(signal.at(0).toInt(), 5);
    const QImage expected = toQImage(imaging::renderWindowed8(
        imaging::readImage(imageFile(*window->session()->imageAt(5))), imaging::kLungWindow));
    QCOMPARE(window->displayedImage(), expected);
    QVERIFY(window->statusText().contains("Image 6 of 10"));
  }

  void cTogglesTheHeatmapOverTheImage() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    const QImage plain = window->displayedImage();
    QVERIFY(plain.isGrayscale());
    QSignalSpy explained(window.get(), &LabelWindow::explanationShown);
    QTest::keyClick(window.get(), Qt::Key_C);
    QVERIFY(window->overlayEnabled());
    QVERIFY(explained.wait(kWaitMs));
    const QImage overlaid = window->displayedImage();
    QCOMPARE(overlaid.size(), plain.size());
    QVERIFY(overlaid != plain);
    QVERIFY(!overlaid.isGrayscale());
    QVERIFY2(window->statusText().contains("Grad-CAM for"), qPrintable(window->statusText()));
    // The heatmap's trust checks are shown with it.
    QVERIFY2(window->statusText().contains("Checks: "), qPrintable(window->statusText()));
    QTest::keyClick(window.get(), Qt::Key_C);
    QVERIFY(!window->overlayEnabled());
    QCOMPARE(window->displayedImage(), plain);

    // On, it follows the user to the next image.
    QTest::keyClick(window.get(), Qt::Key_C);
    explained.clear();
    QTest::keyClick(window.get(), Qt::Key_Right);
    QVERIFY(explained.wait(kWaitMs));
    QCOMPARE(explained.last().at(0).toInt(), 1);
    QVERIFY(!window->displayedImage().isGrayscale());
  }

  void aTeamProjectSaysWhetherItsLabelsReachedTheServer() {
    camlabel::test::PostgresServer pg;
    const std::string address = pg.createDatabase("team");
    team::joinTeamServer(*project::Project::open(projectDir()), address);
    const auto rowsOnServer = [&] { return team::TeamServer(address).labelRows(); };
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_3));
    QTRY_COMPARE_WITH_TIMEOUT(rowsOnServer(), std::int64_t{1}, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains("Team server: all labels sent"),
                             kWaitMs);

    pg.stop();  // the label is kept here, and the status bar says so
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_4));
    QTRY_VERIFY_WITH_TIMEOUT(
        window->statusText().contains("Team server unreachable: 1 label kept on this computer"),
        kWaitMs);
    pg.start();  // sent on the next retry, without a key press
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains("Team server: all labels sent"),
                             kWaitMs * 2);
    QCOMPARE(rowsOnServer(), std::int64_t{2});

    // What the model learns from: the team's consensus (here, this reader's two labels), in the
    // field's tooltip; Settings switch it to this reader's labels, at once and in the project.
    auto* team = window->findChild<QLabel*>("teamStatus");
    QVERIFY(team != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(team->toolTip().contains("the team's consensus: 2 slices"), kWaitMs);
    {
      QSettings settings;
      SettingsDialog dialog(settings, window->session(), window.get());
      auto* source = dialog.findChild<QComboBox*>("teamTraining");
      QVERIFY(source != nullptr);
      QCOMPARE(dialog.teamTraining(), QString("consensus"));
      source->setCurrentIndex(source->findData(QString("own")));
      dialog.accept();
      QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    QVERIFY(!window->session()->teamTraining()->consensus);
    QCOMPARE(window->session()->storedSettings().teamTraining, std::string("own"));
    QTRY_VERIFY_WITH_TIMEOUT(team->toolTip().contains("your labels only"), kWaitMs);
  }

  void withDoubleReadingTheWindowMovesOnFromASliceReadWithoutThisReader() {
    camlabel::test::PostgresServer pg;
    const std::string address = pg.createDatabase("team");
    team::joinTeamServer(*project::Project::open(projectDir()), address);
    team::TeamServer server(address);
    server.setAssignment({1, true}, "owner");  // one reading a slice
    // Another reader has read the first two slices: the window opens on the first (it is
    // chosen before the team's labels are read), then goes on to the third by itself.
    std::vector<project::LoggedLabel> others;
    for (int i = 0; i < 2; ++i) {
      project::LoggedLabel l;
      l.id = i + 1;
      l.action = "label";
      l.classIndex = 4;
      l.annotator = "dr.other";
      l.time = "2026-12-07T08:00:00.000Z";
      l.imageSha256 = imageAt(i).sha256;
      l.imagePath = imageAt(i).relativePath;
      others.push_back(l);
    }
    server.send("ws-other", others);
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains("Moved on to image 3: the first slice "
                                                           "had its readings without you"),
                             kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains("Image 3 of"), kWaitMs);
    auto* team = window->findChild<QLabel*>("teamStatus");
    QVERIFY(team != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(team->toolTip().contains("2 slices have their readings without you"),
                             kWaitMs);
    // At one reading a slice those two are not this reader's to read: nothing to blind, the
    // model learns their class.
    QVERIFY2(team->toolTip().contains("the team's consensus: 2 slices"),
             qPrintable(team->toolTip()));
  }

  void japaneseShowsTheInterfaceAndClassNamesInJapanese() {
    QVERIFY(setUiLanguage("ja"));
    std::unique_ptr<LabelWindow> window;
    const bool opened = openWindow(window);
    const QString status = window ? window->statusText() : QString();
    const QString prediction = window ? window->predictionText() : QString();
    QTest::keyClick(window.get(), Qt::Key_H);
    const QString help = window ? window->helpText() : QString();
    // The compare view names both models in Japanese too (core names them as data).
    bool comparedInTime = false;
    QString captions;
    if (window) {
      QSignalSpy compared(window.get(), &LabelWindow::comparisonShown);
      QTest::keyClick(window.get(), Qt::Key_V);
      comparedInTime = compared.wait(kWaitMs);
      captions = window->compareText();
    }
    window.reset();
    QVERIFY(setUiLanguage("en"));  // before any check can fail: later tests expect English
    QVERIFY(opened);
    QVERIFY(comparedInTime);
    QVERIFY2(captions.contains(QString::fromUtf8("ImageNet の構造、ランダムな重み")) &&
                 !captions.contains("random weights") && !captions.contains("base"),
             qPrintable(captions));
    QVERIFY2(prediction.contains(QString::fromUtf8("ベース")), qPrintable(prediction));
    QVERIFY2(status.contains(QString::fromUtf8("枚中")), qPrintable(status));
    // The scheme's Japanese class names, in the help and the prediction.
    QVERIFY2(help.contains(QString::fromUtf8("正常")), qPrintable(help));
    QVERIFY2(help.contains(QString::fromUtf8("キー")), qPrintable(help));
    const bool japanese = std::any_of(prediction.begin(), prediction.end(), [](QChar c) {
      return c.unicode() >= 0x3040 && c.unicode() <= 0x9FFF;  // kana and kanji
    });
    QVERIFY2(japanese && !prediction.contains("Normal"), qPrintable(prediction));
    QVERIFY(!setUiLanguage("fr"));
  }

  void theHeatmapToolbarChangesOpacityMethodClassAndColours() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QCOMPARE(window->heatmapOpacity(), 0.45);
    QVERIFY(window->heatmapMethod() == explain::CamMethod::GradCam);
    QVERIFY(!window->heatmapClass().has_value());
    QVERIFY(window->heatmapColormap() == explain::CamColormap::Jet);
    QCOMPARE(overlayMenuText(*window), QString("&Heatmap overlay (Grad-CAM)"));
    QSignalSpy explained(window.get(), &LabelWindow::explanationShown);
    QTest::keyClick(window.get(), Qt::Key_C);
    QVERIFY(explained.wait(kWaitMs));
    QVERIFY(window->explainedMethod() == explain::CamMethod::GradCam);
    const QImage jet45 = window->displayedImage();

    // Opacity: none leaves the gray image, more shows more colour.
    auto* opacity = window->findChild<QSlider*>("heatmapOpacity");
    QVERIFY(opacity != nullptr);
    QCOMPARE(opacity->value(), 45);
    opacity->setValue(0);
    QCOMPARE(window->heatmapOpacity(), 0.0);
    QVERIFY(window->displayedImage().isGrayscale());
    opacity->setValue(90);
    QCOMPARE(window->heatmapOpacity(), 0.9);
    QVERIFY(!window->displayedImage().isGrayscale());
    QVERIFY(window->displayedImage() != jet45);
    opacity->setValue(45);
    QCOMPARE(window->displayedImage(), jet45);

    // The colour map only repaints.
    QVERIFY(choose(*window, "heatmapColormap", static_cast<int>(explain::CamColormap::Viridis)));
    QVERIFY(window->heatmapColormap() == explain::CamColormap::Viridis);
    QVERIFY(window->displayedImage() != jet45);
    QVERIFY(!window->displayedImage().isGrayscale());
    QCOMPARE(explained.count(), 1);

    // Another method: a new heatmap, named in the menu and the status bar.
    QVERIFY(choose(*window, "heatmapMethod", static_cast<int>(explain::CamMethod::HiResCam)));
    QVERIFY(window->heatmapMethod() == explain::CamMethod::HiResCam);
    QCOMPARE(overlayMenuText(*window), QString("&Heatmap overlay (HiResCAM)"));
    QVERIFY(explained.wait(kWaitMs));
    QVERIFY(window->explainedMethod() == explain::CamMethod::HiResCam);
    QVERIFY2(window->statusText().contains("Heatmap: HiResCAM for"),
             qPrintable(window->statusText()));

    // A class of the scheme instead of the top one, named as the class panel names it.
    const auto& scheme = window->session()->settings().scheme;
    QVERIFY(choose(*window, "heatmapClass", 7));
    QCOMPARE(window->heatmapClass(), std::optional<int>(7));
    QVERIFY(explained.wait(kWaitMs));
    QCOMPARE(window->explainedClass(), 7);
    const QString seventh = QString::fromStdString(scheme.className(7, "en"));
    QVERIFY2(window->statusText().contains("HiResCAM for " + seventh),
             qPrintable(window->statusText()));

    // Quick changes: only the last one is shown.
    explained.clear();
    QVERIFY(choose(*window, "heatmapMethod", static_cast<int>(explain::CamMethod::XGradCam)));
    QVERIFY(choose(*window, "heatmapMethod", static_cast<int>(explain::CamMethod::LayerCam)));
    QVERIFY(explained.wait(kWaitMs));
    QVERIFY(window->explainedMethod() == explain::CamMethod::LayerCam);
    QCOMPARE(window->explainedClass(), 7);

    // Score-CAM (fast mode) and EigenCAM answer too, and back to the top class.
    for (const explain::CamMethod method :
         {explain::CamMethod::ScoreCam, explain::CamMethod::EigenCam,
          explain::CamMethod::GradCamPlusPlus}) {
      QVERIFY(choose(*window, "heatmapMethod", static_cast<int>(method)));
      QVERIFY(explained.wait(kWaitMs));
      QVERIFY(window->explainedMethod() == method);
    }
    QVERIFY(choose(*window, "heatmapClass", -1));
    QVERIFY(explained.wait(kWaitMs));
    QVERIFY(!window->heatmapClass().has_value());
    QVERIFY2(window->statusText().contains("Heatmap: Grad-CAM++ for"),
             qPrintable(window->statusText()));

    // Chosen with the overlay off, the method is used when it is turned on.
    QTest::keyClick(window.get(), Qt::Key_C);
    QVERIFY(choose(*window, "heatmapMethod", static_cast<int>(explain::CamMethod::GradCam)));
    QTest::keyClick(window.get(), Qt::Key_C);
    QVERIFY(explained.wait(kWaitMs));
    QVERIFY(window->explainedMethod() == explain::CamMethod::GradCam);
  }

  void theCompareViewFollowsTheChosenClassAndMethod() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QSignalSpy compared(window.get(), &LabelWindow::comparisonShown);
    QTest::keyClick(window.get(), Qt::Key_V);
    QVERIFY(compared.wait(kWaitMs));
    const QImage before = window->displayedBeforeImage();

    // The current model explains the chosen class; the ImageNet model its own top class.
    const auto& scheme = window->session()->settings().scheme;
    QVERIFY(choose(*window, "heatmapClass", 4));
    QVERIFY(compared.wait(kWaitMs));
    const QString captions = window->compareText();
    const QString fourth = QString::fromStdString(scheme.className(4, "en"));
    QVERIFY2(captions.section(" | ", 1).contains(fourth), qPrintable(captions));
    QVERIFY2(captions.startsWith("Before: ImageNet"), qPrintable(captions));
    QCOMPARE(window->displayedBeforeImage(), before);  // the same method, the same map

    QVERIFY(choose(*window, "heatmapMethod", static_cast<int>(explain::CamMethod::EigenCam)));
    QVERIFY(compared.wait(kWaitMs));
    QVERIFY(window->displayedBeforeImage() != before);
    QVERIFY(choose(*window, "heatmapColormap", static_cast<int>(explain::CamColormap::Viridis)));
    const QImage viridis = window->displayedBeforeImage();
    QVERIFY(choose(*window, "heatmapColormap", static_cast<int>(explain::CamColormap::Jet)));
    QVERIFY(window->displayedBeforeImage() != viridis);
  }

  void vComparesTheImageNetModelWithTheCurrentOne() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QSignalSpy compared(window.get(), &LabelWindow::comparisonShown);
    QTest::keyClick(window.get(), Qt::Key_V);
    QVERIFY(window->compareEnabled());
    QVERIFY(compared.wait(kWaitMs));
    const QImage before = window->displayedBeforeImage();
    const QImage after = window->displayedImage();
    QVERIFY(!before.isNull());
    QCOMPARE(before.size(), after.size());
    QVERIFY(!before.isGrayscale());
    QVERIFY(!after.isGrayscale());
    // Side by side at the same height, whatever each caption's length.
    QTRY_COMPARE_WITH_TIMEOUT(window->beforeImageCanvas()->mapTo(window.get(), QPoint()).y(),
                              window->imageCanvas()->mapTo(window.get(), QPoint()).y(), kWaitMs);
    const QString captions = window->compareText();
    QVERIFY2(captions.contains("Before: ImageNet") && captions.contains("After: model base"),
             qPrintable(captions));
    // The before model names an ImageNet class, the after model one of the scheme's.
    bool schemeName = false;
    for (const auto& c : window->session()->settings().scheme.classes)
      schemeName = schemeName || captions.contains(QString::fromStdString(c.en));
    QVERIFY2(schemeName, qPrintable(captions));

    // A common scale changes how at least one of the two maps looks (the weaker one dims).
    QTest::keyClick(window.get(), Qt::Key_K);
    QVERIFY(window->commonScaleEnabled());
    QVERIFY(window->displayedBeforeImage() != before || window->displayedImage() != after);

    // It follows the user to the next image, and V turns it off.
    compared.clear();
    QTest::keyClick(window.get(), Qt::Key_Right);
    QVERIFY(compared.wait(kWaitMs));
    QCOMPARE(compared.last().at(0).toInt(), 1);
    QTest::keyClick(window.get(), Qt::Key_V);
    QVERIFY(!window->compareEnabled());
    QVERIFY(window->displayedBeforeImage().isNull());
    QVERIFY(window->displayedImage().isGrayscale());
  }

  void theCompareViewComparesWithAChosenVersionAndCurrentAgain() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(labelAndTrain(*window, 8));  // v1 after 5 labels, then 3 more
    QCOMPARE(window->session()->modelVersions().size(), std::size_t{1});
    QVERIFY(compare(*window));
    auto* versions = window->findChild<QComboBox*>("compareVersion");
    QVERIFY(versions != nullptr && versions->isVisibleTo(window.get()));
    QCOMPARE(versions->count(), 2);
    QCOMPARE(versions->itemText(0), QString("current"));
    QCOMPARE(versions->itemText(1), QString("v1 (5 labels)"));
    QCOMPARE(window->comparedVersion(), 0);
    const QString currentCaption = window->compareText().section(" | ", 1);
    QVERIFY2(currentCaption.startsWith("After: model v1 + 3 labels - "),
             qPrintable(currentCaption));
    const QImage before = window->displayedBeforeImage();
    const QImage current = window->displayedImage();

    // v1 is "after" now: named in the caption, its own map; "before" is the same.
    QVERIFY(chooseAndCompare(*window, "compareVersion", 1));
    QCOMPARE(window->comparedVersion(), 1);
    QString caption = window->compareText().section(" | ", 1);
    QVERIFY2(caption.startsWith("After: v1 (5 labels) - "), qPrintable(caption));
    QVERIFY(window->displayedImage() != current);
    QCOMPARE(window->displayedBeforeImage(), before);

    // It stays the after model on the next image.
    QSignalSpy compared(window.get(), &LabelWindow::comparisonShown);
    QTest::keyClick(window.get(), Qt::Key_Left);
    QVERIFY(compared.wait(kWaitMs));
    caption = window->compareText().section(" | ", 1);
    QVERIFY2(caption.startsWith("After: v1 (5 labels) - "), qPrintable(caption));
    QTest::keyClick(window.get(), Qt::Key_Right);
    QVERIFY(compared.wait(kWaitMs));

    // "current" returns to the model being trained, as it was.
    QVERIFY(chooseAndCompare(*window, "compareVersion", 0));
    QCOMPARE(window->comparedVersion(), 0);
    QCOMPARE(window->compareText().section(" | ", 1), currentCaption);
    QCOMPARE(window->displayedImage(), current);

    // Out of the compare view the chooser is hidden.
    QTest::keyClick(window.get(), Qt::Key_V);
    QTRY_VERIFY_WITH_TIMEOUT(!versions->isVisibleTo(window.get()), kWaitMs);  // laid out later
  }

  void aDamagedVersionInTheCompareViewIsReportedAndTheWindowGoesOn() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(labelAndTrain(*window, 6));
    const std::vector<project::ModelVersion> recorded = window->session()->modelVersions();
    QCOMPARE(recorded.size(), std::size_t{1});
    const fs::path file = projectDir() / "models" / recorded.front().file;
    fs::resize_file(file, fs::file_size(file) / 2);  // torn
    QVERIFY(compare(*window));

    QSignalSpy errors(window.get(), &LabelWindow::errorShown);
    auto* versions = window->findChild<QComboBox*>("compareVersion");
    QVERIFY(versions != nullptr && versions->count() == 2);
    versions->setCurrentIndex(1);
    QVERIFY(errors.wait(kWaitMs));
    QVERIFY2(errors.last().at(0).toString().startsWith("No comparison: "),
             qPrintable(errors.last().at(0).toString()));
    QVERIFY2(window->statusText().startsWith("No comparison: "), qPrintable(window->statusText()));
    QVERIFY(window->compareText().section(" | ", 1).startsWith("No comparison: "));
    QVERIFY(window->displayedBeforeImage().isNull());  // nothing of "current" left as v1's

    // The view and the window go on: "current" compares again, the keys still move.
    QVERIFY(chooseAndCompare(*window, "compareVersion", 0));
    QVERIFY2(window->compareText().section(" | ", 1).startsWith("After: model "),
             qPrintable(window->compareText()));
    QVERIFY(!window->displayedBeforeImage().isNull());
    QSignalSpy compared(window.get(), &LabelWindow::comparisonShown);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Left));
    QVERIFY(compared.wait(kWaitMs));
  }

  void theBeforeSideExplainsTheChosenImageNetClass() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(compare(*window));
    auto* classes = window->findChild<QComboBox*>("compareBeforeClass");
    QVERIFY(classes != nullptr && classes->isVisibleTo(window.get()));
    QCOMPARE(classes->count(), 5);  // the ImageNet model's top 5, its top-1 chosen
    QCOMPARE(classes->currentIndex(), 0);
    auto nameOf = [classes](int index) {
      const QString text = classes->itemText(index);
      return text.left(text.lastIndexOf(" ("));
    };
    const QString top1 = nameOf(0);
    const QString second = nameOf(1);
    QVERIFY(top1 != second);
    QString caption = window->compareText().section(" | ", 0, 0);
    QVERIFY2(caption.contains(" - " + top1 + " ("), qPrintable(caption));
    const QImage before = window->displayedBeforeImage();
    const QImage after = window->displayedImage();
    const QString afterCaption = window->compareText().section(" | ", 1);

    // The second class: the before caption and map change, the after side does not.
    QVERIFY(chooseAndCompare(*window, "compareBeforeClass", 1));
    caption = window->compareText().section(" | ", 0, 0);
    QVERIFY2(caption.contains(" - " + second + " (") && !caption.contains(" - " + top1 + " ("),
             qPrintable(caption));
    QCOMPARE(classes->currentIndex(), 1);
    QVERIFY(window->displayedBeforeImage() != before);
    QCOMPARE(window->displayedImage(), after);
    QCOMPARE(window->compareText().section(" | ", 1), afterCaption);
  }

  void tShowsTheLearningCurveAndVersionsAndRollsBack() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    // Six labels, each given once its prediction is on screen: v1 is written after five.
    for (int i = 0; i < 6; ++i) {
      QSignalSpy predicted(window.get(), &LabelWindow::predictionShown);
      QVERIFY(pressAndWaitForImage(*window, Qt::Key_2));
      QVERIFY(!predicted.isEmpty() || predicted.wait(kWaitMs));
    }
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->trainerStatus().labelsSeen == 6, kWaitMs);
    // The status bar says how far training is and how often the prediction shown was right.
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains("6 labels seen"), kWaitMs);
    const auto steps = window->session()->trainerStatus().steps;
    QVERIFY2(window->statusText().contains(QString(", %1 steps, loss ").arg(steps)),
             qPrintable(window->statusText()));
    const auto prequential = window->session()->prequential();
    QVERIFY(prequential.windowAccuracy.has_value());
    QVERIFY2(
        window->statusText().contains(QString(", right %1% of the last 6")
                                          .arg(100.0 * *prequential.windowAccuracy, 0, 'f', 0)),
        qPrintable(window->statusText()));
    QTest::keyClick(window.get(), Qt::Key_T);
    QVERIFY(window->trainingPanelVisible());
    TrainingPanel* panel = window->trainingPanel();
    QTRY_COMPARE_WITH_TIMEOUT(panel->curvePoints(), 6, kWaitMs);
    QVERIFY2(panel->summary().contains("over the last 6 labels"), qPrintable(panel->summary()));
    // What trains and how often, and a change stored for the next opening.
    QVERIFY2(panel->trainingSettingsText().contains("a version every 5 labels."),
             qPrintable(panel->trainingSettingsText()));
    window->session()->saveTrainingSettings(7, "full");
    QTRY_VERIFY2_WITH_TIMEOUT(panel->trainingSettingsText().contains(
                                  "From the next opening: whole network (full), every 7 labels."),
                              qPrintable(panel->trainingSettingsText()), kWaitMs);
    const QStringList lines = panel->versionLines();
    QVERIFY2(
        lines.size() == 1 && lines[0].startsWith("v1: 5 labels") && lines[0].contains("(current)"),
        qPrintable(lines.join('\n')));

    // Roll back to v1: the label given after it is trained again.
    QSignalSpy done(window.get(), &LabelWindow::rollbackDone);
    QVERIFY(panel->selectVersion(1));
    QPushButton* button = panel->findChild<QPushButton*>();
    QVERIFY(button != nullptr && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(done.wait(kWaitMs));
    QCOMPARE(done.last().at(0).toInt(), 1);
    QVERIFY2(window->statusText().contains("v1 is current again; 1 later labels"),
             qPrintable(window->statusText()));
    QTest::keyClick(window.get(), Qt::Key_T);
    QVERIFY(!window->trainingPanelVisible());
  }

  void functionKeysChangeTheWindow() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    const QImage lung = window->displayedImage();
    QTest::keyClick(window.get(), Qt::Key_F2);
    QVERIFY(window->currentWindow() == imaging::kMediastinalWindow);
    QVERIFY(window->displayedImage() != lung);
    QTest::keyClick(window.get(), Qt::Key_F1);
    QCOMPARE(window->displayedImage(), lung);
  }

  void theWheelAndCtrlKeysZoomAndALeftDragPans() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    ImageCanvas* canvas = window->imageCanvas();
    const double fitScale = canvas->displayScale();
    const QRectF fitted = canvas->imageRect();
    // Fitted by default: the whole image, centred, touching two sides of the canvas.
    QVERIFY(QRectF(canvas->rect()).adjusted(-0.5, -0.5, 0.5, 0.5).contains(fitted));
    QVERIFY(qAbs(fitted.width() - canvas->width()) < 1 ||
            qAbs(fitted.height() - canvas->height()) < 1);
    const QImage fittedPixels = canvas->grab().toImage();

    // Three notches zoom about the cursor: the image point under it stays under it (left of the
    // centre, where the image can move without uncovering the canvas).
    const QPoint at(canvas->width() / 3, canvas->height() / 2);
    const QPointF pointed = imagePointAt(*canvas, at);
    turnWheel(canvas, at, 3);
    QVERIFY(qAbs(canvas->displayScale() - fitScale * 1.25 * 1.25 * 1.25) < 1e-6 * fitScale);
    const QPointF still = imagePointAt(*canvas, at);
    QVERIFY(qAbs(still.x() - pointed.x()) * canvas->imageRect().width() < 1.0);
    QVERIFY(qAbs(still.y() - pointed.y()) * canvas->imageRect().height() < 1.0);
    QVERIFY(canvas->grab().toImage() != fittedPixels);
    turnWheel(canvas, at, -1);
    QVERIFY(qAbs(canvas->displayScale() - fitScale * 1.25 * 1.25) < 1e-6 * fitScale);

    // Ctrl+0 fits, Ctrl+= and Ctrl+- zoom about the centre; a plain 0 is still a label.
    QTest::keyClick(window.get(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(canvas->imageRect(), fitted);
    QVERIFY(window->session()->counts().labelled == 0);
    for (int i = 0; i < 3; ++i)
      QTest::keyClick(window.get(), Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(qAbs(canvas->displayScale() - fitScale * 1.25 * 1.25 * 1.25) < 1e-6 * fitScale);
    const QPointF shift = canvas->imageRect().center() - fitted.center();
    QVERIFY(qAbs(shift.x()) < 1e-6 && qAbs(shift.y()) < 1e-6);
    QTest::keyClick(window.get(), Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(qAbs(canvas->displayScale() - fitScale * 1.25 * 1.25) < 1e-6 * fitScale);

    // Zoomed in enough to cover the canvas both ways, a left drag moves the image with the hand.
    for (int i = 0; i < 2; ++i)
      QTest::keyClick(window.get(), Qt::Key_Equal, Qt::ControlModifier);
    const QRectF zoomed = canvas->imageRect();
    const QImage zoomedPixels = canvas->grab().toImage();
    const QPoint middle = canvas->rect().center();
    drag(canvas, Qt::LeftButton, middle, middle + QPoint(30, 20));
    const QPointF moved = canvas->imageRect().topLeft() - zoomed.topLeft();
    QVERIFY2(qAbs(moved.x() - 30) < 1e-6 && qAbs(moved.y() - 20) < 1e-6,
             qPrintable(QString("moved %1, %2").arg(moved.x()).arg(moved.y())));
    QVERIFY(canvas->grab().toImage() != zoomedPixels);
    QCOMPARE(window->currentIndex(), 0);  // a click on the image decides nothing

    // Fitted, a drag does not move it.
    QTest::keyClick(window.get(), Qt::Key_0, Qt::ControlModifier);
    drag(canvas, Qt::LeftButton, middle, middle + QPoint(30, 20));
    QCOMPARE(canvas->imageRect(), fitted);
  }

  void theCompareViewsCanvasesZoomAndPanTogether() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    const int alone = window->imageCanvas()->width();
    QSignalSpy compared(window.get(), &LabelWindow::comparisonShown);
    QTest::keyClick(window.get(), Qt::Key_V);
    QVERIFY(compared.wait(kWaitMs));
    ImageCanvas* after = window->imageCanvas();
    ImageCanvas* before = window->beforeImageCanvas();
    QVERIFY(before->isVisible());
    // Side by side, the two share the width the current image had alone.
    QTRY_VERIFY_WITH_TIMEOUT(qAbs(after->width() - before->width()) <= 2, kWaitMs);
    QVERIFY2(after->width() < alone * 2 / 3,
             qPrintable(QString("%1 of %2").arg(after->width()).arg(alone)));
    const QImage beforePixels = before->grab().toImage();

    turnWheel(before, before->rect().center() - QPoint(40, 40), 4);
    QVERIFY(after->zoom() > 2.0);
    QCOMPARE(after->zoom(), before->zoom());
    QCOMPARE(after->center(), before->center());
    QVERIFY(before->grab().toImage() != beforePixels);

    const QPointF centre = before->center();
    drag(after, Qt::LeftButton, after->rect().center(), after->rect().center() + QPoint(-25, 15));
    QVERIFY(before->center() != centre);
    QCOMPARE(before->center(), after->center());

    QTest::keyClick(window.get(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(before->zoom(), 1.0);
    QCOMPARE(before->center(), QPointF(0.5, 0.5));

    // Alone again, the current image has the width back.
    QTest::keyClick(window.get(), Qt::Key_V);
    QTRY_VERIFY_WITH_TIMEOUT(after->width() >= alone - 2, kWaitMs);
  }

  void aRightDragChangesTheWindowShownInTheStatusBar() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    const QImage lung = window->displayedImage();
    ImageCanvas* canvas = window->imageCanvas();
    const QPoint middle = canvas->rect().center();

    // Right: wider, the same centre; the image and the status bar follow.
    drag(canvas, Qt::RightButton, middle, middle + QPoint(80, 0));
    const imaging::Window wider = window->currentWindow();
    QVERIFY(wider.width > imaging::kLungWindow.width + 100);
    QCOMPARE(wider.center, imaging::kLungWindow.center);
    QVERIFY(window->displayedImage() != lung);
    const QString described = QString::fromStdString(imaging::describeWindow(wider));
    QVERIFY2(window->statusText().contains(described), qPrintable(window->statusText()));
    QCOMPARE(window->displayedImage(),
             toQImage(imaging::renderWindowed8(
                 imaging::readImage(imageFile(*window->session()->imageAt(0))), wider)));

    // A second drag starts from there: down raises the centre, left narrows.
    drag(canvas, Qt::RightButton, middle, middle + QPoint(-40, 30));
    const imaging::Window moved = window->currentWindow();
    QVERIFY(moved.center > wider.center + 50);
    QVERIFY(moved.width < wider.width);
    QVERIFY(moved.width > imaging::kLungWindow.width);
    // A drag to the far left never gives a window of no width.
    drag(canvas, Qt::RightButton, middle, middle - QPoint(5000, 0));
    QVERIFY(window->currentWindow().width >= 1);

    // The presets still win, and the window stays with the next image.
    QTest::keyClick(window.get(), Qt::Key_F1);
    QCOMPARE(window->displayedImage(), lung);
    drag(canvas, Qt::RightButton, middle, middle + QPoint(80, 0));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Right));
    QVERIFY(window->currentWindow() == wider);
  }

  void hShowsTheKeysAndTheClasses() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(!window->helpVisible());
    QTest::keyClick(window.get(), Qt::Key_H);
    QVERIFY(window->helpVisible());
    const QString help = window->helpText();
    QVERIFY2(help.contains("Ctrl+Z"), qPrintable(help));
    QVERIFY2(help.contains("0 Normal"), qPrintable(help));
    QVERIFY2(help.contains("9 Unclassifiable"), qPrintable(help));
    QTest::keyClick(window.get(), Qt::Key_Escape);
    QVERIFY(!window->helpVisible());
  }

  void theTrustChecksUseTheThresholdsFromTheSettings() {
    // Any map with some spread counts as "even" above a threshold of 0.
    QSettings().setValue("trust/uniform_entropy", 0.0);
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QSignalSpy explained(window.get(), &LabelWindow::explanationShown);
    QTest::keyClick(window.get(), Qt::Key_C);
    QVERIFY(explained.wait(kWaitMs));
    QSettings().remove("trust/uniform_entropy");
    QVERIFY2(window->statusText().contains("spread almost evenly"),
             qPrintable(window->statusText()));
    QVERIFY2(window->statusText().contains("threshold 0.00"), qPrintable(window->statusText()));
  }

  void theTrustMenuOpensTheReportGridAndSanityDialogs() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QMenu* trust = nullptr;
    for (QAction* menu : window->menuBar()->actions())
      if (menu->text() == "&Trust") trust = menu->menu();
    QVERIFY(trust != nullptr);
    const QStringList titles{"Export a report &figure...", "Comparison &grid...",
                             "&Localisation scores...", "&Position bias...",
                             "&Sanity check of the heatmap..."};
    for (const QString& title : titles) {
      QAction* action = nullptr;
      for (QAction* a : trust->actions())
        if (a->text() == title) action = a;
      QVERIFY2(action != nullptr && action->isEnabled(), qPrintable(title));
      action->trigger();
      QDialog* dialog = nullptr;
      QTRY_VERIFY_WITH_TIMEOUT((dialog = window->findChild<QDialog*>()) && dialog->isVisible(),
                               5000);
      QCOMPARE(dialog->windowModality(), Qt::WindowModal);
      const QPointer<QDialog> open = dialog;
      dialog->close();
      QTRY_VERIFY_WITH_TIMEOUT(open.isNull(), 5000);  // each dialog deletes itself
    }
  }

  void reboundKeysLabelAndSkipAndTheOldKeysNoLonger() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    session::Session& session = *window->session();
    const std::int64_t first = session.imageAt(0)->id;
    KeyBindings keys = KeyBindings::defaults();
    keys.setKeys(labelCommand(3), {QKeySequence(Qt::Key_J)});
    keys.setKeys(Command::kSkip, {QKeySequence(Qt::CTRL | Qt::Key_K)});
    window->setKeyBindings(keys);

    QTest::keyClick(window.get(), Qt::Key_3);
    QTest::keyClick(window.get(), Qt::Key_S);
    QVERIFY(!session.currentLabel(first).has_value());
    QCOMPARE(window->currentIndex(), 0);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_J));
    QCOMPARE(session.currentLabel(first)->classIndex, 3);
    QCOMPARE(window->currentIndex(), 1);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_K, Qt::ControlModifier));
    QVERIFY(session.currentLabel(session.imageAt(1)->id)->skipped);

    // The help lists the keys bound now.
    QTest::keyClick(window.get(), Qt::Key_H);
    QVERIFY(window->helpVisible());
    const QString help = window->helpText();
    const auto& scheme = session.settings().scheme;
    const QString third = QString::fromStdString(scheme.className(3, "en"));
    QVERIFY2(help.contains("J " + third), qPrintable(help));
    QVERIFY2(!help.contains("3 " + third), qPrintable(help));
    QVERIFY2(help.contains("Ctrl+K Skip the image"), qPrintable(help));
    QVERIFY2(help.contains("4 " + QString::fromStdString(scheme.className(4, "en"))),
             qPrintable(help));

    // Back to the defaults at any time.
    window->setKeyBindings(KeyBindings::defaults());
    QVERIFY(window->helpText().contains("3 " + third));
    QTest::keyClick(window.get(), Qt::Key_J);
    QCOMPARE(window->currentIndex(), 2);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_3));
    QCOMPARE(window->currentIndex(), 3);

    // A key given to two commands does neither, and the window says so.
    keys = KeyBindings::defaults();
    keys.setKeys(Command::kNext, {QKeySequence(Qt::Key_S)});
    QSignalSpy errors(window.get(), &LabelWindow::errorShown);
    window->setKeyBindings(keys);
    QCOMPARE(errors.count(), 1);
    QVERIFY2(window->statusText().contains("Next image"), qPrintable(window->statusText()));
  }

  void aNewWindowTakesTheKeysFromTheSettings() {
    KeyBindings keys = KeyBindings::defaults();
    keys.setKeys(labelCommand(6), {QKeySequence(Qt::Key_U)});
    {
      QSettings settings;
      keys.save(settings);
    }
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(window->keyBindings() == keys);
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_U));
    QCOMPARE(window->session()->currentLabel(window->session()->imageAt(0)->id)->classIndex, 6);
  }

  void aSecondWindowOnTheSameProjectShowsTheLockError() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    auto second = std::make_unique<LabelWindow>(projectDir(), tinyOptions());
    QSignalSpy failed(second.get(), &LabelWindow::openFailed);
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY2(second->errorText().contains("open in another window or process"),
             qPrintable(second->errorText()));
    QVERIFY(second->statusText().contains("open in another window or process"));
    QVERIFY(second->session() == nullptr);
    second->show();
    second->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(second.get(), kWaitMs));
    for (const Qt::Key key : {Qt::Key_3, Qt::Key_S, Qt::Key_Right, Qt::Key_C})
      QTest::keyClick(second.get(), key);
    QTest::keyClick(second.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(second->currentIndex(), -1);
    second.reset();

    // The first window still owns the project and labels.
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get(), kWaitMs));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_4));
    QCOMPARE(window->session()->currentLabel(window->session()->imageAt(0)->id)->classIndex, 4);
  }

  void aDamagedProjectFileIsReportedInTheWindow() {
    fs::resize_file(projectDir() / "project.sqlite", 100);
    fs::remove(projectDir() / "project.sqlite-wal");
    LabelWindow window(projectDir(), tinyOptions());
    QSignalSpy failed(&window, &LabelWindow::openFailed);
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY(!window.errorText().isEmpty());
    QVERIFY2(window.errorText().contains("project"), qPrintable(window.errorText()));
    QVERIFY(window.session() == nullptr);
    QVERIFY(window.displayedImage().isNull());
  }

  void reopeningResumesWhereTheUserLeft() {
    {
      std::unique_ptr<LabelWindow> window;
      QVERIFY(openWindow(window));
      QVERIFY(pressAndWaitForImage(*window, Qt::Key_3));
      QVERIFY(pressAndWaitForImage(*window, Qt::Key_Right));
      QVERIFY(pressAndWaitForImage(*window, Qt::Key_Right));
      QCOMPARE(window->currentIndex(), 3);
      QVERIFY(window->session()->waitForTraining(std::chrono::milliseconds(kWaitMs)));
      QSignalSpy closed(window.get(), &LabelWindow::sessionClosed);
      QTest::keyClick(window.get(), Qt::Key_Q);  // closes: the trained label becomes v1
      QVERIFY(window->session() == nullptr);
      QVERIFY(closed.wait(kWaitMs));
      QVERIFY(!window->isVisible());
    }
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QCOMPARE(window->currentIndex(), 3);
    const QString status = window->statusText();
    QVERIFY2(status.contains("Resumed at image 4 of 10"), qPrintable(status));
    QVERIFY2(status.contains("model v1"), qPrintable(status));
    QVERIFY2(window->predictionText().contains("Model: v1"), qPrintable(window->predictionText()));
    QVERIFY(!window->predictionText().contains("Untrained model"));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Z, Qt::ControlModifier));
    QCOMPARE(window->currentIndex(), 0);
  }

  void anUnreadableOrMovedImageIsReportedAndTheUserGoesOn() {
    const project::ImageRecord corrupt = imageAt(1);
    const project::ImageRecord moved = imageAt(3);
    std::ofstream(imageFile(corrupt), std::ios::binary | std::ios::trunc) << "not a png";
    fs::rename(imageFile(moved), root() / "elsewhere.png");

    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QSignalSpy errors(window.get(), &LabelWindow::errorShown);
    QTest::keyClick(window.get(), Qt::Key_Right);
    QVERIFY(errors.wait(kWaitMs));
    QCOMPARE(window->currentIndex(), 1);
    QVERIFY(window->displayedImage().isNull());
    const QString name = QString::fromStdString(corrupt.relativePath);
    QVERIFY2(window->errorText().contains(name), qPrintable(window->errorText()));
    QVERIFY(window->statusText().contains(name));
    QVERIFY(window->predictionText().contains("cannot be read"));

    QTest::keyClick(window.get(), Qt::Key_3);  // not shown, so not labelled
    QVERIFY(!window->session()->currentLabel(corrupt.id).has_value());
    QVERIFY(window->statusText().contains("cannot be labelled"));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_S));
    QCOMPARE(window->currentIndex(), 2);
    QVERIFY(window->session()->currentLabel(corrupt.id)->skipped);
    QVERIFY(window->errorText().isEmpty());

    errors.clear();
    QTest::keyClick(window.get(), Qt::Key_Right);
    QVERIFY(errors.wait(kWaitMs));
    QCOMPARE(window->currentIndex(), 3);
    QVERIFY2(window->errorText().contains(QString::fromStdString(moved.relativePath)),
             qPrintable(window->errorText()));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_Right));
    QCOMPARE(window->currentIndex(), 4);
  }

  void closingSavesTheModelWithoutBlockingTheWindow() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    const std::int64_t first = window->session()->imageAt(0)->id;
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_2));
    QVERIFY(window->session()->waitForTraining(std::chrono::milliseconds(kWaitMs)));
    QVERIFY(window->session()->modelVersions().empty());  // 1 label: no version yet

    QSignalSpy closed(window.get(), &LabelWindow::sessionClosed);
    QTest::keyClick(window.get(), Qt::Key_Q);
    // The close request returned before the model was saved: the window says what it does.
    QVERIFY(closed.isEmpty());
    QVERIFY(window->isVisible());
    QVERIFY2(window->statusText().contains("Saving the model"), qPrintable(window->statusText()));
    QCOMPARE(window->imageCanvas()->message(), QString("Saving the model..."));
    QVERIFY(window->session() == nullptr);
    // Keys and further close requests while saving change nothing.
    QTest::keyClick(window.get(), Qt::Key_3);
    QTest::keyClick(window.get(), Qt::Key_Right);
    QTest::keyClick(window.get(), Qt::Key_Q);
    QVERIFY(!window->close());
    QVERIFY(window->isVisible());

    QVERIFY(closed.wait(kWaitMs));
    QVERIFY(!window->isVisible());
    QCOMPARE(closed.count(), 1);
    auto project = project::Project::open(projectDir());  // throws if still locked
    const std::vector<project::ModelVersion> versions = project->modelVersions();
    QCOMPARE(versions.size(), std::size_t{1});
    QCOMPARE(versions.front().labelsSeen, std::int64_t{1});
    QCOMPARE(project->currentLabel(first)->classIndex, 2);
    QVERIFY(!project->currentLabel(project->imageAt(1)->id).has_value());
  }

  void aWindowDestroyedWhileSavingStillClosesTheSession() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_2));
    QVERIFY(window->session()->waitForTraining(std::chrono::milliseconds(kWaitMs)));
    QTest::keyClick(window.get(), Qt::Key_Q);
    window.reset();  // without waiting for the worker's answer
    auto project = project::Project::open(projectDir());
    QCOMPARE(project->modelVersions().size(), std::size_t{1});
  }

  void qClosesTheWindowAndFreesTheProject() {
    std::unique_ptr<LabelWindow> window;
    QVERIFY(openWindow(window));
    QVERIFY(pressAndWaitForImage(*window, Qt::Key_7));
    QSignalSpy closed(window.get(), &LabelWindow::sessionClosed);
    QTest::keyClick(window.get(), Qt::Key_Q);
    QVERIFY(closed.wait(kWaitMs));
    QVERIFY(!window->isVisible());
    auto project = project::Project::open(projectDir());  // throws if still locked
    QCOMPARE(project->currentLabel(project->imageAt(0)->id)->classIndex, 7);
  }
};

}  // namespace camlabel::ui

QTEST_MAIN(camlabel::ui::LabelWindowTest)
#include "label_window_test.moc"
