// SPDX-License-Identifier: Apache-2.0
// The trust dialogs on demo projects with a tiny network: what a clinician sees and what lands on
// disk.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/explain/sanity.h"
#include "core/project/project.h"
#include "core/session/demo.h"
#include "core/session/session.h"
#include "core/session/trust_summary.h"
#include "core/session/trust_tools.h"
#include "ui/agreement_dialog.h"
#include "ui/image_conversion.h"
#include "ui/language.h"
#include "ui/settings_dialog.h"
#include "ui/trust_dialogs.h"
#include "ui_test_support.h"

namespace camlabel::ui {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

QByteArray readAll(const fs::path& path) {
  QFile file(QString::fromStdString(path.string()));
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TrustDialogsTest : public QObject {
  Q_OBJECT

 private:
  /// Generous for a tiny network on a loaded 2-core machine; each wait ends at its signal.
  static constexpr int kWaitMs = 20000;

  /// Starts a run with `start`, which greys out while the run is on its way, presses the
  /// dialog's Cancel at once, and waits for the run to end cancelled, saying so.
  [[nodiscard]] static bool runAndCancel(TrustDialogBase& dialog, QPushButton* start) {
    QSignalSpy finished(&dialog, &TrustDialogBase::runFinished);
    start->click();
    if (!dialog.busy() || start->isEnabled()) return false;
    QPushButton* cancel = nullptr;
    for (auto* button : dialog.findChildren<QPushButton*>())
      if (button->text() == "Cancel") cancel = button;
    if (cancel == nullptr || !cancel->isVisibleTo(&dialog)) return false;
    cancel->click();
    return finished.wait(kWaitMs) && !finished.takeFirst().at(0).toBool() &&
           dialog.statusText() == QString("Cancelled.");
  }

  std::unique_ptr<QTemporaryDir> dir_;
  /// A project with two labels trained into v1 (versions every 2 labels).
  std::unique_ptr<session::Session> trained_;
  /// An untrained project whose seed is the one the sanity check draws its random layers from:
  /// randomising its model changes nothing, so every method's map must be flagged.
  std::unique_ptr<session::Session> seeded_;
  std::int64_t first_ = 0;
  std::int64_t second_ = 0;
  std::int64_t seededImage_ = 0;

  fs::path root() const { return dir_->path().toStdString(); }

  static model::ResNetConfig tiny() { return *model::namedNetwork("tiny"); }

  static session::SessionOptions tinyOptions(bool train) {
    session::SessionOptions options;
    options.annotator = "dr-test";
    options.config = tiny();
    options.train = train;
    options.tuneTrainer = [](learning::TrainerOptions& t) {
      t.idleTraining = false;  // counts steps and versions exactly; idle training: trainer_test
      t.stepsPerLabel = 1;
      t.batchSize = 2;
      t.microBatch = 2;
    };
    return options;
  }

  static session::DemoOptions demoOptions(std::uint64_t seed) {
    session::DemoOptions demo;
    demo.perClass = 2;
    demo.size = 64;
    demo.seed = seed;
    demo.project.modelSize = 64;
    demo.project.snapshotEvery = 2;
    return demo;
  }

  /// Runs the dialog's button and waits for the run to end: 1 with a result, 0 with an error or
  /// a cancel, -1 when the button is disabled or nothing ended in time.
  [[nodiscard]] static int clickAndWait(TrustDialogBase& dialog, QPushButton* button) {
    QSignalSpy finished(&dialog, &TrustDialogBase::runFinished);
    if (!button->isEnabled()) return -1;
    button->click();
    if (!finished.wait(kWaitMs)) return -1;
    return finished.takeFirst().at(0).toBool() ? 1 : 0;
  }

  static void check(QListWidget* methods, const QString& name) {
    const auto items = methods->findItems(name, Qt::MatchExactly);
    QVERIFY(items.size() == 1);
    items.front()->setCheckState(Qt::Checked);
  }

 private slots:
  void initTestCase() {
    test::quietOffscreenPlatform();
    // As the app starts: English, with the singular and plural of texts that count.
    QVERIFY(setUiLanguage("en"));
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());

    session::createDemoProject(root() / "trained", demoOptions(1));
    trained_ = session::Session::open(root() / "trained", tinyOptions(true));
    first_ = trained_->imageAt(0)->id;
    second_ = trained_->imageAt(1)->id;
    trained_->label(first_, 1);
    trained_->label(second_, 2);
    QVERIFY(trained_->waitForTraining(30s));
    for (int i = 0; i < 100 && trained_->modelVersions().empty(); ++i)
      QTest::qWait(50);
    QCOMPARE(trained_->modelVersions().size(), std::size_t{1});

    session::createDemoProject(root() / "seeded", demoOptions(explain::kRandomisationSeed));
    seeded_ = session::Session::open(root() / "seeded", tinyOptions(false));
    seededImage_ = seeded_->imageAt(0)->id;
  }

  void cleanupTestCase() {
    trained_.reset();
    seeded_.reset();
    dir_.reset();
  }

  void exportWritesAPngAndAPdfThatNameNoPath() {
    ExportFigureDialog dialog(nullptr, *trained_, second_, tiny());
    // The labelled images are offered, the current one chosen.
    QCOMPARE(dialog.imageList()->count(), 2);
    QCOMPARE(dialog.imageList()->selectedItems().size(), 1);
    QCOMPARE(dialog.imageList()->selectedItems().front()->text(),
             QString::fromStdString(trained_->image(second_).relativePath));
    QVERIFY(!dialog.exportButton()->isEnabled());  // no file chosen yet
    dialog.imageList()->item(0)->setSelected(true);
    QVERIFY(dialog.selectVersion(1));

    const fs::path png = root() / "out" / "figure.png";
    fs::create_directories(png.parent_path());
    dialog.pathEdit()->setText(QString::fromStdString(png.string()));
    QCOMPARE(clickAndWait(dialog, dialog.exportButton()), 1);
    QVERIFY2(dialog.statusText().startsWith("Saved"), qPrintable(dialog.statusText()));
    const cv::Mat image = cv::imread(png.string(), cv::IMREAD_UNCHANGED);
    QVERIFY(!image.empty());
    QCOMPARE(image.channels(), 3);
    QVERIFY(image.rows > 2 * 384);  // two rows of 384-pixel panels

    // The numbers: a header and one row per image, images named by content, never by path.
    const QByteArray csv = readAll(root() / "out" / "figure.csv");
    QCOMPARE(csv.count('\n'), 3);
    QVERIFY(csv.contains(QByteArray::fromStdString(trained_->image(first_).sha256)));
    QVERIFY(csv.contains(QByteArray::fromStdString(trained_->image(second_).sha256)));
    QVERIFY(!csv.contains("phantom"));
    QVERIFY(!csv.contains(QByteArray::fromStdString(root().string())));

    // The format box turns the name into a PDF's; the PDF holds no path or file name either.
    dialog.formatBox()->setCurrentIndex(1);
    const fs::path pdf = root() / "out" / "figure.pdf";
    QCOMPARE(dialog.pathEdit()->text(), QString::fromStdString(pdf.string()));
    QCOMPARE(clickAndWait(dialog, dialog.exportButton()), 1);
    const QByteArray bytes = readAll(pdf);
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY(!bytes.contains(QByteArray::fromStdString(root().string())));
    QVERIFY(!bytes.contains("phantom"));
    QVERIFY(!bytes.contains(QByteArray::fromStdString(trained_->image(first_).relativePath)));
  }

  void exportShowsCoresErrorAndCancels() {
    ExportFigureDialog dialog(nullptr, *trained_, first_, tiny());
    dialog.pathEdit()->setText(QString::fromStdString((root() / "figure.bmp").string()));
    QCOMPARE(clickAndWait(dialog, dialog.exportButton()), 0);
    QVERIFY2(dialog.statusText().contains("use .png or .pdf"), qPrintable(dialog.statusText()));
    QVERIFY(!fs::exists(root() / "figure.bmp"));

    // Cancel right after the start: the run ends cancelled, nothing is written.
    const fs::path png = root() / "cancelled.png";
    dialog.pathEdit()->setText(QString::fromStdString(png.string()));
    QVERIFY(runAndCancel(dialog, dialog.exportButton()));
    QVERIFY(!fs::exists(png));
    QVERIFY(dialog.exportButton()->isEnabled());

    // Closing during a run cancels it and closes once it has ended: the GUI never waits.
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy finished(&dialog, &TrustDialogBase::runFinished);
    dialog.exportButton()->click();
    QVERIFY(dialog.busy());
    dialog.reject();
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.statusText(), QString("Cancelling…"));
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!fs::exists(png));
  }

  void gridShowsImagesByMethodsAndClasses() {
    ComparisonGridDialog dialog(nullptr, *trained_, first_, tiny());
    dialog.imageList()->item(1)->setSelected(true);
    check(dialog.methodList(), "layercam");
    dialog.classesBox()->setValue(3);
    QVERIFY(dialog.selectVersion(1));
    QVERIFY(!dialog.saveButton()->isEnabled());
    QCOMPARE(clickAndWait(dialog, dialog.showButton()), 1);
    QCOMPARE(dialog.sizeText(), QString("2 rows × 7 columns"));

    // What is shown is core's grid of the same request, pixel for pixel.
    session::ComparisonRequest request;
    request.images = {session::trustImage(*trained_, first_),
                      session::trustImage(*trained_, second_)};
    request.methods = {explain::CamMethod::GradCam, explain::CamMethod::LayerCam};
    request.topK = 3;
    request.modelSize = 64;
    const std::vector<session::ModelSource> sources = session::modelSources(*trained_);
    QCOMPARE(sources.back().version, 1);
    session::LoadedVersion v1 =
        session::loadModelSource(sources.back(), trained_->settings(), tiny(), c10::kCPU);
    const cv::Mat expected = session::composeComparisonGrid(v1, request);
    QCOMPARE(dialog.grid().size(), QSize(expected.cols, expected.rows));
    QVERIFY(dialog.grid() == bgrToQImage(expected));
    // Seven columns of 192-pixel cells and two rows of them fit in the grid.
    QVERIFY(expected.cols > 7 * 192 && expected.rows > 2 * 192);

    QVERIFY(dialog.saveButton()->isEnabled());
    const fs::path png = root() / "grid.png";
    QVERIFY(dialog.saveGrid(QString::fromStdString(png.string())));
    const cv::Mat saved = cv::imread(png.string());
    QCOMPARE(saved.cols, expected.cols);
    QCOMPARE(saved.rows, expected.rows);
    QCOMPARE(cv::norm(saved, expected, cv::NORM_INF), 0.0);
  }

  void sanityFlagsAMapThatSurvivesARandomModel() {
    SanityCheckDialog dialog(nullptr, *seeded_, seededImage_, tiny());
    check(dialog.methodList(), "layercam");
    QVERIFY(dialog.selectVersion(0));  // the untrained model: the check's own random draw
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 1);
    QTableWidget* table = dialog.table();
    QCOMPARE(table->rowCount(), 12);  // 2 methods x (fc, layer4 .. layer1, stem)
    QCOMPARE(table->item(0, SanityCheckDialog::kRandomised)->text(), QString("fc"));
    QCOMPARE(table->item(5, SanityCheckDialog::kRandomised)->text(),
             QString("fc, layer4, layer3, layer2, layer1, stem"));
    QCOMPARE(table->item(6, SanityCheckDialog::kMethod)->text(), QString("layercam"));
    for (int row = 0; row < table->rowCount(); ++row) {
      QCOMPARE(table->item(row, SanityCheckDialog::kSpearman)->text(), QString("1.000"));
      QCOMPARE(table->item(row, SanityCheckDialog::kFlagged)->text(), QString("yes"));
    }
    QVERIFY2(dialog.verdictText().contains("gradcam: flagged"), qPrintable(dialog.verdictText()));
    QVERIFY2(dialog.verdictText().contains("layercam: flagged"), qPrintable(dialog.verdictText()));
  }

  void sanityShowsCoresNumbersForATrainedModel() {
    SanityCheckDialog dialog(nullptr, *trained_, first_, tiny());
    QVERIFY(dialog.selectVersion(1));
    dialog.thresholdBox()->setValue(0.6);
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 1);

    const std::vector<session::ModelSource> sources = session::modelSources(*trained_);
    session::LoadedVersion v1 =
        session::loadModelSource(sources.back(), trained_->settings(), tiny(), c10::kCPU);
    const std::vector<session::SanityResult> expected =
        session::sanityCheck(v1, session::trustImage(*trained_, first_),
                             {explain::CamMethod::GradCam}, explain::kDefaultCamLayer, 64, 0.6);
    QCOMPARE(expected.size(), std::size_t{1});
    const auto& steps = expected.front().check.steps;
    QCOMPARE(dialog.table()->rowCount(), static_cast<int>(steps.size()));
    for (int row = 0; row < dialog.table()->rowCount(); ++row) {
      const auto& step = steps[static_cast<std::size_t>(row)];
      QCOMPARE(dialog.table()->item(row, SanityCheckDialog::kSpearman)->text(),
               QString::number(step.spearman, 'f', 3));
      QCOMPARE(dialog.table()->item(row, SanityCheckDialog::kSsim)->text(),
               QString::number(step.ssim, 'f', 3));
      QCOMPARE(dialog.table()->item(row, SanityCheckDialog::kFlagged)->text(),
               QString(step.spearman >= 0.6 ? "yes" : "no"));
    }
    QVERIFY(dialog.verdictText().startsWith(
        expected.front().check.insensitive ? "gradcam: flagged" : "gradcam: passes"));
    // Worded by the dialog from core's numbers: the correlation with every layer random.
    QVERIFY2(dialog.verdictText().contains(
                 QStringLiteral("rank correlation %1").arg(steps.back().spearman, 0, 'f', 2)),
             qPrintable(dialog.verdictText()));
  }

  /// The demo's held-out list and masks, plus a row whose image is damaged (its mask exists) and
  /// a row without a mask, in a copy of its own.
  fs::path heldOutWithABrokenRow() {
    const fs::path copy = root() / "held_out_broken";
    if (fs::exists(copy)) return copy;
    fs::copy(root() / "trained" / "held_out", copy, fs::copy_options::recursive);
    fs::path lesion;
    for (const auto& entry : fs::directory_iterator(copy / "masks")) {
      const cv::Mat mask = cv::imread(entry.path().string(), cv::IMREAD_GRAYSCALE);
      if (!mask.empty() && cv::countNonZero(mask) > 0) lesion = entry.path();
    }
    if (lesion.empty()) return {};
    fs::copy_file(lesion, copy / "masks" / "broken.png");
    {
      std::ofstream(copy / "images" / "broken.png") << "not an image";
      std::ofstream(copy / "labels.csv", std::ios::app)
          << "images/broken.png,1\nimages/nomask.png,1\n";
    }
    return copy;
  }

  void localisationTableShowsCoresScores() {
    const fs::path heldOut = heldOutWithABrokenRow();
    QVERIFY(!heldOut.empty());
    LocalisationDialog dialog(nullptr, *trained_, tiny());
    // The demo's held-out list and masks are offered; the newest weights are checked.
    QCOMPARE(dialog.labelsEdit()->text(),
             QString::fromStdString((trained_->projectDir() / "held_out" / "labels.csv").string()));
    QCOMPARE(dialog.masksEdit()->text(),
             QString::fromStdString((trained_->projectDir() / "held_out" / "masks").string()));
    QCOMPARE(dialog.sourceList()->count(), 2);  // now and v1
    QCOMPARE(dialog.sourceList()->item(0)->checkState(), Qt::Checked);
    QCOMPARE(dialog.sourceList()->item(1)->checkState(), Qt::Unchecked);
    QVERIFY(!dialog.saveButton()->isEnabled());

    dialog.labelsEdit()->setText(QString::fromStdString((heldOut / "labels.csv").string()));
    dialog.masksEdit()->setText(QString::fromStdString((heldOut / "masks").string()));
    dialog.sourceList()->item(1)->setCheckState(Qt::Checked);
    check(dialog.methodList(), "eigencam");
    dialog.toleranceBox()->setValue(2);
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 1);

    // The same inputs straight into core.
    session::LocalisationOptions options;
    options.labelsCsv = heldOut / "labels.csv";
    options.masksDir = heldOut / "masks";
    options.methods = {explain::CamMethod::GradCam, explain::CamMethod::EigenCam};
    options.tolerance = 2;
    options.alsoWithin = {0};  // the same maps scored strictly too
    const std::vector<session::ModelSource> sources = session::modelSources(*trained_);
    QCOMPARE(sources.size(), std::size_t{2});
    QTableWidget* table = dialog.table();
    QCOMPARE(table->rowCount(), 4);  // 2 models x 2 methods
    double bestPointing = -1;
    double bestEnergy = -1;
    std::vector<std::string> problems;
    std::vector<std::string> withoutMask;
    for (std::size_t m = 0; m < sources.size(); ++m) {
      session::LoadedVersion model =
          session::loadModelSource(sources[m], trained_->settings(), tiny(), c10::kCPU);
      const session::LocalisationReport report =
          session::localiseModel(model, options, trained_->settings().modelSize);
      if (m == 0) {
        problems = report.problems;
        withoutMask = report.withoutMask;
      }
      QCOMPARE(report.scores.size(), std::size_t{2});
      for (std::size_t k = 0; k < 2; ++k) {
        const session::LocalisationScore& s = report.scores[k];
        const int row = static_cast<int>(2 * m + k);
        QVERIFY(s.images > 0);
        QCOMPARE(table->item(row, LocalisationDialog::kMethod)->text(),
                 QString::fromStdString(std::string(explain::camMethodName(s.method))));
        QCOMPARE(table->item(row, LocalisationDialog::kImages)->text(), QString::number(s.images));
        QCOMPARE(table->item(row, LocalisationDialog::kPointing)->text(),
                 QString("%1 (%2/%3, chance %4)")
                     .arg(QString::number(s.pointingGame, 'f', 3))
                     .arg(s.hits)
                     .arg(s.images)
                     .arg(QString::number(s.reachArea, 'f', 3)));
        // 2 px of slack: the pointing game's chance is above the mask area, the energy's; scored
        // strictly, the same maps hit no more often and their chance is the mask area.
        QVERIFY(s.reachArea > s.maskArea);
        QCOMPARE(s.within.size(), std::size_t{1});
        QCOMPARE(s.within[0].tolerance, 0);
        QVERIFY(s.within[0].hits <= s.hits);
        QVERIFY(std::abs(s.within[0].reachArea - s.maskArea) < 1e-12);
        QVERIFY(std::abs(s.within[0].pointingGame - double(s.within[0].hits) / s.images) < 1e-12);
        QCOMPARE(table->item(row, LocalisationDialog::kEnergy)->text(),
                 QString::number(s.energyInside, 'f', 3));
        QCOMPARE(table->item(row, LocalisationDialog::kChance)->text(),
                 QString::number(s.maskArea, 'f', 3));
        QVERIFY(
            std::abs(table->item(row, LocalisationDialog::kEnergy)->data(Qt::UserRole).toDouble() -
                     s.energyInside) < 1e-9);
        bestPointing = std::max(bestPointing, s.pointingGame);
        bestEnergy = std::max(bestEnergy, s.energyInside);
      }
    }
    QCOMPARE(table->item(0, LocalisationDialog::kModel)->text().left(4), QString("now "));
    QCOMPARE(table->item(2, LocalisationDialog::kModel)->text(),
             QString("v1 (%1 labels)").arg(sources[1].labelsSeen));
    // The best of each score column, and only it, is bold.
    const auto value = [&](int row, int c) {
      return table->item(row, c)->data(Qt::UserRole).toDouble();
    };
    double bestShownPointing = -1;
    double bestShownEnergy = -1;
    for (int row = 0; row < table->rowCount(); ++row) {
      bestShownPointing = std::max(bestShownPointing, value(row, LocalisationDialog::kPointing));
      bestShownEnergy = std::max(bestShownEnergy, value(row, LocalisationDialog::kEnergy));
    }
    QVERIFY(std::abs(bestShownPointing - bestPointing) < 1e-9);
    QVERIFY(std::abs(bestShownEnergy - bestEnergy) < 1e-9);
    for (int row = 0; row < table->rowCount(); ++row) {
      QCOMPARE(table->item(row, LocalisationDialog::kPointing)->font().bold(),
               value(row, LocalisationDialog::kPointing) == bestShownPointing);
      QCOMPARE(table->item(row, LocalisationDialog::kEnergy)->font().bold(),
               value(row, LocalisationDialog::kEnergy) == bestShownEnergy);
      QVERIFY(!table->item(row, LocalisationDialog::kChance)->font().bold());
    }
    // The damaged image and the row without a mask are listed with core's reasons, once each.
    QCOMPARE(problems.size(), std::size_t{1});
    QCOMPARE(withoutMask.size(), std::size_t{1});
    QCOMPARE(dialog.problemList()->count(), 2);
    QCOMPARE(dialog.problemList()->item(0)->text(), QString::fromStdString(problems.front()));
    QVERIFY(dialog.problemList()->item(0)->text().contains("broken.png"));
    QCOMPARE(dialog.problemList()->item(1)->text(),
             QString("images/nomask.png: no mask 'nomask.png'"));
    QVERIFY2(dialog.statusText().contains("rows left out: 2"), qPrintable(dialog.statusText()));

    // Saved as CSV: a header and a line per row, what Copy puts on the clipboard.
    QVERIFY(dialog.saveButton()->isEnabled());
    const fs::path csv = root() / "out" / "localisation.csv";
    fs::create_directories(csv.parent_path());
    QVERIFY(dialog.saveCsv(QString::fromStdString(csv.string())));
    const QByteArray bytes = readAll(csv);
    QCOMPARE(QString::fromUtf8(bytes), dialog.csv());
    QCOMPARE(bytes.count('\n'), 5);
    QVERIFY(bytes.startsWith("model,version,labels_seen,method,images,hits,pointing_game,"));

    // Bad input: a clear message, and the table on screen stays.
    dialog.masksEdit()->setText(QString::fromStdString((root() / "no-such-masks").string()));
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 0);
    QVERIFY2(dialog.statusText().contains("no such folder of lesion masks") &&
                 dialog.statusText().contains("no-such-masks"),
             qPrintable(dialog.statusText()));
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(readAll(csv), bytes);
  }

  void localisationRejectsBadInputClearly() {
    LocalisationDialog dialog(nullptr, *trained_, tiny());
    dialog.labelsEdit()->clear();
    dialog.runButton()->click();  // refused before any run starts
    QVERIFY(!dialog.busy());
    QVERIFY2(dialog.statusText().contains("Choose the labels CSV"),
             qPrintable(dialog.statusText()));

    const fs::path bad = root() / "bad_labels.csv";
    std::ofstream(bad) << "file,label\n"
                       << (trained_->projectDir() / "held_out" / "images").string()
                       << "/x.png,99\n";
    dialog.labelsEdit()->setText(QString::fromStdString(bad.string()));
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 0);
    QVERIFY2(dialog.statusText().contains("class 99 is not in the scheme"),
             qPrintable(dialog.statusText()));
    QCOMPARE(dialog.table()->rowCount(), 0);
    QVERIFY(dialog.csv().isEmpty());

    // A damaged checkpoint: core's reason, naming the file, and no table.
    dialog.labelsEdit()->setText(
        QString::fromStdString((trained_->projectDir() / "held_out" / "labels.csv").string()));
    const std::vector<session::ModelSource> sources = session::modelSources(*trained_);
    QCOMPARE(sources.size(), std::size_t{2});
    const fs::path checkpoint = sources[1].checkpoint;
    const QByteArray original = readAll(checkpoint);
    QVERIFY(!original.isEmpty());
    { std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << "torn"; }
    dialog.sourceList()->item(0)->setCheckState(Qt::Unchecked);
    dialog.sourceList()->item(1)->setCheckState(Qt::Checked);
    const int outcome = clickAndWait(dialog, dialog.runButton());
    const QString status = dialog.statusText();
    {
      std::ofstream(checkpoint, std::ios::binary | std::ios::trunc)
          .write(original.constData(), original.size());
    }
    QCOMPARE(outcome, 0);
    QVERIFY2(status.contains("cannot read") &&
                 status.contains(QString::fromStdString(checkpoint.filename().string())),
             qPrintable(status));
    QCOMPARE(dialog.table()->rowCount(), 0);
  }

  void localisationCancelShowsNothingAndSaysSo() {
    LocalisationDialog dialog(nullptr, *trained_, tiny());
    for (int i = 0; i < dialog.sourceList()->count(); ++i)
      dialog.sourceList()->item(i)->setCheckState(Qt::Checked);
    QVERIFY(runAndCancel(dialog, dialog.runButton()));
    QCOMPARE(dialog.table()->rowCount(), 0);
    QCOMPARE(dialog.problemList()->count(), 0);
    QVERIFY(dialog.csv().isEmpty());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY(!dialog.copyButton()->isEnabled());
    QVERIFY(dialog.runButton()->isEnabled());
  }

  void positionBiasTableShowsCoresSummary() {
    PositionBiasDialog dialog(nullptr, *trained_, tiny());
    QCOMPARE(dialog.sourceBox()->count(), 2);  // now and v1
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY(!dialog.copyButton()->isEnabled());
    QVERIFY(dialog.selectVersion(1));
    dialog.methodBox()->setCurrentIndex(dialog.methodBox()->findText("eigencam"));
    QVERIFY(dialog.methodBox()->currentText() == "eigencam");
    dialog.thresholdBox()->setValue(0.9);
    // layer4, where the threshold decides for these two maps (at the default layer3 both
    // thresholds give the same count).
    QComboBox* layers = dialog.layerChoice();
    layers->setCurrentIndex(layers->findData(static_cast<int>(model::ResNetLayer::kLayer4)));
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 1);

    // The same inputs straight into core.
    const std::vector<session::ModelSource> sources = session::modelSources(*trained_);
    QCOMPARE(sources.size(), std::size_t{2});
    session::LateralityOptions options;
    options.method = explain::CamMethod::EigenCam;
    options.layer = model::ResNetLayer::kLayer4;
    options.thresholds = savedDiagnosticThresholds(QSettings());
    options.thresholds.oneSidedShare = 0.9;
    session::LoadedVersion model =
        session::loadModelSource(sources[1], trained_->settings(), tiny(), c10::kCPU);
    const std::vector<session::TrustImage> images = session::labelledTrustImages(*trained_);
    QCOMPARE(images.size(), std::size_t{2});
    const session::LateralityReport report =
        session::summariseModelLaterality(model, images, options, trained_->settings().modelSize);
    QCOMPARE(report.overall.images, 2);
    QCOMPARE(report.perClass.size(), std::size_t{2});  // classes 1 and 2, one image each
    // The inputs matter: the default threshold or Grad-CAM would give other numbers.
    session::LateralityOptions defaults = options;
    defaults.thresholds.oneSidedShare = explain::DiagnosticThresholds{}.oneSidedShare;
    QVERIFY(
        session::summariseModelLaterality(model, images, defaults, trained_->settings().modelSize)
            .overall.oneSided != report.overall.oneSided);
    session::LateralityOptions gradCam = options;
    gradCam.method = explain::CamMethod::GradCam;
    QVERIFY(std::abs(session::summariseModelLaterality(model, images, gradCam,
                                                       trained_->settings().modelSize)
                         .overall.meanLeftShare -
                     report.overall.meanLeftShare) > 1e-6);

    QTableWidget* table = dialog.table();
    QCOMPARE(table->rowCount(), 3);
    const auto expectRow = [&](int row, const QString& group, const explain::LateralitySummary& s) {
      QCOMPARE(table->item(row, PositionBiasDialog::kGroup)->text(), group);
      QCOMPARE(table->item(row, PositionBiasDialog::kImages)->text(), QString::number(s.images));
      QCOMPARE(table->item(row, PositionBiasDialog::kOneSided)->text(),
               QString::number(s.oneSided));
      QCOMPARE(table->item(row, PositionBiasDialog::kShare)->text(),
               QString::number(static_cast<double>(s.oneSided) / s.images, 'f', 3));
      QCOMPARE(table->item(row, PositionBiasDialog::kMeanLeft)->text(),
               QString::number(s.meanLeftShare, 'f', 3));
      QVERIFY(
          std::abs(table->item(row, PositionBiasDialog::kMeanLeft)->data(Qt::UserRole).toDouble() -
                   s.meanLeftShare) < 1e-12);
      QCOMPARE(table->item(row, PositionBiasDialog::kBiased)->text(),
               QString(s.biased ? "yes" : "no"));
    };
    expectRow(0, "All images", report.overall);
    for (std::size_t c = 0; c < report.perClass.size(); ++c) {
      expectRow(static_cast<int>(c) + 1, QString::fromStdString(report.perClass[c].className),
                report.perClass[c].summary);
    }
    QCOMPARE(dialog.verdictText(), QString::fromStdString(report.verdict));
    QCOMPARE(dialog.problemList()->count(), 0);
    QVERIFY2(dialog.statusText().contains("Explained 2 images") &&
                 dialog.statusText().contains(QString("v1 (%1 labels)").arg(sources[1].labelsSeen)),
             qPrintable(dialog.statusText()));

    // Saved as CSV: a header and a line per row, what Copy puts on the clipboard.
    QVERIFY(dialog.saveButton()->isEnabled());
    const fs::path csv = root() / "out" / "position_bias.csv";
    fs::create_directories(csv.parent_path());
    QVERIFY(dialog.saveCsv(QString::fromStdString(csv.string())));
    const QByteArray bytes = readAll(csv);
    QCOMPARE(QString::fromUtf8(bytes), dialog.csv());
    QCOMPARE(bytes.count('\n'), 4);
    QVERIFY(bytes.startsWith("group,class_index,images,one_sided,one_sided_share,"));
    QVERIFY2(dialog.csv().contains(QString("\nAll images,,2,%1,").arg(report.overall.oneSided)),
             qPrintable(dialog.csv()));

    // A limit: only the first labelled image.
    dialog.limitBox()->setValue(1);
    QCOMPARE(clickAndWait(dialog, dialog.runButton()), 1);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, PositionBiasDialog::kImages)->text(), QString("1"));
  }

  void positionBiasListsImagesLeftOut() {
    // An unreadable labelled image is left out with core's reason; the rest is summarised.
    const std::vector<session::TrustImage> images = session::labelledTrustImages(*trained_);
    QCOMPARE(images.size(), std::size_t{2});
    const fs::path file = images[1].file;
    const QByteArray original = readAll(file);
    QVERIFY(!original.isEmpty());
    { std::ofstream(file, std::ios::binary | std::ios::trunc) << "not an image"; }
    PositionBiasDialog dialog(nullptr, *trained_, tiny());
    const int outcome = clickAndWait(dialog, dialog.runButton());
    {
      std::ofstream(file, std::ios::binary | std::ios::trunc)
          .write(original.constData(), original.size());
    }
    QCOMPARE(outcome, 1);
    QCOMPARE(dialog.problemList()->count(), 1);
    QVERIFY2(dialog.problemList()->item(0)->text().startsWith(
                 QString::fromStdString(images[1].relativePath + ": ")),
             qPrintable(dialog.problemList()->item(0)->text()));
    QCOMPARE(dialog.table()->item(0, PositionBiasDialog::kImages)->text(), QString("1"));
    QVERIFY2(dialog.statusText().contains("1 left out"), qPrintable(dialog.statusText()));
  }

  // Two readers of four slices: dr.a says 0, 1, 0, 1; dr.b 0, 1, 0, 0. Same class on 3 of 4;
  // chance 0.5 from the marginals (2/2 and 3/1), so Cohen's kappa (0.75 - 0.5) / 0.5 = 0.5.
  void agreementDialogShowsEachPairAndSavesCsv() {
    const fs::path dir = root() / "readers";
    session::createDemoProject(dir, demoOptions(3));
    {
      auto p = project::Project::open(dir);
      for (int i = 0; i < 4; ++i) {
        const std::int64_t id = p->imageAt(i)->id;
        p->label(id, i % 2, "dr.a");
        p->label(id, i == 3 ? 0 : i % 2, "dr.b");
      }
      p->skip(p->imageAt(4)->id, "dr.a");
    }
    auto s = session::Session::open(dir, tinyOptions(false));
    AgreementDialog dialog(nullptr, *s);
    QTableWidget* overall = dialog.overallTable();
    QCOMPARE(overall->rowCount(), 2);  // the pair, then all readers
    QCOMPARE(overall->item(0, 0)->text(), QString("dr.a / dr.b (Cohen)"));
    QCOMPARE(overall->item(0, 1)->text(), QString("4"));
    QCOMPARE(overall->item(0, 2)->text(), QString("75%"));
    QCOMPARE(overall->item(0, 3)->text(), QString("0.50"));
    QCOMPARE(overall->item(1, 0)->text(), QString("All 2 readers (Fleiss)"));
    QVERIFY2(dialog.summaryLabel()->text().contains("Skips left out: 1"),
             qPrintable(dialog.summaryLabel()->text()));
    QCOMPARE(dialog.classTable()->rowCount(), 10);
    QCOMPARE(dialog.classTable()->item(0, 0)->text(), QString("0.50"));
    QCOMPARE(dialog.classTable()->item(5, 0)->text(), QString("-"));  // nobody said RBILD
    QVERIFY(dialog.saveButton()->isEnabled());
    const fs::path csv = root() / "agreement.csv";
    QVERIFY(dialog.saveCsv(QString::fromStdString(csv.string())));
    QVERIFY2(readAll(csv).contains("pair,dr.a,dr.b,,4,0.75,0.5,"), readAll(csv).constData());
    QVERIFY(!dialog.saveCsv(QString::fromStdString((root() / "no/such/folder/a.csv").string())));
  }

  void agreementDialogWithOneReaderSaysWhatItNeeds() {
    AgreementDialog dialog(nullptr, *trained_);
    QVERIFY2(dialog.summaryLabel()->text().contains("two readers at least"),
             qPrintable(dialog.summaryLabel()->text()));
    QCOMPARE(dialog.overallTable()->rowCount(), 0);
    QVERIFY(!dialog.saveButton()->isEnabled());
  }

  void positionBiasWithoutLabelsSaysSo() {
    PositionBiasDialog dialog(nullptr, *seeded_, tiny());
    QVERIFY(session::labelledTrustImages(*seeded_).empty());
    dialog.runButton()->click();  // refused before any run starts
    QVERIFY(!dialog.busy());
    QVERIFY2(dialog.statusText().contains("The project has no labelled image yet"),
             qPrintable(dialog.statusText()));
    QCOMPARE(dialog.table()->rowCount(), 0);
    QVERIFY(dialog.csv().isEmpty());
    QVERIFY(dialog.verdictText().isEmpty());
  }

  void positionBiasCancelShowsNothingAndSaysSo() {
    PositionBiasDialog dialog(nullptr, *trained_, tiny());
    QVERIFY(runAndCancel(dialog, dialog.runButton()));
    QCOMPARE(dialog.table()->rowCount(), 0);
    QCOMPARE(dialog.problemList()->count(), 0);
    QVERIFY(dialog.verdictText().isEmpty());
    QVERIFY(dialog.csv().isEmpty());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY(!dialog.copyButton()->isEnabled());
    QVERIFY(dialog.runButton()->isEnabled());
  }

  void theEntryPointsOpenWindowModalDialogsThatDeleteThemselves() {
    QWidget window;
    window.show();
    QPointer<QDialog> dialog = showSanityCheckDialog(&window, *seeded_, seededImage_, tiny());
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->windowModality(), Qt::WindowModal);
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 5000);

    QPointer<QDialog> localisation = showLocalisationDialog(&window, *trained_, tiny());
    QVERIFY(qobject_cast<LocalisationDialog*>(localisation.data()) != nullptr);
    QVERIFY(localisation->isVisible());
    QCOMPARE(localisation->windowModality(), Qt::WindowModal);
    localisation->close();
    QTRY_VERIFY_WITH_TIMEOUT(localisation.isNull(), 5000);

    QPointer<QDialog> bias = showPositionBiasDialog(&window, *trained_, tiny());
    QVERIFY(qobject_cast<PositionBiasDialog*>(bias.data()) != nullptr);
    QVERIFY(bias->isVisible());
    QCOMPARE(bias->windowModality(), Qt::WindowModal);
    QCOMPARE(bias->windowTitle(), QString("Position bias"));
    bias->close();
    QTRY_VERIFY_WITH_TIMEOUT(bias.isNull(), 5000);
  }
};

}  // namespace camlabel::ui

QTEST_MAIN(camlabel::ui::TrustDialogsTest)
#include "trust_dialogs_test.moc"
