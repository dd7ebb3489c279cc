// SPDX-License-Identifier: Apache-2.0
// Projects and settings: the new project wizard, importing more images beside an open session,
// the recent projects and start window, the settings dialog, and the resume notice's text.
// Everything asserted is what a user sees or what lands on disk.

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHostAddress>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/imaging/phantom.h"
#include "core/model/resnet.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/session/session.h"
#include "core/team/team_server.h"
#include "dicom_cd.h"
#include "orthanc_server.h"
#include "postgres_server.h"
#include "ui/adjudication_dialog.h"
#include "ui/agreement_dialog.h"
#include "ui/assignment_dialog.h"
#include "ui/import_dialog.h"
#include "ui/key_bindings.h"
#include "ui/language.h"
#include "ui/project_wizard.h"
#include "ui/recent_projects.h"
#include "ui/resume_summary.h"
#include "ui/settings_dialog.h"
#include "ui/start_window.h"
#include "ui_test_support.h"

namespace camlabel::ui {

namespace fs = std::filesystem;

namespace {}  // namespace

/// The CD folder's study on a throwaway Orthanc, and a new-project wizard shown on its first
/// page, set to take that study into projectDir.
struct PacsWizard {
  PacsWizard(const fs::path& root, const fs::path& projectDir)
      : cd(camlabel::test::writeCdFolder(root / "cd")), server(root / "orthanc") {
    server.storeFolder(root / "cd");
    wizard.show();
    wizard.setProjectFolder(QString::fromStdString(projectDir.string()));
    wizard.setPacsSource(QString::fromStdString(server.address()),
                         QString::fromStdString(cd.studyInstanceUid));
  }
  camlabel::test::CdFolder cd;
  camlabel::test::OrthancServer server;
  ProjectWizard wizard;
  QSignalSpy finished{&wizard, &ProjectWizard::importFinished};
};

class ProjectsTest : public QObject {
  Q_OBJECT

 private:
  /// Generous for hashing a few small files on a loaded 2-core machine; each wait ends at its
  /// signal.
  static constexpr int kWaitMs = 20'000;
  static constexpr int kPhantomSize = 64;

  std::unique_ptr<QTemporaryDir> dir_;

  fs::path root() const { return dir_->path().toStdString(); }
  static QString q(const fs::path& path) { return QString::fromStdString(path.string()); }

  /// count phantom slices as 16-bit PNGs in folder (flat), named by prefix.
  static void writePhantoms(const fs::path& folder, int count, std::uint64_t seed) {
    std::string setName = folder.filename().string();
    setName.append("_set");
    const fs::path set = folder.parent_path() / setName;
    imaging::PhantomSetOptions options;
    options.count = count;
    options.size = kPhantomSize;
    options.seed = seed;
    imaging::writePhantomSet(set, options);
    fs::create_directories(folder);
    for (const auto& entry : fs::directory_iterator(set / "images"))
      fs::rename(entry.path(), folder / entry.path().filename());
    fs::remove_all(set);
  }

  static void writeFile(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }

  /// A label row as a team member's workstation sends it.
  static project::LoggedLabel logged(std::int64_t id, const char* sha, const char* reader,
                                     int classIndex) {
    project::LoggedLabel l;
    l.id = id;
    l.action = "label";
    l.classIndex = classIndex;
    l.annotator = reader;
    l.time = "2026-12-07T08:00:00.000Z";
    l.imageSha256 = sha;
    l.imagePath = std::string(sha) + ".png";
    return l;
  }

  static session::SessionOptions tinyOptions() {
    session::SessionOptions options;
    options.annotator = "dr-test";
    options.config = model::namedNetwork("tiny").value();
    return options;
  }

  /// A project at root()/project over root()/images holding `images` phantoms, closed again.
  fs::path makeProject(int images) const {
    writePhantoms(root() / "images", images, 7);
    project::ProjectSettings settings;
    settings.imageRoot = root() / "images";
    settings.modelSize = kPhantomSize;
    auto project = project::Project::create(root() / "project", settings);
    project->importImages();
    return root() / "project";
  }

  std::unique_ptr<QSettings> settingsFile() const {
    return std::make_unique<QSettings>(dir_->filePath("camlabel.ini"), QSettings::IniFormat);
  }

 private slots:
  void initTestCase() {
    test::quietOffscreenPlatform();
    // As the app starts: English, with the singular and plural of texts that count.
    QVERIFY(setUiLanguage("en"));
    // What the wizard remembers (a PACS address) goes to a settings file of the tests' own, and
    // no test sees another's.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
  }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
  }
  void cleanup() {
    dir_.reset();
    QSettings().clear();
  }

  void theWizardCreatesTheProjectAndReportsAnUnreadableFile() {
    const fs::path images = root() / "scans";
    writePhantoms(images / "series1", 3, 1);
    writePhantoms(images / "series2", 2, 2);
    writeFile(images / "series2" / "broken.png", "this is not a PNG file");
    const fs::path projectDir = root() / "new project";

    ProjectWizard wizard;
    QSignalSpy created(&wizard, &ProjectWizard::projectCreated);
    QSignalSpy finished(&wizard, &ProjectWizard::importFinished);
    wizard.show();
    wizard.setProjectFolder(q(projectDir));
    wizard.setImageFolder(q(images));
    QCOMPARE(wizard.scheme(), QStringLiteral("pattern"));
    wizard.setSnapshotEvery(5);
    wizard.setTrainingMode("head");
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    QVERIFY(!fs::exists(projectDir / "project.sqlite"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kImportPage));
    QCOMPARE(created.size(), 1);
    QVERIFY(finished.wait(kWaitMs));

    const QString text = wizard.importText();
    QVERIFY2(text.contains("Added 5 images."), qPrintable(text));
    QVERIFY2(text.contains("1 file could not be read and was skipped:"), qPrintable(text));
    QVERIFY2(text.contains("series2/broken.png: "), qPrintable(text));
    QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
    QCOMPARE(wizard.button(QWizard::FinishButton)->text(), QStringLiteral("Open project"));

    // The worker closed the project, so it opens (and its lock is free) at once.
    auto project = project::Project::open(projectDir);
    QCOMPARE(project->imageCount(), 5);
    QVERIFY(project->findImage("series1/phantom_0001.png").has_value());
    QVERIFY(!project->findImage("series2/broken.png").has_value());
    QCOMPARE(project->settings().snapshotEvery, 5);
    QCOMPARE(project->settings().trainingMode, std::string("head"));
    QCOMPARE(project->settings().scheme.name, std::string("pattern"));
    QCOMPARE(project->settings().imageRoot, fs::canonical(images));
    QVERIFY(project->settings().baseWeights.empty());
    QCOMPARE(fs::path(wizard.projectFolder().toStdString()), fs::absolute(projectDir));
  }

  // Slices from a PACS: the wizard retrieves the study into the project's own folder, then
  // imports it as a CD (series by series, the localizer skipped), and says what came.
  void theWizardRetrievesAPacsStudyIntoTheProject() {
    const camlabel::test::CdFolder cd = camlabel::test::writeCdFolder(root() / "cd");
    camlabel::test::OrthancServer server(root() / "orthanc");
    server.storeFolder(root() / "cd");
    const fs::path projectDir = root() / "from pacs";

    ProjectWizard wizard;
    QSignalSpy finished(&wizard, &ProjectWizard::importFinished);
    wizard.show();
    wizard.setProjectFolder(q(projectDir));
    wizard.setPacsSource(QStringLiteral("http://ORTHANC@127.0.0.1:1"),
                         QString::fromStdString(cd.studyInstanceUid));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kFoldersPage));
    QVERIFY2(wizard.pageError().contains("dicom://CALLED_AET@HOST:PORT"),
             qPrintable(wizard.pageError()));
    wizard.setPacsSource(QString::fromStdString(server.address()), QString());
    wizard.next();
    QVERIFY2(wizard.pageError().contains("patient ID"), qPrintable(wizard.pageError()));

    wizard.setPacsSource(QString::fromStdString(server.address()),
                         QString::fromStdString(cd.studyInstanceUid));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    QVERIFY(!fs::exists(projectDir));
    wizard.setTrainingMode("head");
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kImportPage));
    QVERIFY(finished.wait(kWaitMs));
    const QString text = wizard.importText();
    QVERIFY2(text.contains("From the PACS: 3 CT series, 6 files: 6 retrieved, 0 already here.") &&
                 text.contains(QStringLiteral("Added %1 images.").arg(cd.slicesInOrder.size())) &&
                 text.contains("1 localizer"),
             qPrintable(text));

    auto project = project::Project::open(projectDir);
    QCOMPARE(project->imageCount(), static_cast<std::int64_t>(cd.slicesInOrder.size()));
    QCOMPARE(project->settings().imageRoot, fs::canonical(projectDir / "images"));
    QVERIFY(project->imageAt(0)->relativePath.rfind("pacs/", 0) == 0);
  }

  // "Find series" lists the study's series, each ticked; what the user leaves ticked is what
  // is retrieved (here the second axial series only: not the scout, not the first series).
  void theWizardRetrievesTheSeriesLeftTicked() {
    const fs::path projectDir = root() / "chosen series";
    PacsWizard pacs(root(), projectDir);
    ProjectWizard& wizard = pacs.wizard;
    QSignalSpy& finished = pacs.finished;
    const camlabel::test::CdFolder& cd = pacs.cd;
    auto* find = wizard.findChild<QPushButton*>("findPacsSeries");
    auto* list = wizard.findChild<QListWidget*>("pacsSeries");
    auto* status = wizard.findChild<QLabel*>("pacsSeriesStatus");
    QVERIFY(find && list && status);
    QVERIFY(!list->isVisible());
    find->click();
    QCOMPARE(list->count(), 3);
    QVERIFY(list->isVisible());
    QVERIFY2(status->text().contains("3 CT series found"), qPrintable(status->text()));
    QVERIFY2(list->item(0)->text().startsWith("Series 1") &&
                 list->item(1)->text().contains("(3 images)") &&
                 list->item(2)->text().startsWith("Series 3"),
             qPrintable(list->item(1)->text()));
    for (int row = 0; row < 3; ++row)
      QCOMPARE(list->item(row)->checkState(), Qt::Checked);
    for (const std::string& identifier : cd.identifiers)
      for (int row = 0; row < 3; ++row)
        QVERIFY(!list->item(row)->text().contains(QString::fromStdString(identifier)));

    // Nothing ticked is refused on the page.
    for (int row = 0; row < 3; ++row)
      list->item(row)->setCheckState(Qt::Unchecked);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kFoldersPage));
    QVERIFY2(wizard.pageError().contains("Tick at least one series"),
             qPrintable(wizard.pageError()));
    list->item(2)->setCheckState(Qt::Checked);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    wizard.setTrainingMode("head");
    wizard.next();
    QVERIFY(finished.wait(kWaitMs));
    const QString text = wizard.importText();
    QVERIFY2(text.contains("From the PACS: 1 CT series, 2 files: 2 retrieved, 0 already here.") &&
                 text.contains(QStringLiteral("Added 2 images.")),
             qPrintable(text));
    QCOMPARE(project::Project::open(projectDir)->imageCount(), std::int64_t{2});
  }

  // The PACS goes away before the retrieval: the import page says so and offers Retrieve again,
  // which (the PACS back) fetches the study into the project made the first time.
  void aRetrievalThatFailedIsRetriedFromTheImportPage() {
    const fs::path projectDir = root() / "retried";
    PacsWizard pacs(root(), projectDir);
    ProjectWizard& wizard = pacs.wizard;
    QSignalSpy& finished = pacs.finished;
    camlabel::test::OrthancServer& server = pacs.server;
    wizard.next();
    wizard.setTrainingMode("head");
    server.kill();
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kImportPage));
    QVERIFY(finished.wait(kWaitMs));
    auto* retry = wizard.findChild<QPushButton*>("retrieveAgain");
    QVERIFY(retry);
    QVERIFY2(wizard.importText().contains("The import failed") && retry->isVisible(),
             qPrintable(wizard.importText()));

    server.start();
    finished.clear();
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(finished.wait(kWaitMs));
    QVERIFY2(wizard.importText().contains(
                 "From the PACS: 3 CT series, 6 files: 6 retrieved, 0 already here.") &&
                 !retry->isVisible(),
             qPrintable(wizard.importText()));
    QCOMPARE(project::Project::open(projectDir)->imageCount(),
             static_cast<std::int64_t>(pacs.cd.slicesInOrder.size()));
  }

  // Another study typed after the list was found: the list goes (it named the old study's
  // series), and every series of the new one would be retrieved.
  void aSeriesListIsForgottenWhenTheStudyChanges() {
    PacsWizard pacs(root(), root() / "p");
    ProjectWizard& wizard = pacs.wizard;
    const camlabel::test::CdFolder& cd = pacs.cd;
    auto* list = wizard.findChild<QListWidget*>("pacsSeries");
    wizard.findChild<QPushButton*>("findPacsSeries")->click();
    QCOMPARE(list->count(), 3);
    auto* value = wizard.findChild<QLineEdit*>("pacsQueryValue");
    QVERIFY(value);
    value->setFocus();
    QTest::keyClick(value, Qt::Key_9);
    QCOMPARE(list->count(), 0);
    QVERIFY(!list->isVisible());
    // A PACS that cannot be reached says so beside the button, and lists nothing.
    wizard.setPacsSource(QStringLiteral("dicom://NOBODY@127.0.0.1:1"),
                         QString::fromStdString(cd.studyInstanceUid));
    wizard.findChild<QPushButton*>("findPacsSeries")->click();
    QCOMPARE(list->count(), 0);
    QVERIFY2(wizard.pageError().contains("127.0.0.1"), qPrintable(wizard.pageError()));
  }

  void theWizardMakesATeamProjectOnlyWhereTheServerTakesIt() {
    camlabel::test::PostgresServer pg;
    const std::string address = pg.createDatabase("team");
    team::TeamServer(address).prepare(project::builtinScheme("features"));  // the team's scheme
    const fs::path images = root() / "scans";
    writePhantoms(images, 3, 1);
    const fs::path projectDir = root() / "team project";
    ProjectWizard wizard;
    QSignalSpy finished(&wizard, &ProjectWizard::importFinished);
    wizard.show();
    wizard.setProjectFolder(q(projectDir));
    wizard.setImageFolder(q(images));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));

    wizard.setTeamServer(QStringLiteral("postgresql://dr:s3cret@localhost/team"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    QVERIFY2(wizard.pageError().contains(".pgpass") && !wizard.pageError().contains("s3cret"),
             qPrintable(wizard.pageError()));

    // A server that takes the connection and never answers: the window goes on painting while
    // the check waits out its timeout (5 s), on a thread of its own.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    wizard.setTeamServer(
        QStringLiteral("host=127.0.0.1 port=%1 dbname=team").arg(silent.serverPort()));
    bool paintedWhileChecking = false;
    QTimer::singleShot(300, &wizard, [&] {
      paintedWhileChecking = wizard.pageError().contains("Checking the team server");
    });
    wizard.next();
    QVERIFY(paintedWhileChecking);
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    QVERIFY2(!wizard.pageError().isEmpty() && !wizard.pageError().contains("Checking"),
             qPrintable(wizard.pageError()));
    QVERIFY(!fs::exists(projectDir / "project.sqlite"));

    wizard.setTeamServer(QString::fromStdString(address));
    wizard.next();  // the default scheme is not the team's
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    QVERIFY2(wizard.pageError().contains("same classes"), qPrintable(wizard.pageError()));
    QVERIFY(!fs::exists(projectDir / "project.sqlite"));

    wizard.setScheme(QStringLiteral("features"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kImportPage));
    QVERIFY(finished.wait(kWaitMs));
    auto project = project::Project::open(projectDir);
    QCOMPARE(project->settings().teamServer, address);
    QCOMPARE(project->settings().workstationId.size(), std::size_t{32});
    QCOMPARE(project->imageCount(), std::int64_t{3});
  }

  void disagreementsAreAdjudicatedFromTheDialog() {
    camlabel::test::PostgresServer pg;
    const std::string address = pg.createDatabase("team");
    const project::ClassScheme scheme = project::builtinScheme("pattern");
    team::TeamServer server(address);
    server.prepare(scheme);
    // Two readers' labels of three slices: they disagree on the second and the third.
    server.send("ws-a", {logged(1, "s1", "dr.a", 1), logged(2, "s2", "dr.a", 2),
                         logged(3, "s3", "dr.a", 3)});
    server.send("ws-b", {logged(1, "s1", "dr.b", 1), logged(2, "s2", "dr.b", 4),
                         logged(3, "s3", "dr.b", 5)});
    project::ProjectSettings settings;
    settings.scheme = scheme;
    settings.teamServer = address;
    settings.workstationId = "ws-c";

    AdjudicationDialog dialog(nullptr, settings, "dr.c");
    QSignalSpy shown(&dialog, &AdjudicationDialog::queueShown);
    dialog.show();
    QVERIFY(shown.wait(kWaitMs));
    QVERIFY2(dialog.statusText().contains("Readers disagree on 2 slices"),
             qPrintable(dialog.statusText()));
    QCOMPARE(dialog.queueTable()->rowCount(), 2);
    QCOMPARE(dialog.queueTable()->item(0, 0)->text(), QStringLiteral("s2.png"));
    QVERIFY2(dialog.queueTable()->item(0, 1)->text().contains("dr.a: 2 NSIP/P, dr.b: 4 COP"),
             qPrintable(dialog.queueTable()->item(0, 1)->text()));
    QVERIFY(!dialog.adjudicateButton()->isEnabled());

    dialog.queueTable()->selectRow(0);
    dialog.classBox()->setCurrentIndex(dialog.classBox()->findData(4));
    QVERIFY(dialog.adjudicateButton()->isEnabled());
    shown.clear();
    QTest::mouseClick(dialog.adjudicateButton(), Qt::LeftButton);
    QVERIFY(shown.wait(kWaitMs));  // recorded, then the queue read again
    QCOMPARE(dialog.queueTable()->rowCount(), 1);
    QVERIFY2(dialog.statusText().contains("1 adjudicated"), qPrintable(dialog.statusText()));
    const auto adjudications = team::TeamServer(address).adjudications();
    QCOMPARE(adjudications.size(), std::size_t{1});
    QCOMPARE(adjudications[0].imageSha256, std::string("s2"));
    QCOMPARE(adjudications[0].classIndex, 4);
    QCOMPARE(adjudications[0].adjudicator, std::string("dr.c"));

    {
      // Blinded double reading of three: a reader who still owes slice 3 a reading does not see
      // how the others read it, only that it is left out.
      team::TeamServer(address).setAssignment({3, true}, "owner");
      AdjudicationDialog blinded(nullptr, settings, "dr.d");
      QSignalSpy blindedShown(&blinded, &AdjudicationDialog::queueShown);
      blinded.show();
      QVERIFY(blindedShown.wait(kWaitMs));
      QCOMPARE(blinded.queueTable()->rowCount(), 0);
      QVERIFY2(blinded.statusText().contains("your reading (blinded double reading): 1 slice."),
               qPrintable(blinded.statusText()));
    }

    pg.stop();  // the server away: the dialog says so, nothing else happens
    dialog.queueTable()->selectRow(0);
    shown.clear();
    QTest::mouseClick(dialog.adjudicateButton(), Qt::LeftButton);
    QVERIFY(shown.wait(kWaitMs));
    QVERIFY2(dialog.statusText().contains("cannot reach the team server"),
             qPrintable(dialog.statusText()));
  }

  // Label > Double reading…: the team's setting as the server holds it; Set records a new one
  // under the reader's name; a reader's login that may not set it sees the server's refusal and
  // the setting stays as it was.
  void theDoubleReadingIsSetFromTheDialog() {
    camlabel::test::PostgresServer pg;
    const std::string address = pg.createDatabase("team");
    team::TeamServer(address).prepare(project::builtinScheme("pattern"));

    AssignmentDialog dialog(nullptr, address, "dr.owner");
    QSignalSpy shown(&dialog, &AssignmentDialog::settingShown);
    dialog.show();
    QVERIFY(shown.wait(kWaitMs));
    QVERIFY2(dialog.statusText().contains("no double reading"), qPrintable(dialog.statusText()));
    QCOMPARE(dialog.readingsBox()->value(), 0);
    QVERIFY(!dialog.blindedBox()->isEnabled());
    dialog.readingsBox()->setValue(2);
    QVERIFY(dialog.blindedBox()->isEnabled() && dialog.blindedBox()->isChecked());
    shown.clear();
    QTest::mouseClick(dialog.setButton(), Qt::LeftButton);
    QVERIFY(shown.wait(kWaitMs));  // recorded, then read back
    QVERIFY2(dialog.statusText().contains("each slice 2 times, blinded"),
             qPrintable(dialog.statusText()));
    QCOMPARE(team::TeamServer(address).assignment(), (team::Assignment{2, true}));

    pg.sql("team", "CREATE ROLE camlabel_reader LOGIN");
    pg.sql("team", "GRANT SELECT ON camlabel_assignment TO camlabel_reader");
    AssignmentDialog asReader(nullptr, pg.address("team", "camlabel_reader"), "dr.reader");
    QSignalSpy readerShown(&asReader, &AssignmentDialog::settingShown);
    asReader.show();
    QVERIFY(readerShown.wait(kWaitMs));
    QCOMPARE(asReader.readingsBox()->value(), 2);
    asReader.readingsBox()->setValue(3);
    asReader.blindedBox()->setChecked(false);
    readerShown.clear();
    QTest::mouseClick(asReader.setButton(), Qt::LeftButton);
    QVERIFY(readerShown.wait(kWaitMs));
    QVERIFY2(asReader.statusText().contains("permission denied") ||
                 asReader.statusText().contains("owner"),
             qPrintable(asReader.statusText()));
    QVERIFY(asReader.setButton()->isEnabled());  // the reader may try again, or close
    QCOMPARE(team::TeamServer(address).assignment(), (team::Assignment{2, true}));
  }

  void aTeamsAgreementIsReadFromTheServerAndRefreshed() {
    camlabel::test::PostgresServer pg;
    const std::string address = pg.createDatabase("team");
    const fs::path projectDir = makeProject(2);
    team::joinTeamServer(*project::Project::open(projectDir), address);
    team::TeamServer server(address);
    server.send("ws-a", {logged(1, "s1", "dr.a", 1), logged(2, "s2", "dr.a", 2)});
    server.send("ws-b", {logged(1, "s1", "dr.b", 1), logged(2, "s2", "dr.b", 3)});
    auto session = session::Session::open(projectDir, tinyOptions());
    // The session's own view of the readers is the team's, not this folder's alone.
    QCOMPARE(session->readerDecisions().size(), std::size_t{4});

    AgreementDialog dialog(nullptr, *session);
    QSignalSpy measured(&dialog, &AgreementDialog::measured);
    QVERIFY(measured.wait(kWaitMs));
    QVERIFY2(dialog.summaryLabel()->text().contains("dr.a (2 slices), dr.b (2 slices)"),
             qPrintable(dialog.summaryLabel()->text()));
    QCOMPARE(dialog.overallTable()->rowCount(), 2);  // the pair, and all readers

    // A third reader labels meanwhile; Refresh shows them.
    server.send("ws-c", {logged(1, "s1", "dr.c", 1), logged(2, "s2", "dr.c", 2)});
    QPushButton* refresh = nullptr;
    for (QPushButton* button : dialog.findChildren<QPushButton*>())
      if (button->text() == QStringLiteral("Refresh")) refresh = button;
    QVERIFY(refresh != nullptr && refresh->isEnabled());
    measured.clear();
    QTest::mouseClick(refresh, Qt::LeftButton);
    QVERIFY(measured.wait(kWaitMs));
    QVERIFY2(dialog.summaryLabel()->text().contains("dr.c (2 slices)"),
             qPrintable(dialog.summaryLabel()->text()));
    QCOMPARE(dialog.overallTable()->rowCount(), 4);  // three pairs, and all readers

    // While the dialog is open, a fourth reader's labels appear without a press.
    dialog.setWatchInterval(100);
    server.send("ws-d", {logged(1, "s1", "dr.d", 1), logged(2, "s2", "dr.d", 2)});
    QTRY_VERIFY_WITH_TIMEOUT(dialog.summaryLabel()->text().contains("dr.d (2 slices)"), kWaitMs);
    QCOMPARE(dialog.overallTable()->rowCount(), 7);  // six pairs, and all readers
  }

  // Qt's own texts (the wizard's buttons) follow the interface language too.
  void qtsOwnButtonsAreJapaneseInTheJapaneseInterface() {
    QVERIFY(setUiLanguage("ja"));
    QString next, cancel;
    {
      ProjectWizard wizard;
      next = wizard.buttonText(QWizard::NextButton);
      cancel = wizard.buttonText(QWizard::CancelButton);
    }
    QVERIFY(setUiLanguage("en"));  // before any check can fail: later tests expect English
    auto japanese = [](const QString& text) {
      return std::any_of(text.begin(), text.end(), [](QChar c) {
        return c.unicode() >= 0x3040 && c.unicode() <= 0x9FFF;  // kana and kanji
      });
    };
    QVERIFY2(japanese(next), qPrintable(next));
    QVERIFY2(japanese(cancel), qPrintable(cancel));
    ProjectWizard english;
    QVERIFY2(english.buttonText(QWizard::NextButton).contains("Next"),
             qPrintable(english.buttonText(QWizard::NextButton)));
  }

  void theWizardRefusesBadFoldersAndLosesNothing() {
    const fs::path images = root() / "images";
    writePhantoms(images, 2, 3);
    const fs::path busy = root() / "busy";
    fs::create_directories(busy);
    writeFile(busy / "notes.txt", "keep me");
    const fs::path empty = root() / "no images";
    fs::create_directories(empty / "sub");
    writeFile(empty / "sub" / "readme.txt", "no images here");

    ProjectWizard wizard;
    wizard.show();
    wizard.setProjectFolder(q(busy));
    wizard.setImageFolder(q(images));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kFoldersPage));
    QVERIFY2(wizard.pageError().contains("is not empty"), qPrintable(wizard.pageError()));
    QCOMPARE(fs::directory_iterator(busy)->path().filename(), fs::path("notes.txt"));
    QVERIFY(!fs::exists(busy / "project.sqlite"));

    wizard.setProjectFolder(q(root() / "fresh"));
    wizard.setImageFolder(q(empty));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kFoldersPage));
    QVERIFY2(wizard.pageError().contains("holds no DICOM, PNG, JPEG, TIFF or BMP files"),
             qPrintable(wizard.pageError()));

    // Unwritable even for root: the folder would have to be made inside a file.
    wizard.setProjectFolder(q(busy / "notes.txt" / "project"));
    wizard.setImageFolder(q(images));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kFoldersPage));
    QVERIFY2(wizard.pageError().contains("cannot be created"), qPrintable(wizard.pageError()));

    // A weights file that is not there stops "Create project" before anything is written.
    wizard.setProjectFolder(q(root() / "fresh"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    auto* download = wizard.findChild<QAbstractButton*>("downloadWeights");
    QVERIFY(download != nullptr);
    QSignalSpy downloadAsked(&wizard, &ProjectWizard::weightsDownloadRequested);
    download->click();
    QCOMPARE(downloadAsked.size(), 1);
    wizard.setWeightsFile(q(root() / "resnet50-missing.pth"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ProjectWizard::kModelPage));
    QVERIFY2(wizard.pageError().contains("cannot be read"), qPrintable(wizard.pageError()));
    QVERIFY(!fs::exists(root() / "fresh"));
    QCOMPARE(std::ifstream(busy / "notes.txt").get(), 'k');
  }

  void moreImagesAreImportedBesideAnOpenSession() {
    const fs::path projectDir = makeProject(2);
    auto session = session::Session::open(projectDir, tinyOptions());
    QCOMPARE(session->imageCount(), 2);
    writePhantoms(root() / "images" / "more", 3, 11);
    writeFile(root() / "images" / "more" / "damaged.dcm", "DICM but not really");

    QVERIFY(!importFolderProblem(root() / "elsewhere", root() / "images").isEmpty());
    fs::create_directories(root() / "elsewhere");
    QVERIFY(importFolderProblem(root() / "elsewhere", root() / "images")
                .contains("is not inside the project's image folder"));
    QVERIFY(importFolderProblem(root() / "images" / "more", root() / "images").isEmpty());

    std::unique_ptr<ImportDialog> dialog(
        ImportDialog::forSession(*session, root() / "images" / "more"));
    QSignalSpy done(dialog.get(), &ImportDialog::importDone);
    dialog->show();
    dialog->start();
    // The store stays usable from this thread while the import runs.
    QVERIFY(session->counts().images >= 2);
    QVERIFY(done.wait(kWaitMs));
    const QString text = dialog->statusText();
    QVERIFY2(text.contains("Added 3 images."), qPrintable(text));
    QVERIFY2(text.contains("more/damaged.dcm: "), qPrintable(text));
    QCOMPARE(session->imageCount(), 5);
    QCOMPARE(session->counts().unlabelled, 5);
    QVERIFY(session->findImage("more/phantom_0002.png").has_value());

    // Importing the same folder again adds nothing and says so.
    std::unique_ptr<ImportDialog> again(
        ImportDialog::forSession(*session, root() / "images" / "more"));
    QSignalSpy doneAgain(again.get(), &ImportDialog::importDone);
    again->start();
    QVERIFY(doneAgain.wait(kWaitMs));
    QVERIFY2(again->statusText().contains("Added 0 images.") &&
                 again->statusText().contains("3 files were already in the project"),
             qPrintable(again->statusText()));

    // Cancelled before its first file: the dialog says so and the project is as it was.
    writePhantoms(root() / "images" / "later", 2, 12);
    std::unique_ptr<ImportDialog> cancelled(
        ImportDialog::forSession(*session, root() / "images" / "later"));
    QSignalSpy doneCancelled(cancelled.get(), &ImportDialog::importDone);
    cancelled->job().cancel();
    cancelled->start();
    QVERIFY(doneCancelled.wait(kWaitMs));
    QVERIFY2(cancelled->statusText().contains("The import was cancelled."),
             qPrintable(cancelled->statusText()));
    QVERIFY(!cancelled->isRunning());
    QCOMPARE(session->imageCount(), 5);

    // A CD's folder: its slices are added, what is not a slice is counted by kind.
    const camlabel::test::CdFolder cd = camlabel::test::writeCdFolder(root() / "images" / "cd");
    std::unique_ptr<ImportDialog> fromCd(
        ImportDialog::forSession(*session, root() / "images" / "cd"));
    QSignalSpy doneCd(fromCd.get(), &ImportDialog::importDone);
    fromCd->start();
    QVERIFY(doneCd.wait(kWaitMs));
    const QString cdText = fromCd->statusText();
    QVERIFY2(cdText.contains(QStringLiteral("Added %1 images.").arg(cd.slicesInOrder.size())) &&
                 cdText.contains("Skipped, as not slices to label: 1 DICOMDIR, 1 structured "
                                 "report, 1 localizer."),
             qPrintable(cdText));
    const int total = 5 + static_cast<int>(cd.slicesInOrder.size());
    QCOMPARE(session->imageCount(), total);

    session->close();
    QCOMPARE(project::Project::open(projectDir)->imageCount(), total);
  }

  void recentProjectsKeepOrderLimitAndShowMissingOnes() {
    auto settings = settingsFile();
    std::vector<fs::path> projects;
    for (int i = 0; i < kMaxRecentProjects + 2; ++i) {
      std::string name = "p";
      name.append(std::to_string(i));
      projects.push_back(root() / name);
      fs::create_directories(projects.back());
      writeFile(projects.back() / "project.sqlite", "");
      addRecentProject(*settings, q(projects.back()));
    }
    QStringList list = recentProjects(*settings);
    QCOMPARE(list.size(), kMaxRecentProjects);
    QCOMPARE(list.first(), q(projects.back()));
    QCOMPARE(list.last(), q(projects[2]));
    addRecentProject(*settings, q(projects[5]) + "/");
    list = recentProjects(*settings);
    QCOMPARE(list.size(), kMaxRecentProjects);
    QCOMPARE(list.first(), q(projects[5]));
    QCOMPARE(list.count(q(projects[5])), 1);

    fs::remove_all(projects[7]);
    QCOMPARE(missingRecentProjects(*settings), QStringList{q(projects[7])});

    StartWindow start(*settings);
    start.show();
    const QStringList shown = start.shownRecent();
    QCOMPARE(shown.size(), kMaxRecentProjects);
    const auto missingRow = static_cast<int>(shown.indexOf(q(projects[7]) + " (missing)"));
    QVERIFY2(missingRow >= 0, qPrintable(shown.join('\n')));
    QVERIFY(start.noteText().contains("1 recent project is missing"));
    QSignalSpy chosen(&start, &StartWindow::projectChosen);
    start.openRecent(missingRow);
    QCOMPARE(chosen.size(), 0);
    QVERIFY(start.noteText().contains("no longer holds a camlabel project"));
    start.openRecent(0);
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.first().first().toString(), q(projects[5]));

    QVERIFY(!start.openFolder(q(root())));
    QVERIFY(start.noteText().contains("is not a camlabel project"));
    QCOMPARE(chosen.size(), 1);

    // The demo: an existing demo project opens at once; a folder holding other files is refused.
    start.setDemoFolder(q(projects[3]));
    start.openDemo();
    QCOMPARE(chosen.size(), 2);
    QCOMPARE(chosen.last().first().toString(), q(projects[3]));
    start.setDemoFolder(q(root() / "p7_busy"));
    fs::create_directories(root() / "p7_busy");
    writeFile(root() / "p7_busy" / "mine.txt", "keep");
    start.openDemo();
    QCOMPARE(chosen.size(), 2);
    QVERIFY2(start.noteText().contains("holds other files"), qPrintable(start.noteText()));
    QVERIFY(fs::exists(root() / "p7_busy" / "mine.txt"));
    QVERIFY(!fs::exists(root() / "p7_busy" / "project.sqlite"));

    start.forgetMissing();
    QCOMPARE(recentProjects(*settings).size(), kMaxRecentProjects - 1);
    QVERIFY(!recentProjects(*settings).contains(q(projects[7])));
    QCOMPARE(start.shownRecent().size(), kMaxRecentProjects - 1);
    removeRecentProject(*settings, q(projects[5]));
    QCOMPARE(recentProjects(*settings).first(), q(projects.back()));
  }

  void settingsSaveRebindKeysAndRefuseAClash() {
    auto settings = settingsFile();
    SettingsDialog dialog(*settings, nullptr);
    dialog.show();
    QVERIFY(!dialog.hasProjectSettings());
    QCOMPARE(dialog.keyBindings(), KeyBindings::defaults());

    // S for skip pressed as 5: taken by "Label class 5", shown, and OK refuses.
    dialog.setKeys(Command::kSkip, {QKeySequence(Qt::Key_5)});
    QCOMPARE(dialog.conflicts().size(), 1);
    QVERIFY(dialog.conflicts().first().contains("Skip the image"));
    QVERIFY(!dialog.canAccept());
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY(!settings->contains("keys/skip"));

    // The user types X into skip's key field.
    auto* edit = dialog.findChild<QKeySequenceEdit*>("skip_key");
    QVERIFY(edit != nullptr);
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_X);
    QCOMPARE(dialog.keyBindings().keys(Command::kSkip).first(), QKeySequence(Qt::Key_X));
    QVERIFY(dialog.conflicts().isEmpty());
    QVERIFY(dialog.canAccept());
    dialog.setLanguage("ja");

    QSignalSpy changed(&dialog, &SettingsDialog::keyBindingsChanged);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(changed.size(), 1);
    settings->sync();
    const QSettings reread(dir_->filePath("camlabel.ini"), QSettings::IniFormat);
    QCOMPARE(KeyBindings::load(reread).keys(Command::kSkip).first(), QKeySequence(Qt::Key_X));
    QCOMPARE(KeyBindings::load(reread).keys(Command::kUndo),
             KeyBindings::defaults().keys(Command::kUndo));
    QCOMPARE(savedLanguage(reread), QStringLiteral("ja"));

    SettingsDialog next(*settings, nullptr);
    QCOMPARE(next.language(), QStringLiteral("ja"));
    QCOMPARE(next.keyBindings().keys(Command::kSkip).first(), QKeySequence(Qt::Key_X));
    next.restoreDefaults();
    QCOMPARE(next.keyBindings(), KeyBindings::defaults());
  }

  void trustCheckThresholdsAreSavedAndAnUnreadableOneFallsBack() {
    auto settings = settingsFile();
    SettingsDialog dialog(*settings, nullptr);
    QCOMPARE(dialog.diagnosticThresholds().cornerShare,
             explain::DiagnosticThresholds{}.cornerShare);
    // The user raises the corner warning's threshold and the lungs' HU limit in their boxes.
    const auto box = [&dialog](const QString& name) -> QDoubleSpinBox* {
      for (auto* b : dialog.findChildren<QDoubleSpinBox*>())
        if (b->toolTip() == name) return b;
      return nullptr;
    };
    QVERIFY(box("corner_share") != nullptr && box("lung_hu") != nullptr);
    box("corner_share")->setValue(0.6);
    box("lung_hu")->setValue(-350);
    box("border_share")->setValue(5);  // clamped to its range
    QCOMPARE(dialog.diagnosticThresholds().borderShare, 1.0);
    box("border_share")->setValue(explain::DiagnosticThresholds{}.borderShare);
    dialog.accept();
    settings->sync();
    const QSettings reread(dir_->filePath("camlabel.ini"), QSettings::IniFormat);
    QCOMPARE(savedDiagnosticThresholds(reread).cornerShare, 0.6);
    QCOMPARE(savedDiagnosticThresholds(reread).lungHu, -350.0);
    QVERIFY2(!reread.contains("trust/border_share"), "defaults are not written");
    // A hand-edited value outside its range keeps the default.
    settings->setValue("trust/corner_share", 7);
    QCOMPARE(savedDiagnosticThresholds(*settings).cornerShare,
             explain::DiagnosticThresholds{}.cornerShare);
    SettingsDialog next(*settings, nullptr);
    QCOMPARE(next.diagnosticThresholds().lungHu, -350.0);
    next.restoreDefaults();
    QCOMPARE(next.diagnosticThresholds().lungHu, explain::DiagnosticThresholds{}.lungHu);
  }

  void theSnapshotIntervalLandsInTheProjectsSettings() {
    const fs::path projectDir = makeProject(2);
    auto session = session::Session::open(projectDir, tinyOptions());
    auto settings = settingsFile();
    SettingsDialog dialog(*settings, session.get());
    QVERIFY(dialog.hasProjectSettings());
    QCOMPARE(dialog.snapshotEvery(), 10);
    QCOMPARE(dialog.trainingMode(), QStringLiteral("auto"));
    dialog.setSnapshotEvery(25);
    dialog.setTrainingMode("full");
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(session->storedSettings().snapshotEvery, 25);
    // The running session keeps what it opened with, as the dialog says.
    QCOMPARE(session->settings().snapshotEvery, 10);
    SettingsDialog again(*settings, session.get());
    QCOMPARE(again.snapshotEvery(), 25);
    session->close();
    auto project = project::Project::open(projectDir);
    QCOMPARE(project->settings().snapshotEvery, 25);
    QCOMPARE(project->settings().trainingMode, std::string("full"));
  }

  void theResumeNoticeSaysWhatWasRestored() {
    session::ResumeReport report;
    QVERIFY(!resumeWorthShowing(report));
    QCOMPARE(
        resumeSummary(report, std::nullopt, 300),
        QStringLiteral("Starting at the first unlabelled image of 300 with the starting model."));

    report.version = 3;
    report.labelsInStore = 34;
    report.labelsRetrained = 4;
    report.position = 1234;
    report.skippedCheckpoints = {"models/pattern_v4.pt is truncated"};
    QVERIFY(resumeWorthShowing(report));
    QVERIFY(resumeHasProblems(report));
    QCOMPARE(resumeSummary(report, 40, 300),
             QStringLiteral("Resumed at image 41 of 300 with model v3 (30 labels). 4 labels given "
                            "after v3 are being trained again. Skipped a damaged checkpoint: "
                            "models/pattern_v4.pt is truncated"));

    report.version.reset();
    report.labelsInStore = 1;
    report.labelsRetrained = 1;
    report.skippedCheckpoints.clear();
    QCOMPARE(resumeSummary(report, 0, 2),
             QStringLiteral("Resumed at image 1 of 2 with the starting model. 1 label is being "
                            "trained again."));
  }
};

}  // namespace camlabel::ui

QTEST_MAIN(camlabel::ui::ProjectsTest)
#include "projects_test.moc"
