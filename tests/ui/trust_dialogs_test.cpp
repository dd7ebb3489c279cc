// The trust dialogs on demo projects with a tiny network: what a clinician sees and what lands on
// disk.

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/explain/sanity.h"
#include "core/project/project.h"
#include "core/session/demo.h"
#include "core/session/session.h"
#include "core/session/trust_tools.h"
#include "ui/image_conversion.h"
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
    QSignalSpy finished(&dialog, &TrustDialogBase::runFinished);
    dialog.exportButton()->click();
    QVERIFY(dialog.busy());
    QVERIFY(!dialog.exportButton()->isEnabled());
    auto* cancel = dialog.findChild<QPushButton*>();
    for (auto* button : dialog.findChildren<QPushButton*>())
      if (button->text() == "Cancel") cancel = button;
    QVERIFY(cancel->isVisibleTo(&dialog));
    cancel->click();
    QVERIFY(finished.wait(kWaitMs));
    QCOMPARE(finished.takeFirst().at(0).toBool(), false);
    QCOMPARE(dialog.statusText(), QString("Cancelled."));
    QVERIFY(!fs::exists(png));
    QVERIFY(dialog.exportButton()->isEnabled());

    // Closing during a run cancels it and closes once it has ended: the GUI never waits.
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
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
                             {explain::CamMethod::GradCam}, model::ResNetLayer::kLayer4, 64, 0.6);
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
  }
};

}  // namespace camlabel::ui

QTEST_MAIN(camlabel::ui::TrustDialogsTest)
#include "trust_dialogs_test.moc"
