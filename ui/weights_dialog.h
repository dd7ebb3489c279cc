// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QString>

#include <filesystem>
#include <optional>
#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace camlabel::ui {

class WeightsDownloader;

/// A weights file the dialog offers for download.
struct WeightsOffer {
  QString fileName;     ///< must carry torchvision's hash prefix, e.g. "resnet50-11ad3fa6.pth"
  QString description;  ///< shown as it is (not translated)
};

struct WeightsDialogOptions {
  /// Where downloads go and chosen torchvision files are copied. Empty: the user's data folder,
  /// WeightsDialog::defaultFolder().
  QString folder;
  /// What the file names are appended to. Empty: $CAMLABEL_WEIGHTS_URL_BASE when set (a mirror,
  /// or a test server), else torchvision's "https://download.pytorch.org/models/".
  QString urlBase;
  /// The files offered. Empty: model::knownWeights() (ResNet50 IMAGENET1K_V2, then V1).
  std::vector<WeightsOffer> offers;
};

/// "Model weights": where the user picks the ImageNet ResNet50 file a project starts from. It
/// lists the known torchvision files with their state in the weights folder (present/missing),
/// downloads a missing one (progress bar, Cancel; offline it says which URL to fetch by hand and
/// which folder to put the file in), or takes a file the user already has ("Choose file…").
///
/// A chosen file is verified (model::verifyWeightsFile). One whose name carries torchvision's
/// hash is copied into the weights folder (model::installWeightsFile), so it stays available
/// when the USB stick or download folder it came from is gone, and later projects find it there;
/// any other file (say, someone's own resnet50.pth) is used where it is, since its name says
/// nothing about its content and a copy could overwrite a different file of the same name.
///
/// Entry point for the project wizard and the labelling window:
///   std::optional<std::filesystem::path> weights = WeightsDialog::choose(parent);
class WeightsDialog : public QDialog {
  Q_OBJECT

 public:
  /// Shows the dialog modally with the default options. Returns the verified weights file the
  /// user chose, or std::nullopt when they closed the dialog without one.
  static std::optional<std::filesystem::path> choose(QWidget* parent);

  explicit WeightsDialog(QWidget* parent = nullptr, WeightsDialogOptions options = {});
  ~WeightsDialog() override;

  /// The file accepted with "Use selected" or "Choose file…"; std::nullopt before that.
  std::optional<std::filesystem::path> selectedWeights() const { return selected_; }

  QString folder() const { return folder_; }
  QString urlBase() const { return urlBase_; }
  /// The URL a file of the list is downloaded from (urlBase() + its name).
  QString urlOf(const QString& fileName) const;

  /// What "Choose file…" does with the file picked: verifies it, copies it into folder() when
  /// its name carries a hash (see above), and accepts the dialog with it as selectedWeights().
  /// Returns false, showing why in the dialog, when the file cannot be used.
  bool useFile(const QString& path);

  /// QStandardPaths' generic data folder + "/camlabel/weights": on Linux the same folder as
  /// model::defaultWeightsFolder() ($XDG_DATA_HOME or ~/.local/share).
  static QString defaultFolder();
  /// $CAMLABEL_WEIGHTS_URL_BASE (with a '/' added when missing) or torchvision's base.
  static QString defaultUrlBase();

  void reject() override;

 private:
  void refreshStates();
  void updateActions();
  QString selectedFileName() const;
  bool isPresent(const QString& fileName) const;
  void startDownload();
  void chooseFile();
  void useSelected();
  void showMessage(const QString& text);

  QString folder_;
  QString urlBase_;
  std::vector<WeightsOffer> offers_;
  std::optional<std::filesystem::path> selected_;

  WeightsDownloader* downloader_;
  QTreeWidget* list_;
  QProgressBar* progress_;
  QPushButton* downloadButton_;
  QPushButton* cancelDownloadButton_;
  QPushButton* chooseButton_;
  QPushButton* useButton_;
  QLabel* message_;
};

}  // namespace camlabel::ui
