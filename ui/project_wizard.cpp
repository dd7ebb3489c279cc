// SPDX-License-Identifier: Apache-2.0
#include "ui/project_wizard.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QWizardPage>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "core/common/error.h"
#include "core/imaging/image_folder.h"
#include "core/pacs/pacs_client.h"
#include "core/project/class_scheme.h"
#include "core/project/project.h"
#include "core/team/team_server.h"
#include "ui/import_dialog.h"
#include "ui/label_window.h"
#include "ui/language.h"

namespace camlabel::ui {

namespace fs = std::filesystem;

namespace {

/// Largest snapshot interval offered: a version per 10,000 labels is already rarer than useful.
constexpr int kMaxSnapshotEvery = 10'000;
/// Progress bar steps.
constexpr int kBarSteps = 1000;

QString q(const fs::path& path) {
  return QString::fromStdString(path.string());
}

fs::path p(const QString& text) {
  return fs::path(QDir::cleanPath(text.trimmed()).toStdString());
}

/// A line edit with a "Browse…" button that picks a folder or a file.
struct PathRow {
  QLineEdit* edit = nullptr;
  QPushButton* browse = nullptr;
  QHBoxLayout* layout = nullptr;
};

PathRow makePathRow(QWidget* parent) {
  PathRow row;
  row.edit = new QLineEdit(parent);
  row.browse = new QPushButton(ProjectWizard::tr("Browse…"), parent);
  row.layout = new QHBoxLayout;
  row.layout->addWidget(row.edit, 1);
  row.layout->addWidget(row.browse);
  return row;
}

QLabel* makeErrorLabel(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #b00020;"));
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

QLabel* makeNote(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setWordWrap(true);
  return label;
}

/// Waits for work started on a thread of its own (a connection to a server, up to its timeout)
/// while the window keeps painting; input waits, as it would for a modal message. With a wait
/// cursor.
template <typename T>
T waitPainting(std::future<T>& work) {
  QApplication::setOverrideCursor(Qt::WaitCursor);
  QEventLoop loop;
  QTimer poll;
  poll.setInterval(20);
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    if (work.wait_for(std::chrono::seconds(0)) == std::future_status::ready) loop.quit();
  });
  poll.start();
  if (work.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    loop.exec(QEventLoop::ExcludeUserInputEvents);
  QApplication::restoreOverrideCursor();
  return work.get();
}

/// The nearest folder that exists at or above dir ("" when none).
fs::path existingAncestor(fs::path dir) {
  std::error_code ec;
  dir = fs::absolute(dir, ec);
  while (!dir.empty()) {
    if (fs::exists(dir, ec)) return dir;
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

}  // namespace

QString newProjectFolderProblem(const fs::path& projectDir) {
  std::error_code ec;
  if (projectDir.empty()) return ProjectWizard::tr("Choose a folder for the new project.");
  if (fs::exists(projectDir, ec)) {
    if (!fs::is_directory(projectDir, ec))
      return ProjectWizard::tr("'%1' is a file, not a folder.").arg(q(projectDir));
    if (project::isProjectFolder(projectDir))
      return ProjectWizard::tr("'%1' already holds a camlabel project: open it instead.")
          .arg(q(projectDir));
    if (!fs::is_empty(projectDir, ec) || ec)
      return ProjectWizard::tr(
                 "'%1' is not empty. Choose a new or empty folder for the project, "
                 "so that nothing in it is mixed with the project's files.")
          .arg(q(projectDir));
    if (!QFileInfo(q(projectDir)).isWritable())
      return ProjectWizard::tr("camlabel cannot write in '%1': choose a folder you may write to.")
          .arg(q(projectDir));
  } else {
    const fs::path ancestor = existingAncestor(projectDir);
    if (ancestor.empty() || !fs::is_directory(ancestor, ec))
      return ProjectWizard::tr("The folder '%1' cannot be created: '%2' is not a folder.")
          .arg(q(projectDir), q(ancestor));
    if (!QFileInfo(q(ancestor)).isWritable())
      return ProjectWizard::tr("The folder '%1' cannot be created: camlabel cannot write in '%2'.")
          .arg(q(projectDir), q(ancestor));
  }
  return {};
}

QString newProjectProblem(const fs::path& projectDir, const fs::path& imageDir, int* imageFiles) {
  if (imageFiles != nullptr) *imageFiles = 0;
  if (QString problem = newProjectFolderProblem(projectDir); !problem.isEmpty()) return problem;
  std::error_code ec;
  if (imageDir.empty()) return ProjectWizard::tr("Choose the folder with the images to import.");
  if (!fs::is_directory(imageDir, ec))
    return ProjectWizard::tr("The image folder '%1' is not a folder.").arg(q(imageDir));
  std::size_t count = 0;
  try {
    count = imaging::listImageFiles(imageDir, true).size();
  } catch (const Error& e) {
    return ProjectWizard::tr("The image folder '%1' cannot be read: %2")
        .arg(q(imageDir), QString::fromStdString(e.what()));
  }
  if (count == 0)
    return ProjectWizard::tr(
               "The image folder '%1' holds no DICOM, PNG, JPEG, TIFF or BMP files "
               "(sub-folders included).")
        .arg(q(imageDir));
  if (imageFiles != nullptr) *imageFiles = static_cast<int>(count);
  return {};
}

namespace {

/// Where a new project's slices come from when they come from a PACS.
struct PacsSource {
  pacs::PacsAddress address;
  pacs::SeriesQuery query;
};

/// QSettings keys: the PACS is the user's setting, never the project's.
const QString kPacsAddressKey = QStringLiteral("pacs/address");
const QString kPacsCallingAetKey = QStringLiteral("pacs/callingAeTitle");

}  // namespace

class ProjectWizard::FoldersPage : public QWizardPage {
 public:
  enum Source { kFolder, kPacs };
  enum Query { kStudy, kPatient };

  explicit FoldersPage(QWidget* parent) : QWizardPage(parent) {
    setTitle(ProjectWizard::tr("Folders"));
    setSubTitle(ProjectWizard::tr(
        "The project keeps its labels and model versions in a folder of its own. Images in a "
        "folder are only read; slices from a PACS are copied into the project."));
    auto* layout = new QVBoxLayout(this);
    form = new QFormLayout;
    project = makePathRow(this);
    form->addRow(ProjectWizard::tr("Project folder (new or empty):"), project.layout);
    source = new QComboBox(this);
    source->setObjectName(QStringLiteral("slicesSource"));
    source->addItem(ProjectWizard::tr("A folder (also a patient CD or a PACS export)"), kFolder);
    source->addItem(ProjectWizard::tr("A PACS (query and retrieve)"), kPacs);
    form->addRow(ProjectWizard::tr("Slices from:"), source);
    images = makePathRow(this);
    form->addRow(ProjectWizard::tr("Images to import (DICOM, PNG, JPEG, TIFF, BMP; sub-folders "
                                   "included):"),
                 images.layout);
    const QSettings settings;
    pacsAddress = new QLineEdit(settings.value(kPacsAddressKey).toString(), this);
    pacsAddress->setPlaceholderText(QStringLiteral("dicom://PACS_AET@pacs.hospital.local:104"));
    form->addRow(ProjectWizard::tr("PACS address:"), pacsAddress);
    queryKind = new QComboBox(this);
    queryKind->addItem(ProjectWizard::tr("One study, by its Study Instance UID"), kStudy);
    queryKind->addItem(ProjectWizard::tr("Every study of a patient, by patient ID"), kPatient);
    queryValue = new QLineEdit(this);
    queryValue->setObjectName(QStringLiteral("pacsQueryValue"));
    form->addRow(ProjectWizard::tr("Take:"), queryKind);
    form->addRow(ProjectWizard::tr("Study Instance UID:"), queryValue);
    callingAet = new QLineEdit(
        settings.value(kPacsCallingAetKey, QStringLiteral("CAMLABEL")).toString(), this);
    callingAet->setMaxLength(16);
    form->addRow(ProjectWizard::tr("This workstation's AE title:"), callingAet);
    findSeries = new QPushButton(ProjectWizard::tr("Find series"), this);
    findSeries->setObjectName(QStringLiteral("findPacsSeries"));
    seriesStatus = makeNote(seriesHint(), this);
    seriesStatus->setObjectName(QStringLiteral("pacsSeriesStatus"));
    seriesRow = new QHBoxLayout;
    seriesRow->addWidget(findSeries);
    seriesRow->addWidget(seriesStatus, 1);
    form->addRow(ProjectWizard::tr("Series:"), seriesRow);
    seriesList = new QListWidget(this);
    seriesList->setObjectName(QStringLiteral("pacsSeries"));
    seriesList->setMaximumHeight(140);
    form->addRow(QString(), seriesList);
    pacsNote = makeNote(
        ProjectWizard::tr("CT series only, by C-FIND and C-GET; the PACS must know this "
                          "workstation's AE title. The address is remembered on this computer, "
                          "not in the project."),
        this);
    form->addRow(QString(), pacsNote);
    layout->addLayout(form);
    error = makeErrorLabel(this);
    layout->addWidget(error);
    layout->addStretch();
    connect(project.browse, &QPushButton::clicked, this, [this] {
      const QString dir = QFileDialog::getExistingDirectory(
          this, ProjectWizard::tr("Project folder"), project.edit->text());
      if (!dir.isEmpty()) project.edit->setText(dir);
    });
    connect(images.browse, &QPushButton::clicked, this, [this] {
      const QString dir = QFileDialog::getExistingDirectory(this, ProjectWizard::tr("Image folder"),
                                                            images.edit->text());
      if (!dir.isEmpty()) images.edit->setText(dir);
    });
    connect(source, &QComboBox::currentIndexChanged, this, &FoldersPage::showSource);
    connect(queryKind, &QComboBox::currentIndexChanged, this, [this] {
      if (auto* label = qobject_cast<QLabel*>(form->labelForField(queryValue)))
        label->setText(queryKind->currentData().toInt() == kStudy
                           ? ProjectWizard::tr("Study Instance UID:")
                           : ProjectWizard::tr("Patient ID:"));
    });
    // A list found for another PACS or study would choose series that are not there.
    for (QLineEdit* edit : {pacsAddress, queryValue, callingAet})
      connect(edit, &QLineEdit::textEdited, this, &FoldersPage::forgetSeries);
    connect(queryKind, &QComboBox::currentIndexChanged, this, &FoldersPage::forgetSeries);
    connect(findSeries, &QPushButton::clicked, this, &FoldersPage::lookForSeries);
    showSource();
  }

  bool fromPacs() const { return source->currentData().toInt() == kPacs; }

  void showSource() {
    showRows();
    error->clear();
  }

  /// The rows of the source chosen; the series list once there is one.
  void showRows() {
    const bool pacs = fromPacs();
    form->setRowVisible(images.layout, !pacs);
    for (QWidget* w :
         std::initializer_list<QWidget*>{pacsAddress, queryKind, queryValue, callingAet, pacsNote})
      form->setRowVisible(w, pacs);
    form->setRowVisible(seriesRow, pacs);
    form->setRowVisible(seriesList, pacs && seriesList->count() > 0);
  }

  /// What the status beside Find series says before a list is found.
  static QString seriesHint() {
    return ProjectWizard::tr(
        "To choose among the series, find them first; otherwise every CT series is retrieved.");
  }

  /// The list no longer fits the fields: every series is retrieved unless it is found again.
  void forgetSeries() {
    if (seriesList->count() == 0) return;
    seriesList->clear();
    seriesStatus->setText(seriesHint());
    showRows();
  }

  /// "Find series": asks the PACS for the series of the study (or patient) and lists them, each
  /// ticked; the ones left ticked are retrieved.
  void lookForSeries() {
    seriesList->clear();
    std::optional<PacsSource> chosen;
    const QString problem = pacsFields(chosen);
    if (!problem.isEmpty()) {
      error->setText(problem);
      showRows();
      return;
    }
    error->clear();
    seriesStatus->setText(ProjectWizard::tr("Asking the PACS for the series…"));
    struct Found {
      std::vector<pacs::SeriesInfo> series;
      std::string problem;
    };
    auto find = std::async(std::launch::async, [source = *chosen] {
      Found found;
      try {
        found.series = pacs::findSeriesOnPacs(source.address, source.query);
      } catch (const std::exception& e) {
        found.problem = e.what();
      }
      return found;
    });
    const Found found = waitPainting(find);
    if (!found.problem.empty()) {
      seriesStatus->setText(ProjectWizard::tr("The PACS could not be asked for the series."));
      error->setText(QString::fromStdString(found.problem));
      showRows();
    } else {
      showSeries(found.series);
    }
  }

  /// Lists the series found, each ticked.
  void showSeries(const std::vector<pacs::SeriesInfo>& series) {
    seriesList->clear();
    if (series.empty()) {
      seriesStatus->setText(ProjectWizard::tr("The PACS has no CT series for this query."));
    } else {
      const std::vector<std::string> studies = pacs::studiesIn(series);
      for (const pacs::SeriesInfo& s : series) {
        QString text = s.seriesNumber > 0 ? ProjectWizard::tr("Series %1").arg(s.seriesNumber)
                                          : ProjectWizard::tr("Series without a number");
        if (studies.size() > 1) {
          const auto k =
              std::find(studies.begin(), studies.end(), s.studyInstanceUid) - studies.begin();
          text = ProjectWizard::tr("Study %1, %2").arg(k + 1).arg(text);
        }
        if (const std::string description = pacs::shownDescription(s); !description.empty())
          text += QStringLiteral(": ") + QString::fromStdString(description);
        if (s.instances > 0)
          text += QStringLiteral(" ") + ProjectWizard::tr("(%n image(s))", "", s.instances);
        auto* item = new QListWidgetItem(text, seriesList);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        item->setData(Qt::UserRole, QString::fromStdString(s.seriesInstanceUid));
      }
      seriesStatus->setText(ProjectWizard::tr("%n CT series found: the ticked ones are retrieved.",
                                              "", static_cast<int>(series.size())));
    }
    showRows();
  }

  bool validatePage() override {
    QString problem;
    if (!fromPacs()) {
      problem = newProjectProblem(p(project.edit->text()), p(images.edit->text()), &imageFiles);
    } else {
      problem = newProjectFolderProblem(p(project.edit->text()));
      if (problem.isEmpty()) problem = pacsProblem();
    }
    error->setText(problem);
    return problem.isEmpty();
  }

  /// The PACS and the query the fields name, or why they cannot be used.
  QString pacsFields(std::optional<PacsSource>& out) const {
    try {
      PacsSource chosen;
      chosen.address = pacs::parsePacsAddress(pacsAddress->text().trimmed().toStdString());
      chosen.address.callingAeTitle = callingAet->text().toStdString();
      pacs::checkAeTitle(chosen.address.callingAeTitle, "This workstation's AE title");
      const std::string value = queryValue->text().trimmed().toStdString();
      if (value.empty())
        return queryKind->currentData().toInt() == kStudy
                   ? ProjectWizard::tr("Enter the Study Instance UID of the study to take.")
                   : ProjectWizard::tr("Enter the patient ID whose studies to take.");
      (queryKind->currentData().toInt() == kStudy ? chosen.query.studyInstanceUid
                                                  : chosen.query.patientId) = value;
      chosen.query.modality = "CT";
      out = chosen;
    } catch (const Error& e) {
      return QString::fromStdString(e.what());
    }
    return {};
  }

  /// Why the PACS fields cannot be used; empty when they can (pacs is then filled in, with the
  /// series ticked in the list, when it was found).
  QString pacsProblem() {
    std::optional<PacsSource> chosen;
    if (QString problem = pacsFields(chosen); !problem.isEmpty()) return problem;
    for (int row = 0; row < seriesList->count(); ++row) {
      const QListWidgetItem* item = seriesList->item(row);
      if (item->checkState() == Qt::Checked)
        chosen->query.seriesInstanceUids.push_back(
            item->data(Qt::UserRole).toString().toStdString());
    }
    if (seriesList->count() > 0 && chosen->query.seriesInstanceUids.empty())
      return ProjectWizard::tr("Tick at least one series to retrieve.");
    pacs = chosen;
    QSettings settings;
    settings.setValue(kPacsAddressKey, pacsAddress->text().trimmed());
    settings.setValue(kPacsCallingAetKey, callingAet->text());
    return {};
  }

  QFormLayout* form = nullptr;
  PathRow project;
  QComboBox* source = nullptr;
  PathRow images;
  QLineEdit* pacsAddress = nullptr;
  QComboBox* queryKind = nullptr;
  QLineEdit* queryValue = nullptr;
  QLineEdit* callingAet = nullptr;
  QPushButton* findSeries = nullptr;
  QLabel* seriesStatus = nullptr;
  QHBoxLayout* seriesRow = nullptr;
  QListWidget* seriesList = nullptr;  ///< the series found, ticked to be retrieved
  QLabel* pacsNote = nullptr;
  QLabel* error = nullptr;
  int imageFiles = 0;
  /// What validatePage accepted when the slices come from a PACS.
  std::optional<PacsSource> pacs;
};

class ProjectWizard::ModelPage : public QWizardPage {
 public:
  ModelPage(ProjectWizard* wizard, FoldersPage* folders)
      : QWizardPage(wizard), wizard_(wizard), folders_(folders) {
    setTitle(ProjectWizard::tr("Classes and model"));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, ProjectWizard::tr("Create project"));
    auto* layout = new QVBoxLayout(this);
    found = makeNote({}, this);
    layout->addWidget(found);
    auto* form = new QFormLayout;
    scheme = new QComboBox(this);
    for (const char* name : {"pattern", "features"}) {
      const project::ClassScheme s = project::builtinScheme(name);
      QStringList classes;
      for (int i = 0; i < static_cast<int>(s.classes.size()); ++i)
        classes.append(QStringLiteral("%1 %2").arg(i).arg(
            QString::fromStdString(s.className(i, uiLanguage()))));
      const QString title = std::string(name) == "pattern"
                                ? ProjectWizard::tr("ILD patterns (pattern)")
                                : ProjectWizard::tr("CT findings (features)");
      scheme->addItem(title, QString::fromLatin1(name));
      scheme->setItemData(scheme->count() - 1, classes.join(QLatin1Char('\n')), Qt::ToolTipRole);
    }
    form->addRow(ProjectWizard::tr("Class scheme:"), scheme);
    weights = makePathRow(this);
    download = new QPushButton(ProjectWizard::tr("Download…"), this);
    download->setObjectName(QStringLiteral("downloadWeights"));
    weights.layout->addWidget(download);
    form->addRow(ProjectWizard::tr("ResNet50 weights (optional):"), weights.layout);
    form->addRow(QString(),
                 makeNote(ProjectWizard::tr("torchvision's ImageNet file (resnet50-11ad3fa6.pth or "
                                            "resnet50-0676ba61.pth). Without one the model "
                                            "starts untrained and learns only from your labels."),
                          this));
    snapshot = new QSpinBox(this);
    snapshot->setRange(1, kMaxSnapshotEvery);
    snapshot->setValue(project::ProjectSettings{}.snapshotEvery);
    snapshot->setSuffix(ProjectWizard::tr(" labels"));
    form->addRow(ProjectWizard::tr("Keep a model version every:"), snapshot);
    mode = new QComboBox(this);
    mode->addItem(ProjectWizard::tr("Automatic: whole network without a weights file, last "
                                    "block with one (recommended)"),
                  QStringLiteral("auto"));
    mode->addItem(ProjectWizard::tr("Last layer only (head): fastest"), QStringLiteral("head"));
    mode->addItem(ProjectWizard::tr("Last block and head (layer4)"), QStringLiteral("layer4"));
    mode->addItem(ProjectWizard::tr("Whole network (full)"), QStringLiteral("full"));
    mode->setCurrentIndex(
        mode->findData(QString::fromStdString(project::ProjectSettings{}.trainingMode)));
    form->addRow(ProjectWizard::tr("Training:"), mode);
    // Empty each time: a server filled in from last time would make the next project a team's
    // without anyone asking for it.
    teamServer = new QLineEdit(this);
    teamServer->setObjectName(QStringLiteral("teamServer"));
    teamServer->setPlaceholderText(QStringLiteral("postgresql://HOST/DATABASE"));
    form->addRow(ProjectWizard::tr("Team server (optional):"), teamServer);
    form->addRow(QString(),
                 makeNote(ProjectWizard::tr("For a team that labels the same slices: each reader "
                                            "makes a project with the same PostgreSQL server, and "
                                            "the labels meet there. The password comes from "
                                            "~/.pgpass, never from this address."),
                          this));
    layout->addLayout(form);
    error = makeErrorLabel(this);
    layout->addWidget(error);
    layout->addStretch();
    connect(weights.browse, &QPushButton::clicked, this, [this] {
      const QString file = QFileDialog::getOpenFileName(
          this, ProjectWizard::tr("ResNet50 weights"), weights.edit->text(),
          ProjectWizard::tr("PyTorch weights (*.pth *.pt);;All files (*)"));
      if (!file.isEmpty()) weights.edit->setText(file);
    });
    connect(download, &QPushButton::clicked, wizard_, &ProjectWizard::weightsDownloadRequested);
  }

  void initializePage() override {
    if (folders_->pacs) {
      const pacs::PacsAddress& a = folders_->pacs->address;
      found->setText(
          ProjectWizard::tr("The CT series will be retrieved from the PACS '%1' at "
                            "%2:%3 into the project's folder (images/pacs).")
              .arg(QString::fromStdString(a.calledAeTitle), QString::fromStdString(a.host))
              .arg(a.port));
      return;
    }
    found->setText(ProjectWizard::tr("%1 image files found in '%2'.")
                       .arg(folders_->imageFiles)
                       .arg(folders_->images.edit->text()));
  }

  /// Connects to the team server and prepares its project for `scheme`; the problem, or empty.
  /// On a thread of its own: a connection takes up to its timeout (5 s), and the window keeps
  /// painting meanwhile (input waits, as it would for a modal message).
  QString checkTeamServer(const std::string& server, const project::ClassScheme& scheme) {
    error->setText(ProjectWizard::tr("Checking the team server…"));
    auto check = std::async(std::launch::async, [server, scheme] {
      try {
        team::TeamServer(server).prepare(scheme);
        return std::string();
      } catch (const std::exception& e) {
        return std::string(e.what());
      }
    });
    const std::string problem = waitPainting(check);
    error->clear();
    return QString::fromStdString(problem);
  }

  /// Creates the project: every check first, so a refusal leaves the folders as they were.
  bool validatePage() override {
    error->clear();
    const fs::path dir = p(folders_->project.edit->text());
    const bool fromPacs = folders_->fromPacs() && folders_->pacs;
    // Slices from a PACS go into the project's own folder, retrieved after it exists.
    const fs::path imageDir = fromPacs ? dir / "images" : p(folders_->images.edit->text());
    if (const QString problem =
            fromPacs ? newProjectFolderProblem(dir) : newProjectProblem(dir, imageDir);
        !problem.isEmpty()) {
      error->setText(problem);
      return false;
    }
    project::ProjectSettings settings;
    settings.scheme = project::builtinScheme(scheme->currentData().toString().toStdString());
    settings.snapshotEvery = snapshot->value();
    settings.trainingMode = mode->currentData().toString().toStdString();
    settings.imageRoot = imageDir;
    const QString weightsText = weights.edit->text().trimmed();
    if (!weightsText.isEmpty()) {
      const QFileInfo info(weightsText);
      if (!info.isFile() || !info.isReadable()) {
        error->setText(ProjectWizard::tr("The weights file '%1' cannot be read.").arg(weightsText));
        return false;
      }
      settings.baseWeights = fs::absolute(p(weightsText));
    }
    const std::string server = teamServer->text().trimmed().toStdString();
    if (!server.empty()) {
      // The team first: no folder is made for a server that cannot be reached or that labels
      // with another scheme.
      if (const QString problem = checkTeamServer(server, settings.scheme); !problem.isEmpty()) {
        error->setText(problem);
        return false;
      }
    }
    std::error_code ec;
    const bool dirExisted = fs::exists(dir, ec);
    try {
      if (fromPacs) fs::create_directories(imageDir);
      created = project::Project::create(dir, settings);
      if (!server.empty()) created->setTeamServer(server);
    } catch (const std::exception& e) {
      // Leave the folders as they were, so that the same folder can be chosen again.
      if (fromPacs) {
        fs::remove(imageDir, ec);
        if (!dirExisted) fs::remove(dir, ec);
      }
      error->setText(ProjectWizard::tr("The project could not be created: %1")
                         .arg(QString::fromStdString(e.what())));
      return false;
    }
    pacs = fromPacs ? folders_->pacs : std::nullopt;
    folders_->project.edit->setText(q(fs::absolute(dir)));
    emit wizard_->projectCreated(folders_->project.edit->text());
    return true;
  }

  QLabel* found = nullptr;
  QComboBox* scheme = nullptr;
  PathRow weights;
  QPushButton* download = nullptr;
  QSpinBox* snapshot = nullptr;
  QComboBox* mode = nullptr;
  QLineEdit* teamServer = nullptr;
  QLabel* error = nullptr;
  /// The new project, held (and locked) until the import page hands it to its worker.
  std::unique_ptr<project::Project> created;
  /// The PACS to retrieve its slices from first, if they come from one.
  std::optional<PacsSource> pacs;

 private:
  ProjectWizard* wizard_;
  FoldersPage* folders_;
};

class ProjectWizard::ImportPage : public QWizardPage {
 public:
  ImportPage(ProjectWizard* wizard, ModelPage* model)
      : QWizardPage(wizard), wizard_(wizard), model_(model) {
    setTitle(ProjectWizard::tr("Importing images"));
    setSubTitle(
        ProjectWizard::tr("Cancel stops the import; the project keeps the images "
                          "imported so far, and importing again adds the rest."));
    setButtonText(QWizard::FinishButton, ProjectWizard::tr("Open project"));
    auto* layout = new QVBoxLayout(this);
    bar = new QProgressBar(this);
    bar->setRange(0, kBarSteps);
    layout->addWidget(bar);
    status = makeNote({}, this);
    status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status);
    retry = new QPushButton(ProjectWizard::tr("Retrieve again"), this);
    retry->setObjectName(QStringLiteral("retrieveAgain"));
    retry->setToolTip(ProjectWizard::tr("Fetches the files that have not arrived, then imports"));
    retry->hide();
    auto* retryRow = new QHBoxLayout;
    retryRow->addWidget(retry);
    retryRow->addStretch();
    layout->addLayout(retryRow);
    layout->addStretch();
    connect(retry, &QPushButton::clicked, this, [this] {
      // The first job closed the project when it ended: this one opens it again.
      startJob([dir = folder](ProgressDelegate*) { return project::Project::open(dir); });
    });
  }

  void initializePage() override {
    if (job) return;
    // The worker owns the project from here and closes it (releasing its lock) when done, so
    // the labelling window can open it.
    auto holder = std::make_shared<std::unique_ptr<project::Project>>(std::move(model_->created));
    folder = holder->get()->dir();
    startJob([holder](ProgressDelegate*) { return std::move(*holder); });
  }

  /// Runs the retrieval (slices from a PACS) and the import on the project `open` gives.
  void startJob(std::function<std::unique_ptr<project::Project>(ProgressDelegate*)> open) {
    retry->hide();
    retrieved = std::make_shared<std::string>();
    job = std::make_unique<ImportJob>([open = std::move(open), source = model_->pacs,
                                       retrieved = retrieved](ProgressDelegate* progress) {
      const std::unique_ptr<project::Project> project = open(progress);
      if (!source) return project->importImages(std::nullopt, progress);
      const fs::path folder = project->settings().imageRoot / "pacs";
      const pacs::PacsRetrieval retrieval =
          pacs::retrieveFromPacs(source->address, source->query, folder, progress);
      *retrieved = pacs::describeRetrieval(retrieval);
      return project->importImages(folder, progress);
    });
    connect(job.get(), &ImportJob::progressed, this, [this](double fraction, const QString& text) {
      bar->setValue(static_cast<int>(fraction * kBarSteps));
      status->setText(text);
    });
    connect(job.get(), &ImportJob::finished, this, [this] {
      bar->setValue(kBarSteps);
      if (job->report()) {
        QString text = importSummary(*job->report());
        // The retrieval's line is core's (numbers and "CT"), shown as it is.
        if (!retrieved->empty())
          text.prepend(
              ProjectWizard::tr("From the PACS: %1.").arg(QString::fromStdString(*retrieved)) +
              QLatin1Char('\n'));
        status->setText(text);
      } else if (job->wasCancelled() && model_->pacs && retrieved->empty()) {
        status->setText(ProjectWizard::tr(
            "The retrieval was cancelled. The files that arrived are kept in the project's "
            "folder (images/pacs): Retrieve again fetches the rest and imports them."));
        retry->show();
      } else if (job->wasCancelled()) {
        status->setText(ProjectWizard::tr(
            "The import was cancelled. The project keeps the images imported so far; "
            "Import more images… on its image folder adds the rest."));
      } else {
        status->setText(ProjectWizard::tr("The import failed: %1").arg(job->errorText()));
        // A PACS that went away: what arrived is kept, and a retrieval fetches only the rest.
        if (model_->pacs && retrieved->empty()) retry->show();
      }
      emit completeChanged();
      emit wizard_->importFinished();
    });
    status->setText(ProjectWizard::tr("Importing images…"));
    job->start();
    emit completeChanged();
  }

  bool isComplete() const override { return job && !job->isRunning(); }

  QProgressBar* bar = nullptr;
  QLabel* status = nullptr;
  QPushButton* retry = nullptr;  ///< after a retrieval that did not finish
  fs::path folder;               ///< the new project's
  std::unique_ptr<ImportJob> job;
  /// What came from the PACS, written by the job's thread before it ends.
  std::shared_ptr<std::string> retrieved;

 private:
  ProjectWizard* wizard_;
  ModelPage* model_;
};

ProjectWizard::ProjectWizard(QWidget* parent) : QWizard(parent) {
  setWindowTitle(tr("New project"));
  setOption(QWizard::NoBackButtonOnLastPage);
  folders_ = new FoldersPage(this);
  model_ = new ModelPage(this, folders_);
  import_ = new ImportPage(this, model_);
  setPage(kFoldersPage, folders_);
  setPage(kModelPage, model_);
  setPage(kImportPage, import_);
  setStartId(kFoldersPage);
}

ProjectWizard::~ProjectWizard() = default;

void ProjectWizard::setProjectFolder(const QString& dir) {
  folders_->project.edit->setText(dir);
}
void ProjectWizard::setImageFolder(const QString& dir) {
  folders_->source->setCurrentIndex(folders_->source->findData(FoldersPage::kFolder));
  folders_->images.edit->setText(dir);
}
void ProjectWizard::setPacsSource(const QString& address, const QString& studyUid,
                                  const QString& patientId, const QString& callingAeTitle) {
  folders_->source->setCurrentIndex(folders_->source->findData(FoldersPage::kPacs));
  folders_->pacsAddress->setText(address);
  const bool study = !studyUid.isEmpty();
  folders_->queryKind->setCurrentIndex(
      folders_->queryKind->findData(study ? FoldersPage::kStudy : FoldersPage::kPatient));
  folders_->queryValue->setText(study ? studyUid : patientId);
  folders_->callingAet->setText(callingAeTitle);
}
void ProjectWizard::showPacsSeries(const std::vector<pacs::SeriesInfo>& series) {
  folders_->showSeries(series);
}
void ProjectWizard::setScheme(const QString& name) {
  if (const int index = model_->scheme->findData(name); index >= 0)
    model_->scheme->setCurrentIndex(index);
}
void ProjectWizard::setWeightsFile(const QString& path) {
  model_->weights.edit->setText(path);
}
void ProjectWizard::setSnapshotEvery(int labels) {
  model_->snapshot->setValue(labels);
}
void ProjectWizard::setTeamServer(const QString& address) {
  model_->teamServer->setText(address);
}
void ProjectWizard::setTrainingMode(const QString& mode) {
  if (const int index = model_->mode->findData(mode); index >= 0)
    model_->mode->setCurrentIndex(index);
}

QString ProjectWizard::projectFolder() const {
  return folders_->project.edit->text();
}
QString ProjectWizard::weightsFile() const {
  return model_->weights.edit->text();
}
QString ProjectWizard::scheme() const {
  return model_->scheme->currentData().toString();
}

QString ProjectWizard::pageError() const {
  switch (currentId()) {
    case kFoldersPage:
      return folders_->error->text();
    case kModelPage:
      return model_->error->text();
    default:
      return {};
  }
}

QString ProjectWizard::importText() const {
  return import_->status->text();
}

ImportJob* ProjectWizard::importJob() const {
  return import_->job.get();
}

void ProjectWizard::reject() {
  if (import_->job && import_->job->isRunning()) {
    import_->job->cancel();
    import_->status->setText(tr("Cancelling…"));
    return;
  }
  QWizard::reject();
}

}  // namespace camlabel::ui
