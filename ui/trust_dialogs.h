// SPDX-License-Identifier: Apache-2.0
#pragma once
// The trust tools of the labelling window: a report figure, a comparison grid of CAM methods,
// the model-randomisation sanity check, localisation against lesion masks and position bias.
// trust_dialogs.cpp holds what they share (the task thread, the base dialogs, the entry points);
// figure_dialogs.cpp, sanity_check_dialog.cpp and heatmap_placement_dialogs.cpp the dialogs. Each
// dialog rebuilds the chosen model version in a
// network of its own (core's session::loadModelSource) and runs its Torch work on a thread of its
// own, so the session's inference and training threads are never touched. The session is used on
// the GUI thread only, for cheap store reads when the dialog opens and when a run starts.

#include <QDialog>
#include <QImage>
#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <c10/core/Device.h>

#include "core/model/resnet.h"
#include "core/session/trust_summary.h"
#include "core/session/trust_tools.h"
#include "ui/background_task.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QTableWidget;
class QThread;

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::session {
class Session;
}

namespace camlabel::ui {

/// Opens the dialogs, window-modal and deleted when closed; each returns its dialog. `session`
/// must stay open while the dialog is (a dialog only reads the store when it opens and when a run
/// starts; a closed session's error is shown in the dialog). `network` is the session's network
/// shape (SessionOptions::config; numClasses is taken from the scheme) and `device` where the
/// dialog's own network runs.
QDialog* showExportFigureDialog(QWidget* parent, session::Session& session,
                                std::optional<std::int64_t> currentImageId,
                                const model::ResNetConfig& network, c10::Device device = c10::kCPU);
QDialog* showComparisonGridDialog(QWidget* parent, session::Session& session,
                                  std::optional<std::int64_t> currentImageId,
                                  const model::ResNetConfig& network,
                                  c10::Device device = c10::kCPU);
QDialog* showSanityCheckDialog(QWidget* parent, session::Session& session, std::int64_t imageId,
                               const model::ResNetConfig& network, c10::Device device = c10::kCPU);
QDialog* showLocalisationDialog(QWidget* parent, session::Session& session,
                                const model::ResNetConfig& network, c10::Device device = c10::kCPU);
QDialog* showPositionBiasDialog(QWidget* parent, session::Session& session,
                                const model::ResNetConfig& network, c10::Device device = c10::kCPU);

/// What the three dialogs share: the model version, layer and the progress row.
class TrustDialogBase : public QDialog {
  Q_OBJECT

 public:
  /// Whether a run is on its way.
  bool busy() const;
  /// The last message shown below the form (a result, or core's error).
  QString statusText() const;
  /// Selects the model by its version (0: the newest weights); false when it is not offered.
  bool selectVersion(int version);
  /// Closing while a run is on its way cancels it and closes once it has ended, so the GUI
  /// thread never waits for Torch.
  void done(int result) override;

 signals:
  /// A run ended: with a result, an error (already shown) or a cancel.
  void runFinished(bool ok);

 protected:
  TrustDialogBase(QWidget* parent, session::Session& session, const model::ResNetConfig& network,
                  c10::Device device);
  ~TrustDialogBase() override;

  /// The model, layer and progress widgets, to be placed by the subclass.
  QComboBox* versionBox() const { return version_; }
  QComboBox* layerBox() const { return layer_; }
  QWidget* progressRow() const { return progressRow_; }
  QLabel* statusLabel() const { return status_; }

  /// A list of the project's labelled images (and `current`, if unlabelled), multi-select, with
  /// `current` selected. Errors reading the store are shown in the status line.
  QListWidget* makeImageList(std::optional<std::int64_t> current);
  /// The selected images of such a list, in list order.
  std::vector<session::TrustImage> selectedImages(QListWidget* list);
  /// A checkable list of every CAM method, with Grad-CAM checked.
  QListWidget* makeMethodList();
  static std::vector<explain::CamMethod> checkedMethods(QListWidget* list);

  /// The chosen model source, or nothing (shown as an error) when none is offered.
  std::optional<session::ModelSource> chosenSource();
  model::ResNetLayer chosenLayer() const;

  /// Runs `work` (given a private network of the chosen version) on the task's thread; on success
  /// `done` runs on the GUI thread. Errors are shown as messages.
  void run(const std::function<void(session::LoadedVersion&, ProgressDelegate*)>& work,
           std::function<void()> done);
  /// Runs `work` as is (it loads what it needs) on the task's thread; as run() otherwise.
  void runTask(BackgroundTask::Work work, std::function<void()> done);
  /// The model sources offered (the order of versionBox()'s items).
  const std::vector<session::ModelSource>& sources() const { return sources_; }
  void showError(const QString& message);
  void showStatus(const QString& message);
  /// Called when a run starts and ends, so subclasses can enable their buttons.
  virtual void updateButtons() {}

  session::Session& session_;
  model::ResNetConfig network_;
  c10::Device device_;
  project::ProjectSettings settings_;

 private:
  std::vector<session::ModelSource> sources_;
  std::vector<session::TrustImage> listed_;  ///< the images of the image list, by item data
  QComboBox* version_ = nullptr;
  QComboBox* layer_ = nullptr;
  QWidget* progressRow_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QLabel* status_ = nullptr;
  BackgroundTask* task_ = nullptr;
  std::function<void()> done_;
  std::optional<int> closeWhenIdle_;  ///< the result of a close asked for during a run
};

/// Export figure…: the chosen images' windowed image, heatmap and overlay as a PNG or PDF figure
/// (core's writeFigure, with the research-use mark), and the numbers behind it as CSV.
class ExportFigureDialog : public TrustDialogBase {
  Q_OBJECT

 public:
  ExportFigureDialog(QWidget* parent, session::Session& session,
                     std::optional<std::int64_t> currentImageId, const model::ResNetConfig& network,
                     c10::Device device = c10::kCPU);

  QListWidget* imageList() const { return images_; }
  QComboBox* methodBox() const { return method_; }
  /// PNG or PDF; changing it changes the file name's extension.
  QComboBox* formatBox() const { return format_; }
  QLineEdit* pathEdit() const { return path_; }
  QCheckBox* csvBox() const { return csv_; }
  QPushButton* exportButton() const { return export_; }
  /// The CSV written beside a figure: the same name with .csv.
  static QString csvPathFor(const QString& figurePath);

 signals:
  /// The figure (and the CSV, when chosen) is on disk.
  void exported(const QString& figurePath);

 private:
  void browse();
  void startExport();
  void updateButtons() override;

  QListWidget* images_ = nullptr;
  QComboBox* method_ = nullptr;
  QComboBox* format_ = nullptr;
  QLineEdit* path_ = nullptr;
  QCheckBox* csv_ = nullptr;
  QPushButton* export_ = nullptr;
};

/// Comparison grid…: images (rows) by CAM methods x the most probable classes (columns), shown in
/// the dialog and saveable as PNG.
class ComparisonGridDialog : public TrustDialogBase {
  Q_OBJECT

 public:
  ComparisonGridDialog(QWidget* parent, session::Session& session,
                       std::optional<std::int64_t> currentImageId,
                       const model::ResNetConfig& network, c10::Device device = c10::kCPU);

  QListWidget* imageList() const { return images_; }
  QListWidget* methodList() const { return methods_; }
  QSpinBox* classesBox() const { return classes_; }
  QPushButton* showButton() const { return show_; }
  QPushButton* saveButton() const { return save_; }
  /// The grid on screen (null before the first run).
  QImage grid() const { return grid_; }
  /// "2 rows × 7 columns", as shown above the grid.
  QString sizeText() const;
  /// Writes the grid on screen as PNG; false (and the error shown) when that fails.
  bool saveGrid(const QString& path);

 private:
  void startGrid();
  void choosePathAndSave();
  void updateButtons() override;

  QListWidget* images_ = nullptr;
  QListWidget* methods_ = nullptr;
  QSpinBox* classes_ = nullptr;
  QPushButton* show_ = nullptr;
  QPushButton* save_ = nullptr;
  QLabel* size_ = nullptr;
  QLabel* view_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QImage grid_;
  cv::Mat gridMat_;
  int rows_ = 0;
  int columns_ = 0;
};

/// Sanity check…: randomises the model from the top layer down and shows, per method and step,
/// how much the map of the image's top class still resembles the original (Spearman, SSIM); a
/// method whose map survives a random model is flagged.
class SanityCheckDialog : public TrustDialogBase {
  Q_OBJECT

 public:
  /// Table columns.
  enum Column { kMethod, kRandomised, kSpearman, kSsim, kFlagged, kColumns };

  SanityCheckDialog(QWidget* parent, session::Session& session, std::int64_t imageId,
                    const model::ResNetConfig& network, c10::Device device = c10::kCPU);

  QListWidget* methodList() const { return methods_; }
  QDoubleSpinBox* thresholdBox() const { return threshold_; }
  QPushButton* runButton() const { return run_; }
  QTableWidget* table() const { return table_; }
  /// One line per method: flagged or not, and why.
  QString verdictText() const;

 private:
  void startCheck();
  void updateButtons() override;

  std::int64_t imageId_ = 0;
  QListWidget* methods_ = nullptr;
  QDoubleSpinBox* threshold_ = nullptr;
  QPushButton* run_ = nullptr;
  QTableWidget* table_ = nullptr;
  QLabel* verdict_ = nullptr;
};

/// A trust dialog whose result is a table: Copy CSV, Save CSV…, Run and Close below it, and the
/// table as CSV.
class TableDialogBase : public TrustDialogBase {
  Q_OBJECT

 public:
  QPushButton* runButton() const { return run_; }
  QPushButton* copyButton() const { return copy_; }
  QPushButton* saveButton() const { return save_; }
  /// The table as CSV (empty before the first run).
  QString csv() const { return csvText_; }
  /// Writes csv() to `path` atomically; false (and the error shown) when that fails.
  bool saveCsv(const QString& path);

 protected:
  /// `csvFileName`: what Save CSV… suggests.
  TableDialogBase(QWidget* parent, session::Session& session, const model::ResNetConfig& network,
                  c10::Device device, QString csvFileName);

  /// The row of buttons, to be placed below the table by the subclass.
  QHBoxLayout* buttonRow() const { return buttons_; }
  /// Run was pressed.
  virtual void startRun() = 0;
  /// Whether the form allows a run (besides no run being on its way).
  virtual bool canRun() const = 0;
  void updateButtons() override;

  /// Set when a run's results are shown.
  QString csvText_;

 private:
  QString csvFileName_;
  QPushButton* run_ = nullptr;
  QPushButton* copy_ = nullptr;
  QPushButton* save_ = nullptr;
  QHBoxLayout* buttons_ = nullptr;
};

/// Localisation scores…: how well the heatmaps of the true class point at lesion masks (core's
/// localiseModel: pointing game with a tolerance, energy inside the mask, with the masks' mean
/// area as the chance level), for several model versions and CAM methods side by side.
class LocalisationDialog : public TableDialogBase {
  Q_OBJECT

 public:
  /// Table columns.
  enum Column { kModel, kMethod, kImages, kPointing, kEnergy, kChance, kColumns };

  LocalisationDialog(QWidget* parent, session::Session& session, const model::ResNetConfig& network,
                     c10::Device device = c10::kCPU);

  QLineEdit* labelsEdit() const { return labels_; }
  QLineEdit* masksEdit() const { return masks_; }
  QListWidget* methodList() const { return methods_; }
  QSpinBox* toleranceBox() const { return tolerance_; }
  /// The model sources, checkable, the newest weights checked.
  QListWidget* sourceList() const { return models_; }
  /// One row per model and method; the score cells hold the exact value in Qt::UserRole and the
  /// best of each score column is bold.
  QTableWidget* table() const { return table_; }
  /// The rows left out, with the reason.
  QListWidget* problemList() const { return problems_; }

 private:
  struct Result {
    session::ModelSource source;
    session::LocalisationReport report;
  };
  void startRun() override;
  bool canRun() const override;
  void showResults(const std::vector<Result>& results);

  QLineEdit* labels_ = nullptr;
  QLineEdit* masks_ = nullptr;
  QListWidget* methods_ = nullptr;
  QSpinBox* tolerance_ = nullptr;
  QListWidget* models_ = nullptr;
  QTableWidget* table_ = nullptr;
  QListWidget* problems_ = nullptr;
};

/// Position bias…: whether the heatmaps of the labelled images' classes sit on one side of the
/// image for most images (core's summariseModelLaterality), overall and per class, with core's
/// verdict; as `camlabel-cli laterality` on the open session.
class PositionBiasDialog : public TableDialogBase {
  Q_OBJECT

 public:
  /// Table columns.
  enum Column { kGroup, kImages, kOneSided, kShare, kMeanLeft, kBiased, kColumns };

  PositionBiasDialog(QWidget* parent, session::Session& session, const model::ResNetConfig& network,
                     c10::Device device = c10::kCPU);

  /// The model source (the newest weights first, then each version).
  QComboBox* sourceBox() const { return versionBox(); }
  QComboBox* methodBox() const { return method_; }
  QComboBox* layerChoice() const { return layerBox(); }
  /// A map is one-sided when one side holds more than this share of its energy.
  QDoubleSpinBox* thresholdBox() const { return threshold_; }
  /// Only the first N labelled images; 0 ("All") for every one.
  QSpinBox* limitBox() const { return limit_; }
  /// Row 0: all images; then one row per class with an image. Number cells hold the exact value
  /// in Qt::UserRole.
  QTableWidget* table() const { return table_; }
  /// Core's verdict of the last run (empty before one).
  QString verdictText() const;
  /// The images left out, with the reason.
  QListWidget* problemList() const { return problems_; }

 private:
  void startRun() override;
  bool canRun() const override;
  void showReport(const session::ModelSource& source, const session::LateralityReport& report,
                  const session::LateralityOptions& options);

  QComboBox* method_ = nullptr;
  QDoubleSpinBox* threshold_ = nullptr;
  QSpinBox* limit_ = nullptr;
  QLabel* count_ = nullptr;
  QTableWidget* table_ = nullptr;
  QLabel* verdict_ = nullptr;
  QListWidget* problems_ = nullptr;
};

}  // namespace camlabel::ui
