// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QWizard>

#include <filesystem>
#include <vector>

namespace camlabel::pacs {
struct SeriesInfo;
}

namespace camlabel::ui {

class ImportJob;

/// Why a new project cannot be made in projectDir from the images in imageDir, for the user;
/// empty when it can. The project folder must be new or empty and writable, and not hold a
/// project; the image folder must hold image files (sub-folders included). imageFiles receives
/// how many it holds (0 when the folder is not checked).
QString newProjectProblem(const std::filesystem::path& projectDir,
                          const std::filesystem::path& imageDir, int* imageFiles = nullptr);
/// The project folder's part of newProjectProblem: new or empty, writable, not a project.
QString newProjectFolderProblem(const std::filesystem::path& projectDir);

/// "New project": the project folder and where the slices come from (a folder, or a PACS
/// study retrieved into the project's images/pacs/ first), then the class scheme, optional
/// ResNet50 weights, snapshot interval, training mode and an optional team server; "Create project"
/// creates the project through core (nothing in the chosen folders is touched before every check
/// passed), then its images are imported on a worker thread with a progress bar, Cancel, and a
/// summary of what was skipped. "Open project" (Finish) accepts; projectFolder() is then the
/// project to open.
class ProjectWizard : public QWizard {
  Q_OBJECT

 public:
  enum PageId { kFoldersPage, kModelPage, kImportPage };

  explicit ProjectWizard(QWidget* parent = nullptr);
  ~ProjectWizard() override;

  void setProjectFolder(const QString& dir);
  /// Slices from a folder on this computer (the default).
  void setImageFolder(const QString& dir);
  /// Slices from a PACS instead: dicom://AET@HOST:PORT, and one study by its UID or every
  /// study of a patient ID (the other empty); CT series only. The address and calling AE title
  /// are remembered for the next project (QSettings), never stored in the project.
  void setPacsSource(const QString& address, const QString& studyUid, const QString& patientId = {},
                     const QString& callingAeTitle = QStringLiteral("CAMLABEL"));
  /// Lists series as Find series lists what the PACS answered, each ticked (the user guide's
  /// screenshot; Find series asks the PACS itself). Only the ticked ones are retrieved.
  void showPacsSeries(const std::vector<pacs::SeriesInfo>& series);
  /// A built-in scheme name ("pattern", "features"); others are ignored.
  void setScheme(const QString& name);
  /// torchvision's ResNet50 ImageNet weights (.pth); empty: none (the model starts untrained).
  void setWeightsFile(const QString& path);
  void setSnapshotEvery(int labels);
  /// "head", "layer4" or "full"; others are ignored.
  void setTrainingMode(const QString& mode);
  /// A team project on this PostgreSQL server (postgresql://HOST/DATABASE, no password); empty:
  /// a project of one workstation. Checked, and the team project made there if it has none,
  /// before the folder is created.
  void setTeamServer(const QString& address);

  /// The project folder as chosen (absolute once the project exists).
  QString projectFolder() const;
  QString weightsFile() const;
  QString scheme() const;
  /// The problem shown on the current page (a refused folder, a failed creation); empty if none.
  QString pageError() const;
  /// The import page's text: progress while importing, then what was added and skipped.
  QString importText() const;
  /// The running or finished import; null before the project exists.
  ImportJob* importJob() const;

 signals:
  /// The user asked to download the ResNet50 weights; whoever does it calls setWeightsFile().
  void weightsDownloadRequested();
  /// The project now exists on disk (before its images are imported): remember it even if the
  /// wizard is cancelled during the import.
  void projectCreated(const QString& dir);
  /// The import ended (done, cancelled or failed); Finish opens the project.
  void importFinished();

 public slots:
  /// During the import, cancels it (the wizard stays, showing what was imported); else closes.
  void reject() override;

 private:
  class FoldersPage;
  class ModelPage;
  class ImportPage;
  FoldersPage* folders_ = nullptr;
  ModelPage* model_ = nullptr;
  ImportPage* import_ = nullptr;
};

}  // namespace camlabel::ui
