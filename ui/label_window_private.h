// SPDX-License-Identifier: Apache-2.0
#pragma once
// LabelWindow's state and what its three files share: label_window.cpp builds the window and opens
// and closes the session; label_window_labelling.cpp moves between slices, records decisions and
// takes the worker's answers; label_window_view.cpp draws the heatmap, the compare view, the
// training panel, the display window, zoom and the status line.

#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QString>
#include <QThread>

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/explain/cam.h"
#include "core/explain/cam_render.h"
#include "core/explain/diagnostics.h"
#include "core/imaging/ct_image.h"
#include "core/learning/active_learning.h"
#include "core/model/resnet.h"
#include "core/project/class_scheme.h"
#include "ui/key_bindings.h"
#include "ui/label_window.h"
#include "ui/model_names.h"
#include "ui/session_worker.h"
#include "ui/text.h"

class QAction;
class QComboBox;
class QDockWidget;
class QSlider;
class QToolBar;

namespace camlabel::ui {

class ClassPanel;
class ImageCanvas;
class PredictionPanel;
class TrainingPanel;

namespace label_window_detail {

/// Heatmap weight in the blend at first: the anatomy stays readable under it.
inline constexpr double kOverlayOpacity = 0.45;
/// The colour maps the heatmap toolbar offers, in its order.
inline constexpr std::array<explain::CamColormap, 2> kColormaps{explain::CamColormap::Jet,
                                                                explain::CamColormap::Viridis};
/// Ctrl+= and Ctrl+- zoom by this factor.
inline constexpr double kKeyZoom = 1.25;
/// A right drag across this many canvas pixels changes the window by its own width: fine steps
/// on a narrow window, quick ones on a wide one (3.75 HU per pixel on the lung window).
inline constexpr double kDragPixelsPerWidth = 400;
/// ...but never slower than this, so a very narrow window can still be widened.
inline constexpr double kMinDragRate = 0.5;

/// The method as the literature writes it (names, not translated).
QString camMethodTitle(explain::CamMethod method);

}  // namespace label_window_detail

struct LabelWindow::Private {
  std::filesystem::path projectDir;
  QThread thread;
  std::unique_ptr<SessionWorker> worker;
  std::shared_ptr<session::Session> session;
  bool closing = false;  ///< the worker is closing the session
  bool closed = false;   ///< it has closed it

  /// Grows with every image shown; results of an older one are dropped.
  quint64 generation = 0;
  std::optional<std::int64_t> imageId;
  int index = -1;
  /// The slice the project opened on, while it is still shown: chosen before the team's labels
  /// were read, it moves on by itself if double reading has its readings without this reader.
  std::optional<std::int64_t> startSlice;
  std::int64_t count = 0;
  int classCount = 0;

  std::optional<imaging::CtImage> image;
  std::optional<imaging::Window> preset;    ///< F1-F3; none: the image's initial window
  bool imageWindow = false;                 ///< F4: each image's own window
  std::optional<imaging::Window> dragFrom;  ///< the window when the right drag began
  bool overlay = false;
  bool explanationPending = false;
  /// The labels learned by the model whose prediction the panel shows (none while predicting),
  /// and the publication the window last asked to refresh the slice on screen with.
  std::optional<std::int64_t> panelModelLabels;
  std::uint64_t refreshedSerial = 0;
  std::optional<session::Explanation> explanation;
  HeatmapRequest explainedWith;  ///< what `explanation` was asked as
  HeatmapRequest heatmap;        ///< what the controls ask for now
  double opacity = label_window_detail::kOverlayOpacity;
  explain::CamColormap colormap = explain::CamColormap::Jet;
  bool compare = false;      ///< V: before | after side by side
  bool commonScale = false;  ///< K: both heatmaps on one scale
  bool comparisonPending = false;
  std::optional<Comparison> comparison;
  quint64 compareTicket = 0;       ///< grows with every comparison asked for
  int afterVersion = 0;            ///< the compare view's after model: 0 current, else vK
  std::optional<int> beforeClass;  ///< the before model's ImageNet class; none: its top-1
  QImage shownBefore;
  QString error;
  QImage shown;

  ImageCanvas* canvas = nullptr;
  ImageCanvas* beforeCanvas = nullptr;
  QHBoxLayout* columns = nullptr;  ///< before (compare view only) | current | side panels
  QLabel* beforeCaption = nullptr;
  QLabel* afterCaption = nullptr;
  QLabel* help = nullptr;
  PredictionPanel* prediction = nullptr;
  ClassPanel* classes = nullptr;
  QLabel* message = nullptr;
  QLabel* position = nullptr;
  QLabel* counts = nullptr;
  QLabel* training = nullptr;
  QLabel* team = nullptr;  ///< whether a team project's labels reached its server
  /// A refresh of the training line is queued (SessionOptions::trainingStatusChanged).
  std::atomic<bool> trainingRefreshQueued{false};

  /// The session's network and device, for the trust dialogs' own copies of the model.
  model::ResNetConfig network;
  c10::Device device = c10::kCPU;
  /// When the status line warns about a heatmap (Settings > Trust checks).
  explain::DiagnosticThresholds thresholds;
  QString prequentialText;  ///< ", right 60% of the last 50" once labels have predictions
  KeyBindings keys = KeyBindings::defaults();
  std::array<QAction*, kCommandCount> commandActions{};  ///< the action of each Command
  std::optional<project::ClassScheme> scheme;            ///< once the project is open
  std::array<QAction*, project::kMaxClasses> labelActions{};
  std::vector<QAction*> sessionActions;  ///< enabled only while a session is open
  QAction* overlayAction = nullptr;
  QToolBar* heatmapBar = nullptr;
  QSlider* opacitySlider = nullptr;
  QLabel* opacityValue = nullptr;
  QComboBox* methodBox = nullptr;
  QComboBox* classBox = nullptr;
  QComboBox* colormapBox = nullptr;
  QAction* compareControls = nullptr;  ///< the two choosers below, on the heatmap toolbar
  QComboBox* versionBox = nullptr;
  QComboBox* beforeClassBox = nullptr;
  std::vector<int> listedVersions;  ///< what versionBox lists after "current"
  QAction* compareAction = nullptr;
  QAction* trainingAction = nullptr;
  QDockWidget* trainingDock = nullptr;
  TrainingPanel* trainingPanel = nullptr;
  std::int64_t panelLabels = -1;  ///< labels seen when the panel was last refreshed
  std::size_t panelVersions = 0;
  QAction* commonScaleAction = nullptr;
  QAction* helpAction = nullptr;
  QAction* disagreementsAction = nullptr;  ///< Label > Disagreements…, for team projects
  QAction* assignmentAction = nullptr;     ///< Label > Double reading…, for team projects
  learning::LabellingOrder order = learning::LabellingOrder::kFile;
  std::array<QAction*, 4> orderActions{};         ///< by learning::LabellingOrder
  std::optional<session::Suggestion> suggestion;  ///< chosen for the slice on screen
};

}  // namespace camlabel::ui
