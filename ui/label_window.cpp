#include "ui/label_window.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QTextDocument>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>

#include "core/common/file_names.h"
#include "core/explain/cam_render.h"
#include "core/explain/diagnostics.h"
#include "core/imaging/window.h"
#include "ui/agreement_dialog.h"
#include "ui/class_panel.h"
#include "ui/image_canvas.h"
#include "ui/image_conversion.h"
#include "ui/import_dialog.h"
#include "ui/key_bindings.h"
#include "ui/language.h"
#include "ui/prediction_panel.h"
#include "ui/session_worker.h"
#include "ui/settings_dialog.h"
#include "ui/training_panel.h"
#include "ui/trust_dialogs.h"
#include "ui/window_presets.h"

namespace camlabel::ui {
namespace {

namespace fs = std::filesystem;

/// Heatmap weight in the blend at first: the anatomy stays readable under it.
constexpr double kOverlayOpacity = 0.45;
/// The colour maps the heatmap toolbar offers, in its order.
constexpr std::array<explain::CamColormap, 2> kColormaps{explain::CamColormap::Jet,
                                                         explain::CamColormap::Viridis};
/// Ctrl+= and Ctrl+- zoom by this factor.
constexpr double kKeyZoom = 1.25;
/// A right drag across this many canvas pixels changes the window by its own width: fine steps
/// on a narrow window, quick ones on a wide one (3.75 HU per pixel on the lung window).
constexpr double kDragPixelsPerWidth = 400;
/// ...but never slower than this, so a very narrow window can still be widened.
constexpr double kMinDragRate = 0.5;
/// How often the training state is read (a mutex-guarded copy, no Torch).
constexpr int kTrainingPollMs = 500;
/// Without a stored position, the first unlabelled image is searched among this many.

QString fromStd(const std::string& text) {
  return QString::fromStdString(text);
}

/// The method as the literature writes it (names, not translated).
QString camMethodTitle(explain::CamMethod method) {
  switch (method) {
    case explain::CamMethod::GradCam:
      return QStringLiteral("Grad-CAM");
    case explain::CamMethod::HiResCam:
      return QStringLiteral("HiResCAM");
    case explain::CamMethod::GradCamPlusPlus:
      return QStringLiteral("Grad-CAM++");
    case explain::CamMethod::XGradCam:
      return QStringLiteral("XGradCAM");
    case explain::CamMethod::LayerCam:
      return QStringLiteral("LayerCAM");
    case explain::CamMethod::EigenCam:
      return QStringLiteral("EigenCAM");
    case explain::CamMethod::ScoreCam:
      return QStringLiteral("Score-CAM");
  }
  return QString::fromLatin1(explain::camMethodName(method).data(),
                             static_cast<qsizetype>(explain::camMethodName(method).size()));
}

QString colormapTitle(explain::CamColormap colormap) {
  return colormap == explain::CamColormap::Viridis ? QStringLiteral("Viridis")
                                                   : QStringLiteral("Jet");
}

QString labelCount(std::int64_t n) {
  return n == 1 ? QObject::tr("1 label") : QObject::tr("%1 labels").arg(n);
}

QString windowName(const imaging::Window& window) {
  if (window == imaging::kLungWindow) return QObject::tr("lung window");
  if (window == imaging::kMediastinalWindow) return QObject::tr("mediastinal window");
  if (window == imaging::kBoneWindow) return QObject::tr("bone window");
  return QObject::tr("window %1").arg(fromStd(imaging::describeWindow(window)));
}

/// "series 2 of 3, slice 41 of 120, z -152.5 mm" (the position only when the slice has one).
QString sliceLocationText(const project::SliceLocation& where) {
  QString text = QObject::tr("series %1 of %2, slice %3 of %4")
                     .arg(where.seriesIndex + 1)
                     .arg(where.seriesCount)
                     .arg(where.sliceIndex + 1)
                     .arg(where.sliceCount);
  if (where.positionMm)
    text += QObject::tr(", z %1 mm").arg(QLocale().toString(*where.positionMm, 'f', 1));
  return text;
}

/// The keys without repeats: a key given twice to one action is ambiguous, and does nothing.
QList<QKeySequence> distinct(const QList<QKeySequence>& keys) {
  QList<QKeySequence> out;
  for (const QKeySequence& key : keys)
    if (!key.isEmpty() && !out.contains(key)) out.append(key);
  return out;
}

/// Lung for Hounsfield images (the window ILD is read in), else the image's own.
imaging::Window initialWindow(const imaging::ImageInfo& info) {
  return info.meaning == imaging::PixelMeaning::Hounsfield ? imaging::kLungWindow
                                                           : imaging::defaultWindow(info);
}

/// The first key of a command as menus show it; a dash when it has none.
QString keyText(const KeyBindings& keys, Command command) {
  const QList<QKeySequence> bound = keys.keys(command);
  if (bound.isEmpty()) return QStringLiteral("-");
  return bound.first().toString(QKeySequence::NativeText).toHtmlEscaped();
}

/// The help overlay: the keys bound now, the fixed ones, and the scheme's classes (each with its
/// key) once it is known. `title` is the Help menu's item.
QString helpHtml(const KeyBindings& keys, const project::ClassScheme* scheme,
                 const std::string& language, const QString& title) {
  QString html = QStringLiteral("<h2>%1</h2><p>").arg(title.toHtmlEscaped());
  html += QObject::tr("A class's key labels the image and goes to the next unlabelled one.") +
          QStringLiteral("<br>");
  for (int i = static_cast<int>(Command::kLabel9) + 1; i < kCommandCount; ++i) {
    const Command command = commandAt(i);
    html += QStringLiteral("<b>%1</b> %2<br>")
                .arg(keyText(keys, command), commandDescription(command).toHtmlEscaped());
  }
  html += QObject::tr(
      "<b>F1-F4</b> lung, mediastinal, bone, image's own window<br>"
      "<b>Ctrl+= / Ctrl+- / Ctrl+0</b> zoom in, zoom out, fit; the wheel zooms, "
      "a left drag pans, a right drag changes the window");
  html += QStringLiteral("</p>");
  if (scheme == nullptr) return html;
  html += QObject::tr("<h2>Classes</h2>");
  for (int i = 0; i < static_cast<int>(scheme->classes.size()); ++i)
    html += QObject::tr("<b>%1</b> %2<br>")
                .arg(keyText(keys, labelCommand(i)))
                .arg(fromStd(scheme->className(i, language)).toHtmlEscaped());
  return html;
}

}  // namespace

bool isProjectFolder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "project.sqlite", ec);
}

struct LabelWindow::Private {
  fs::path projectDir;
  QThread thread;
  std::unique_ptr<SessionWorker> worker;
  std::shared_ptr<session::Session> session;
  bool closing = false;  ///< the worker is closing the session
  bool closed = false;   ///< it has closed it

  /// Grows with every image shown; results of an older one are dropped.
  quint64 generation = 0;
  std::optional<std::int64_t> imageId;
  int index = -1;
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
  double opacity = kOverlayOpacity;
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
  QTimer trainingTimer;

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
  learning::LabellingOrder order = learning::LabellingOrder::kFile;
  std::array<QAction*, 4> orderActions{};         ///< by learning::LabellingOrder
  std::optional<session::Suggestion> suggestion;  ///< chosen for the slice on screen
};

LabelWindow::LabelWindow(const fs::path& projectDir, session::SessionOptions options,
                         QWidget* parent)
    : QMainWindow(parent), d(std::make_unique<Private>()) {
  d->projectDir = projectDir;
  d->network = options.config;
  d->thresholds = savedDiagnosticThresholds(QSettings());
  d->device = options.device;

  auto* central = new QWidget(this);
  auto* layout = new QHBoxLayout(central);
  d->canvas = new ImageCanvas(central);
  // The help overlay covers the image; the canvas's layout keeps it the canvas's size.
  auto* canvasLayout = new QVBoxLayout(d->canvas);
  d->help = new QLabel(d->canvas);
  d->help->setWordWrap(true);
  d->help->setAlignment(Qt::AlignCenter);
  d->help->setStyleSheet("background-color: rgba(0, 0, 0, 210); color: white; padding: 16px;");
  d->help->hide();
  canvasLayout->addWidget(d->help);
  // The compare view: the "before" column appears left of the current image.
  auto column = [central](QLabel*& caption, QWidget* canvas) {
    auto* box = new QVBoxLayout;
    caption = new QLabel(central);
    caption->setWordWrap(true);
    caption->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    caption->hide();
    box->addWidget(caption);
    box->addWidget(canvas, 1);
    return box;
  };
  d->beforeCanvas = new ImageCanvas(central);
  d->beforeCanvas->hide();
  // One view for both: the same region of the image, before and after.
  connect(d->canvas, &ImageCanvas::viewChanged, d->beforeCanvas, &ImageCanvas::setView);
  connect(d->beforeCanvas, &ImageCanvas::viewChanged, d->canvas, &ImageCanvas::setView);
  for (ImageCanvas* canvas : {d->canvas, d->beforeCanvas}) {
    connect(canvas, &ImageCanvas::windowDragStarted, this,
            [this] { d->dragFrom = currentWindow(); });
    connect(canvas, &ImageCanvas::windowDragged, this, &LabelWindow::dragWindow);
  }
  d->columns = layout;
  // No stretch while hidden: the box layout would still give it half the width.
  layout->addLayout(column(d->beforeCaption, d->beforeCanvas), 0);
  layout->addLayout(column(d->afterCaption, d->canvas), 1);
  auto* side = new QVBoxLayout;
  d->prediction = new PredictionPanel(central);
  d->classes = new ClassPanel(central);
  side->addWidget(d->prediction);
  side->addWidget(d->classes, 1);
  auto* sideWidget = new QWidget(central);
  sideWidget->setLayout(side);
  sideWidget->setFixedWidth(300);
  layout->addWidget(sideWidget);
  setCentralWidget(central);

  d->trainingPanel = new TrainingPanel(this);
  d->trainingDock = new QDockWidget(tr("Training"), this);
  d->trainingDock->setObjectName("training");
  d->trainingDock->setWidget(d->trainingPanel);
  addDockWidget(Qt::BottomDockWidgetArea, d->trainingDock);
  d->trainingDock->hide();
  connect(d->trainingPanel, &TrainingPanel::settingsRequested, this, &LabelWindow::openSettings);
  connect(d->trainingPanel, &TrainingPanel::rollbackRequested, this, [this](int version) {
    showMessage(tr("Rolling back to v%1...").arg(version));
    d->worker->requestRollback(version);
  });

  d->message = new QLabel(this);
  d->position = new QLabel(this);
  d->counts = new QLabel(this);
  d->training = new QLabel(this);
  statusBar()->addWidget(d->message, 1);
  statusBar()->addPermanentWidget(d->position);
  statusBar()->addPermanentWidget(d->counts);
  statusBar()->addPermanentWidget(d->training);

  createActions();
  d->order = learning::parseLabellingOrder(
                 QSettings().value(QStringLiteral("labelling/order")).toString().toStdString())
                 .value_or(learning::LabellingOrder::kFile);
  d->orderActions[static_cast<std::size_t>(d->order)]->setChecked(true);
  createHeatmapBar();
  setKeyBindings(KeyBindings::load(QSettings()));
  setWindowTitle(tr("camlabel - %1").arg(fromStd(projectDir.filename().string())));
  resize(1100, 760);

  d->canvas->setImage({}, tr("Opening the project..."));
  d->prediction->showMessage(tr("The model is loading."));
  showMessage(tr("Opening %1...").arg(fromStd(projectDir.string())));
  updateActions();

  d->worker = std::make_unique<SessionWorker>();
  d->worker->moveToThread(&d->thread);
  d->thread.setObjectName("camlabel session worker");
  connect(d->worker.get(), &SessionWorker::opened, this, &LabelWindow::onOpened);
  connect(d->worker.get(), &SessionWorker::openFailed, this, &LabelWindow::onOpenFailed);
  connect(d->worker.get(), &SessionWorker::imageLoaded, this, &LabelWindow::onImageLoaded);
  connect(d->worker.get(), &SessionWorker::imageFailed, this, &LabelWindow::onImageFailed);
  connect(d->worker.get(), &SessionWorker::predicted, this, &LabelWindow::onPredicted);
  connect(d->worker.get(), &SessionWorker::predictionFailed, this,
          &LabelWindow::onPredictionFailed);
  connect(d->worker.get(), &SessionWorker::explained, this, &LabelWindow::onExplained);
  connect(d->worker.get(), &SessionWorker::explanationFailed, this,
          &LabelWindow::onExplanationFailed);
  connect(d->worker.get(), &SessionWorker::compared, this, &LabelWindow::onCompared);
  connect(d->worker.get(), &SessionWorker::rolledBack, this, [this](int version, qint64 retrained) {
    showMessage(tr("Model v%1 is current again; %2 later labels are being trained again.")
                    .arg(version)
                    .arg(retrained));
    refreshTrainingPanel(true);
    emit rollbackDone(version);
  });
  connect(d->worker.get(), &SessionWorker::rollbackFailed, this, [this](const QString& message) {
    showError(tr("No rollback: %1").arg(message));
    emit rollbackDone(-1);
  });
  connect(d->worker.get(), &SessionWorker::comparisonFailed, this,
          &LabelWindow::onComparisonFailed);
  connect(d->worker.get(), &SessionWorker::closed, this, &LabelWindow::onClosed);
  connect(d->worker.get(), &SessionWorker::suggested, this, &LabelWindow::onSuggested);
  connect(&d->trainingTimer, &QTimer::timeout, this, &LabelWindow::refreshTraining);
  d->thread.start();
  // A newer model refreshes the slice on screen (issue 14). The trainer calls this on its own
  // thread; the window's destructor closes the session, and with it the trainer, first.
  options.published = [this](std::uint64_t, std::int64_t) {
    QMetaObject::invokeMethod(this, &LabelWindow::refreshLivePrediction, Qt::QueuedConnection);
  };
  d->worker->requestOpen(projectDir, std::move(options));
}

LabelWindow::~LabelWindow() {
  shutDown();
  d->thread.quit();
  d->thread.wait();
  d->worker.reset();  // its thread has ended
}

void LabelWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* import = file->addAction(tr("&Import more images..."), this, [this] {
    if (!d->session) return;
    if (importMoreImages(this, *d->session) > 0) {
      // New images change the counts and may come before the current one in natural order.
      refreshCounts();
      refreshPosition();
    }
  });
  file->addAction(tr("&Settings..."), this, &LabelWindow::openSettings);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);

  QMenu* label = menuBar()->addMenu(tr("&Label"));
  for (int i = 0; i < project::kMaxClasses; ++i) {
    QAction* action = label->addAction(tr("Class %1").arg(i));
    connect(action, &QAction::triggered, this, [this, i] { labelCurrent(i); });
    d->labelActions[static_cast<std::size_t>(i)] = action;
  }
  label->addSeparator();
  QAction* skip = label->addAction(tr("&Skip"), this, &LabelWindow::skipCurrent);
  QAction* undo = label->addAction(tr("&Undo the last label"), this, &LabelWindow::undo);
  label->addSeparator();
  label->addAction(tr("Reader &agreement..."), this, [this] {
    if (d->session) showAgreementDialog(this, *d->session);
  });
  label->addSeparator();
  QMenu* nextMenu = label->addMenu(tr("&Next slice"));
  auto* orders = new QActionGroup(this);
  const std::array<std::pair<learning::LabellingOrder, QString>, 4> orderTitles{{
      {learning::LabellingOrder::kFile, tr("In &file order")},
      {learning::LabellingOrder::kSpread,
       tr("&Spread over each series (evenly spaced slices first)")},
      {learning::LabellingOrder::kRandom, tr("&Random")},
      {learning::LabellingOrder::kUncertain,
       tr("The &model's choice (the slice it is least sure of)")},
  }};
  for (std::size_t i = 0; i < orderTitles.size(); ++i) {
    const auto [order, title] = orderTitles[i];
    QAction* action = nextMenu->addAction(title, this, [this, order] { setLabellingOrder(order); });
    action->setCheckable(true);
    orders->addAction(action);
    d->orderActions[static_cast<std::size_t>(order)] = action;
  }

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* next = view->addAction(tr("&Next image"), this, &LabelWindow::showNext);
  QAction* previous = view->addAction(tr("&Previous image"), this, &LabelWindow::showPrevious);
  QAction* nextInSeries =
      view->addAction(tr("Next slice of the &series"), this, [this] { stepInSeries(1); });
  QAction* previousInSeries =
      view->addAction(tr("Previous slice of the s&eries"), this, [this] { stepInSeries(-1); });
  view->addSeparator();
  d->overlayAction =
      view->addAction(tr("&Heatmap overlay (%1)").arg(camMethodTitle(explain::CamMethod::GradCam)));
  d->overlayAction->setCheckable(true);
  connect(d->overlayAction, &QAction::triggered, this, &LabelWindow::toggleOverlay);
  d->compareAction = view->addAction(tr("&Compare before and after"));
  d->compareAction->setCheckable(true);
  connect(d->compareAction, &QAction::triggered, this, &LabelWindow::toggleCompare);
  d->trainingAction = view->addAction(tr("&Training panel"));
  d->trainingAction->setCheckable(true);
  connect(d->trainingAction, &QAction::triggered, this, &LabelWindow::toggleTrainingPanel);
  d->commonScaleAction = view->addAction(tr("Heatmaps on a common &scale"));
  d->commonScaleAction->setCheckable(true);
  connect(d->commonScaleAction, &QAction::triggered, this, &LabelWindow::toggleCommonScale);
  view->addSeparator();
  QAction* zoomIn = view->addAction(tr("Zoom &in"), this, &LabelWindow::zoomIn);
  // Ctrl+= is Ctrl++ without Shift; plain digits stay label keys.
  zoomIn->setShortcuts(
      distinct({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(QKeySequence::ZoomIn)}));
  QAction* zoomOut = view->addAction(tr("Zoom &out"), this, &LabelWindow::zoomOut);
  zoomOut->setShortcuts(
      distinct({QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence(QKeySequence::ZoomOut)}));
  QAction* fit = view->addAction(tr("&Fit the image"), this, &LabelWindow::zoomToFit);
  fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  view->addSeparator();
  addWindowPresetActions(
      view, this, [this](imaging::Window window) { setWindow(window); },
      [this] { useImageWindow(); });

  // The trust tools run on their own copy of the model, off the GUI thread.
  QMenu* trust = menuBar()->addMenu(tr("&Trust"));
  QAction* figure = trust->addAction(tr("Export a report &figure..."), this, [this] {
    if (d->session) showExportFigureDialog(this, *d->session, d->imageId, d->network, d->device);
  });
  QAction* grid = trust->addAction(tr("Comparison &grid..."), this, [this] {
    if (d->session) showComparisonGridDialog(this, *d->session, d->imageId, d->network, d->device);
  });
  QAction* localisation = trust->addAction(tr("&Localisation scores..."), this, [this] {
    if (d->session) showLocalisationDialog(this, *d->session, d->network, d->device);
  });
  QAction* positionBias = trust->addAction(tr("&Position bias..."), this, [this] {
    if (d->session) showPositionBiasDialog(this, *d->session, d->network, d->device);
  });
  QAction* sanity = trust->addAction(tr("&Sanity check of the heatmap..."), this, [this] {
    if (d->session && d->imageId)
      showSanityCheckDialog(this, *d->session, *d->imageId, d->network, d->device);
  });

  QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
  d->helpAction = helpMenu->addAction(tr("&Keys and classes"));
  d->helpAction->setCheckable(true);
  connect(d->helpAction, &QAction::triggered, this, &LabelWindow::toggleHelp);
  auto* hideHelp = new QAction(this);
  hideHelp->setShortcut(Qt::Key_Escape);
  connect(hideHelp, &QAction::triggered, this, [this] {
    if (helpVisible()) toggleHelp();
  });
  addAction(hideHelp);

  d->sessionActions = {skip,
                       undo,
                       next,
                       previous,
                       nextInSeries,
                       previousInSeries,
                       d->overlayAction,
                       import,
                       figure,
                       grid,
                       localisation,
                       positionBias,
                       sanity};
  for (int i = 0; i < project::kMaxClasses; ++i)
    d->commandActions[static_cast<std::size_t>(labelCommand(i))] =
        d->labelActions[static_cast<std::size_t>(i)];
  auto bind = [this](Command command, QAction* action) {
    d->commandActions[static_cast<std::size_t>(command)] = action;
  };
  bind(Command::kSkip, skip);
  bind(Command::kUndo, undo);
  bind(Command::kNext, next);
  bind(Command::kPrevious, previous);
  bind(Command::kNextInSeries, nextInSeries);
  bind(Command::kPreviousInSeries, previousInSeries);
  bind(Command::kOverlay, d->overlayAction);
  bind(Command::kCompare, d->compareAction);
  bind(Command::kCommonScale, d->commonScaleAction);
  bind(Command::kTrainingPanel, d->trainingAction);
  bind(Command::kHelp, d->helpAction);
  bind(Command::kQuit, quit);
}

void LabelWindow::createHeatmapBar() {
  d->heatmapBar = addToolBar(tr("Heatmap"));
  d->heatmapBar->setObjectName("heatmap");
  // The controls never take the keyboard: the keys stay labels and moves.
  auto noFocus = [](QWidget* widget) {
    widget->setFocusPolicy(Qt::NoFocus);
    return widget;
  };
  d->heatmapBar->addWidget(new QLabel(tr("Opacity") + QLatin1Char(' '), d->heatmapBar));
  d->opacitySlider = new QSlider(Qt::Horizontal, d->heatmapBar);
  d->opacitySlider->setObjectName("heatmapOpacity");
  d->opacitySlider->setRange(0, 100);
  d->opacitySlider->setValue(static_cast<int>(std::lround(d->opacity * 100)));
  d->opacitySlider->setFixedWidth(120);
  d->heatmapBar->addWidget(noFocus(d->opacitySlider));
  d->opacityValue = new QLabel(QStringLiteral("%1%").arg(d->opacitySlider->value()), d->heatmapBar);
  d->opacityValue->setMinimumWidth(d->opacityValue->fontMetrics().horizontalAdvance("100% "));
  d->heatmapBar->addWidget(d->opacityValue);
  connect(d->opacitySlider, &QSlider::valueChanged, this,
          [this](int percent) { setHeatmapOpacity(percent / 100.0); });

  d->heatmapBar->addSeparator();
  d->heatmapBar->addWidget(new QLabel(tr("Method") + QLatin1Char(' '), d->heatmapBar));
  d->methodBox = new QComboBox(d->heatmapBar);
  d->methodBox->setObjectName("heatmapMethod");
  for (const explain::CamMethod method : explain::parseCamMethods("all"))
    d->methodBox->addItem(camMethodTitle(method), static_cast<int>(method));
  d->methodBox->setToolTip(
      tr("Score-CAM runs the model once per channel: here on the %1 most active ones, so it "
         "takes a few seconds.")
          .arg(kScoreCamChannels));
  d->heatmapBar->addWidget(noFocus(d->methodBox));
  connect(d->methodBox, &QComboBox::currentIndexChanged, this, [this](int index) {
    setHeatmapMethod(static_cast<explain::CamMethod>(d->methodBox->itemData(index).toInt()));
  });

  d->heatmapBar->addSeparator();
  d->heatmapBar->addWidget(new QLabel(tr("Class") + QLatin1Char(' '), d->heatmapBar));
  d->classBox = new QComboBox(d->heatmapBar);
  d->classBox->setObjectName("heatmapClass");
  d->classBox->addItem(tr("top-1"), -1);
  d->classBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  d->heatmapBar->addWidget(noFocus(d->classBox));
  connect(d->classBox, &QComboBox::currentIndexChanged, this, [this](int index) {
    const int chosen = d->classBox->itemData(index).toInt();
    setHeatmapClass(chosen < 0 ? std::nullopt : std::optional<int>(chosen));
  });

  d->heatmapBar->addSeparator();
  d->heatmapBar->addWidget(new QLabel(tr("Colour map") + QLatin1Char(' '), d->heatmapBar));
  d->colormapBox = new QComboBox(d->heatmapBar);
  d->colormapBox->setObjectName("heatmapColormap");
  for (const explain::CamColormap colormap : kColormaps)
    d->colormapBox->addItem(colormapTitle(colormap), static_cast<int>(colormap));
  d->heatmapBar->addWidget(noFocus(d->colormapBox));
  connect(d->colormapBox, &QComboBox::currentIndexChanged, this, [this](int index) {
    setHeatmapColormap(static_cast<explain::CamColormap>(d->colormapBox->itemData(index).toInt()));
  });

  // The compare view's own choices: which model is "after", which ImageNet class "before" shows.
  auto* compareControls = new QWidget(d->heatmapBar);
  auto* row = new QHBoxLayout(compareControls);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("After model"), compareControls));
  d->versionBox = new QComboBox(compareControls);
  d->versionBox->setObjectName("compareVersion");
  d->versionBox->addItem(tr("current"), 0);
  d->versionBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  row->addWidget(noFocus(d->versionBox));
  row->addSpacing(12);
  row->addWidget(new QLabel(tr("ImageNet class"), compareControls));
  d->beforeClassBox = new QComboBox(compareControls);
  d->beforeClassBox->setObjectName("compareBeforeClass");
  d->beforeClassBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  d->beforeClassBox->setToolTip(
      tr("The class the ImageNet model's heatmap shows: one of its five most probable."));
  row->addWidget(noFocus(d->beforeClassBox));
  d->heatmapBar->addSeparator();
  d->compareControls = d->heatmapBar->addWidget(compareControls);
  d->compareControls->setVisible(false);
  connect(d->versionBox, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index < 0) return;
    d->afterVersion = d->versionBox->itemData(index).toInt();
    if (d->compare && d->image) requestComparison();
  });
  connect(d->beforeClassBox, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index < 0) return;
    d->beforeClass = d->beforeClassBox->itemData(index).toInt();
    if (d->compare && d->image) requestComparison();
  });
}

void LabelWindow::setKeyBindings(const KeyBindings& keys) {
  d->keys = keys;
  for (int i = 0; i < kCommandCount; ++i)
    d->commandActions[static_cast<std::size_t>(i)]->setShortcuts(distinct(keys.keys(commandAt(i))));
  refreshHelp();
  // Qt triggers neither action of a key bound twice: say so rather than ignore the key.
  const QStringList clashes = keys.conflicts();
  if (!clashes.isEmpty())
    showError(tr("These keys do nothing, each is bound to more than one command: %1")
                  .arg(clashes.join(QStringLiteral("; "))));
}

const KeyBindings& LabelWindow::keyBindings() const {
  return d->keys;
}

void LabelWindow::refreshHelp() {
  // The Help menu's item, without its mnemonic ("&Keys", or "(&K)" after a Japanese text).
  QString title = d->helpAction->text();
  title.remove(QRegularExpression(QStringLiteral("\\(&.\\)"))).remove(QLatin1Char('&'));
  d->help->setText(helpHtml(d->keys, d->scheme ? &*d->scheme : nullptr, uiLanguage(), title));
}

void LabelWindow::updateActions() {
  const bool open = d->session != nullptr && d->imageId.has_value();
  for (QAction* action : d->sessionActions)
    action->setEnabled(open);
  for (int i = 0; i < project::kMaxClasses; ++i)
    d->labelActions[static_cast<std::size_t>(i)]->setEnabled(open && i < d->classCount);
}

session::Session* LabelWindow::session() const {
  return d->session.get();
}
int LabelWindow::currentIndex() const {
  return d->index;
}
std::int64_t LabelWindow::imageCount() const {
  return d->count;
}
QImage LabelWindow::displayedImage() const {
  return d->shown;
}
QString LabelWindow::errorText() const {
  return d->error;
}
QString LabelWindow::predictionText() const {
  return d->prediction->text();
}
int LabelWindow::highlightedClass() const {
  return d->classes->highlighted();
}
bool LabelWindow::overlayEnabled() const {
  return d->overlay;
}
bool LabelWindow::compareEnabled() const {
  return d->compare;
}
bool LabelWindow::commonScaleEnabled() const {
  return d->commonScale;
}
TrainingPanel* LabelWindow::trainingPanel() const {
  return d->trainingPanel;
}
bool LabelWindow::trainingPanelVisible() const {
  return d->trainingDock->isVisible();
}
QImage LabelWindow::displayedBeforeImage() const {
  return d->compare ? d->shownBefore : QImage();
}
int LabelWindow::comparedVersion() const {
  return d->afterVersion;
}

QString LabelWindow::compareText() const {
  if (!d->compare) return {};
  return d->beforeCaption->text() + QStringLiteral(" | ") + d->afterCaption->text();
}
bool LabelWindow::helpVisible() const {
  return d->help->isVisibleTo(d->canvas);
}

QString LabelWindow::helpText() const {
  QTextDocument document;
  document.setHtml(d->help->text());
  return document.toPlainText();
}

QString LabelWindow::statusText() const {
  QStringList parts;
  for (const QLabel* label : {d->message, d->position, d->counts, d->training})
    if (!label->text().isEmpty()) parts << label->text();
  return parts.join(QStringLiteral(" | "));
}

double LabelWindow::heatmapOpacity() const {
  return d->opacity;
}
explain::CamMethod LabelWindow::heatmapMethod() const {
  return d->heatmap.method;
}
std::optional<int> LabelWindow::heatmapClass() const {
  return d->heatmap.classIndex;
}
explain::CamColormap LabelWindow::heatmapColormap() const {
  return d->colormap;
}
std::optional<explain::CamMethod> LabelWindow::explainedMethod() const {
  if (!d->explanation) return std::nullopt;
  return d->explainedWith.method;
}
int LabelWindow::explainedClass() const {
  return d->explanation ? d->explanation->classIndex : -1;
}

ImageCanvas* LabelWindow::imageCanvas() const {
  return d->canvas;
}
ImageCanvas* LabelWindow::beforeImageCanvas() const {
  return d->beforeCanvas;
}

imaging::Window LabelWindow::currentWindow() const {
  if (!d->image) return d->preset.value_or(imaging::kLungWindow);
  if (d->imageWindow) return imaging::defaultWindow(d->image->info);
  return d->preset.value_or(initialWindow(d->image->info));
}

// --- opening and closing ----------------------------------------------------------------------

void LabelWindow::onOpened(const std::shared_ptr<session::Session>& session) {
  if (d->closing || d->closed) return;
  d->session = session;
  const project::ProjectSettings& settings = session->settings();
  const std::string language = uiLanguage();
  d->classCount = static_cast<int>(settings.scheme.classes.size());
  d->classes->setScheme(settings.scheme, language);
  for (int i = 0; i < d->classCount; ++i) {
    d->labelActions[static_cast<std::size_t>(i)]->setText(
        tr("&%1 %2").arg(i).arg(fromStd(settings.scheme.className(i, language))));
  }
  for (int i = d->classCount; i < project::kMaxClasses; ++i)
    d->labelActions[static_cast<std::size_t>(i)]->setVisible(false);
  d->scheme = settings.scheme;
  refreshHelp();
  const QSignalBlocker blocker(d->classBox);
  d->classBox->clear();
  d->classBox->addItem(tr("top-1"), -1);
  for (int i = 0; i < d->classCount; ++i)
    d->classBox->addItem(
        QStringLiteral("%1 %2").arg(i).arg(fromStd(settings.scheme.className(i, language))), i);

  try {
    d->count = session->imageCount();
    if (d->count == 0) {
      d->canvas->setImage({}, tr("The project has no images yet: import some with "
                                 "camlabel-cli import."));
      d->prediction->showMessage(tr("No image."));
      showMessage(tr("The project has no images."));
      updateActions();
      emit sessionOpened();
      return;
    }
    const session::ResumeReport& report = session->resumeReport();
    std::optional<std::int64_t> start = report.position;
    if (!start) {
      start = firstUnlabelled();
      session->goTo(*start);
    }
    QStringList resumed;
    if (report.position)
      resumed << tr("at image %1 of %2").arg(session->indexOf(*start) + 1).arg(d->count);
    if (report.version)
      resumed << tr("model v%1 (%2 in the project)")
                     .arg(*report.version)
                     .arg(labelCount(report.labelsInStore));
    if (report.labelsRetrained > 0)
      resumed << tr("%1 to train again").arg(labelCount(report.labelsRetrained));
    QString text = resumed.isEmpty()
                       ? tr("Opened %1.").arg(fromStd(d->projectDir.filename().string()))
                       : tr("Resumed %1.").arg(resumed.join(QStringLiteral(", ")));
    if (!report.skippedCheckpoints.empty())
      text += tr(" Damaged model versions skipped: %1.")
                  .arg(fromStd(report.skippedCheckpoints.front()));
    refreshCounts();
    refreshTraining();
    d->trainingTimer.start(kTrainingPollMs);
    moveTo(*start);
    showMessage(text);
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
  emit sessionOpened();
}

void LabelWindow::onOpenFailed(const QString& message) {
  d->error = message;
  d->canvas->setImage({}, tr("Cannot open the project.\n\n%1").arg(message));
  d->prediction->showMessage(tr("No project is open."));
  d->message->setText(message);
  updateActions();
  emit openFailed(message);
}

std::optional<std::int64_t> LabelWindow::firstUnlabelled() {
  if (const auto id = d->session->nextUnlabelled()) return id;
  return d->session->imageAt(0)->id;
}

void LabelWindow::closeEvent(QCloseEvent* event) {
  if (d->closed) {
    QMainWindow::closeEvent(event);
    return;
  }
  // Writing the version takes seconds with ResNet50: the window stays alive meanwhile.
  event->ignore();
  if (!d->closing) beginClose();
}

void LabelWindow::beginClose() {
  d->closing = true;
  d->trainingTimer.stop();
  ++d->generation;  // answers still on their way are dropped
  const bool saving = d->session != nullptr;
  d->session.reset();  // no store call from here while the worker closes it
  d->imageId.reset();  // nor any request or repaint
  d->image.reset();
  d->explanation.reset();
  d->comparison.reset();
  updateActions();
  const QString message = saving ? tr("Saving the model...") : tr("Closing...");
  d->canvas->setImage({}, message);
  d->beforeCanvas->setImage({}, message);
  d->shown = QImage();
  d->shownBefore = QImage();
  showMessage(message);
  d->worker->requestClose();
}

void LabelWindow::onClosed() {
  if (d->closed) return;
  d->closing = false;
  d->closed = true;
  emit sessionClosed();
  close();
}

void LabelWindow::shutDown() {
  if (d->closed) return;
  d->closed = true;
  d->trainingTimer.stop();
  ++d->generation;
  d->worker->closeSession();  // after a requestClose() still queued, which it waits for
  d->session.reset();
  updateActions();
}

// --- moving and deciding ----------------------------------------------------------------------

void LabelWindow::moveTo(std::int64_t imageId) {
  d->imageId = imageId;
  d->image.reset();
  d->explanation.reset();
  d->comparison.reset();
  d->comparisonPending = false;
  d->beforeClass.reset();  // another image has another top 5
  {
    const QSignalBlocker blocker(d->beforeClassBox);
    d->beforeClassBox->clear();
  }
  d->shownBefore = QImage();
  d->error.clear();
  d->shown = QImage();
  ++d->generation;
  std::optional<std::int64_t> prefetch;
  try {
    d->index = static_cast<int>(d->session->indexOf(imageId));
    if (const auto next = d->session->imageAt(d->index + 1)) prefetch = next->id;
    d->classes->setCurrent(d->session->currentLabel(imageId));
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
  d->canvas->setImage({}, tr("Loading..."));
  d->prediction->showMessage(tr("Predicting..."));
  d->panelModelLabels.reset();
  d->explanationPending = d->overlay;
  d->suggestion.reset();
  d->worker->requestShow(d->generation, imageId,
                         d->overlay ? std::optional<HeatmapRequest>(d->heatmap) : std::nullopt,
                         prefetch,
                         d->order == learning::LabellingOrder::kFile
                             ? std::nullopt
                             : std::optional<learning::LabellingOrder>(d->order));
  refreshPosition();
  updateActions();
}

void LabelWindow::labelCurrent(int classIndex) {
  if (!d->session || !d->imageId) return;
  if (!d->image) {
    showMessage(d->error.isEmpty()
                    ? tr("Wait for the image to appear before labelling it.")
                    : tr("This image cannot be shown, so it cannot be labelled: press S to "
                         "skip it or Right to go on."));
    return;
  }
  try {
    const std::int64_t labelled = *d->imageId;
    const int index = d->index;
    const session::LabelOutcome outcome = d->session->label(labelled, classIndex);
    refreshCounts();
    const auto [next, why] = nextAfter(labelled, outcome.next);
    if (next) {
      moveTo(*next);
      showMessage(tr("Image %1 labelled %2.").arg(index + 1).arg(classIndex) + why);
    } else {
      d->classes->setCurrent(d->session->currentLabel(labelled));
      showMessage(
          tr("Image %1 labelled %2. Every image has a label now.").arg(index + 1).arg(classIndex));
    }
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::skipCurrent() {
  if (!d->session || !d->imageId) return;
  try {
    const std::int64_t skipped = *d->imageId;
    const int index = d->index;
    const session::LabelOutcome outcome = d->session->skip(skipped);
    refreshCounts();
    const auto [next, why] = nextAfter(skipped, outcome.next);
    if (next) {
      moveTo(*next);
      showMessage(tr("Image %1 skipped.").arg(index + 1) + why);
    } else {
      d->classes->setCurrent(d->session->currentLabel(skipped));
      showMessage(tr("Image %1 skipped. Every image has a decision now.").arg(index + 1));
    }
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::undo() {
  if (!d->session) return;
  try {
    const std::optional<std::int64_t> undone = d->session->undo();
    if (!undone) {
      showMessage(tr("Nothing to undo."));
      return;
    }
    refreshCounts();
    moveTo(*undone);
    showMessage(tr("Undid the last decision, on image %1.").arg(d->index + 1));
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

std::pair<std::optional<std::int64_t>, QString> LabelWindow::nextAfter(
    std::int64_t decided, std::optional<std::int64_t> fileNext) {
  if (d->order == learning::LabellingOrder::kFile || !fileNext) return {fileNext, QString()};
  const std::optional<session::Suggestion> chosen = d->suggestion;
  if (!chosen || chosen->imageId == decided || d->session->currentLabel(chosen->imageId)) {
    return {fileNext, tr(" The next slice was not chosen yet: file order.")};
  }
  d->session->goTo(chosen->imageId);
  if (d->order == learning::LabellingOrder::kRandom)
    return {chosen->imageId, tr(" Next: a random slice.")};
  if (d->order == learning::LabellingOrder::kSpread)
    return {chosen->imageId, tr(" Next: the slice farthest from those decided in its series.")};
  if (!chosen->choice) {
    return {chosen->imageId, tr(" Next in file order while the model looks at the slices "
                                "(%1 of %2 so far).")
                                 .arg(chosen->scored)
                                 .arg(chosen->undecided)};
  }
  const learning::InformativeChoice& c = *chosen->choice;
  if (c.reason == learning::ChoiceReason::kUnlike) {
    return {chosen->imageId,
            tr(" Next: the slice least like those labelled so far (the model has not learned "
               "yet).")};
  }
  const auto name = [this](int index) {
    return fromStd(schemeClassName(index, std::to_string(index)));
  };
  return {chosen->imageId, tr(" Next: the model is unsure between %1 (%2%) and %3 (%4%).")
                               .arg(name(c.first))
                               .arg(std::lround(c.firstProbability * 100))
                               .arg(name(c.second))
                               .arg(std::lround(c.secondProbability * 100))};
}

void LabelWindow::onSuggested(quint64 generation, const session::Suggestion& suggestion) {
  if (generation != d->generation) return;
  d->suggestion = suggestion;
  try {
    emit nextChosen(static_cast<int>(d->session->indexOf(suggestion.imageId)));
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

learning::LabellingOrder LabelWindow::labellingOrder() const {
  return d->order;
}

std::optional<session::Suggestion> LabelWindow::pendingSuggestion() const {
  return d->suggestion;
}

void LabelWindow::setLabellingOrder(learning::LabellingOrder order) {
  d->order = order;
  d->orderActions[static_cast<std::size_t>(order)]->setChecked(true);
  QSettings().setValue(QStringLiteral("labelling/order"),
                       QString::fromUtf8(learning::labellingOrderName(order).data()));
  // The slice on screen gets its choice of what follows.
  if (d->session && d->imageId) moveTo(*d->imageId);
}

void LabelWindow::showNext() {
  if (!d->session || !d->imageId) return;
  try {
    if (const auto next = d->session->imageAt(d->index + 1)) {
      d->session->goTo(next->id);
      moveTo(next->id);
    }
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::showPrevious() {
  if (!d->session || !d->imageId || d->index <= 0) return;
  try {
    if (const auto previous = d->session->imageAt(d->index - 1)) {
      d->session->goTo(previous->id);
      moveTo(previous->id);
    }
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::stepInSeries(int step) {
  if (!d->session || !d->imageId) return;
  try {
    if (const auto neighbour = d->session->neighbourInSeries(*d->imageId, step)) {
      d->session->goTo(neighbour->id);
      moveTo(neighbour->id);
    }
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

// --- what the worker answers ------------------------------------------------------------------

void LabelWindow::onImageLoaded(quint64 generation, std::int64_t imageId,
                                const imaging::CtImage& image) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->image = image;
  render();
  refreshPosition();
  if (d->overlay && !d->explanationPending) requestExplanation();
  if (d->compare && !d->comparisonPending) requestComparison();
  emit imageShown(d->index);
}

void LabelWindow::onImageFailed(quint64 generation, std::int64_t imageId, const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->error = message;
  d->canvas->setImage({}, tr("%1\n\nPress S to skip this image or Right to go on.").arg(message));
  d->prediction->showMessage(tr("No prediction: the image cannot be read."));
  refreshPosition();
  showError(message);
}

std::string LabelWindow::schemeClassName(int index, const std::string& english) const {
  if (!d->session) return english;
  const project::ClassScheme& scheme = d->session->settings().scheme;
  if (index < 0 || index >= static_cast<int>(scheme.classes.size())) return english;
  return scheme.className(index, uiLanguage());
}

void LabelWindow::onPredicted(quint64 generation, const session::ShownPrediction& prediction) {
  if (generation != d->generation || prediction.imageId != d->imageId) return;
  // The scheme's names in the interface's language (the model knows the English ones).
  session::ShownPrediction shown = prediction;
  for (model::ClassScore& score : shown.prediction.top)
    score.name = schemeClassName(score.index, score.name);
  d->prediction->showPrediction(shown);
  d->panelModelLabels = prediction.labelsSeen;
  emit predictionShown(d->index);
}

void LabelWindow::onPredictionFailed(quint64 generation, std::int64_t imageId,
                                     const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->prediction->showMessage(tr("No prediction: %1").arg(message));
  showError(message);
}

void LabelWindow::onExplained(quint64 generation, const HeatmapRequest& heatmap,
                              const session::Explanation& explanation) {
  if (generation != d->generation || explanation.imageId != d->imageId ||
      heatmap.ticket != d->heatmap.ticket)
    return;
  d->explanation = explanation;
  d->explainedWith = heatmap;
  d->explanationPending = false;
  render();
  // Signs that this heatmap should not be trusted (OpenCV only: cheap on the GUI thread).
  QStringList warnings;
  try {
    const explain::HeatmapDiagnostics checks =
        explain::diagnoseHeatmap(explanation.map, d->image ? &*d->image : nullptr, d->thresholds);
    for (const explain::DiagnosticWarning& w : checks.warnings)
      warnings << fromStd(w.message);
  } catch (const std::exception& e) {
    warnings << fromStd(e.what());
  }
  showMessage(tr("Heatmap: %1 for %2 (%3%), model %4. Checks: %5.")
                  .arg(camMethodTitle(heatmap.method))
                  .arg(fromStd(schemeClassName(explanation.classIndex, explanation.className)))
                  .arg(100.0 * explanation.probability, 0, 'f', 1)
                  .arg(fromStd(explanation.modelDescription))
                  .arg(warnings.isEmpty() ? tr("no warning signs") : warnings.join("; ")));
  emit explanationShown(d->index);
}

void LabelWindow::onExplanationFailed(quint64 generation, std::int64_t imageId,
                                      const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->explanationPending = false;
  showError(tr("No heatmap: %1").arg(message));
}

// --- view -------------------------------------------------------------------------------------

void LabelWindow::toggleOverlay() {
  d->overlay = !d->overlay;
  d->overlayAction->setChecked(d->overlay);
  const bool current = d->explanation && d->explainedWith.ticket == d->heatmap.ticket;
  if (d->overlay && !current && d->image && !d->explanationPending) requestExplanation();
  render();
}

void LabelWindow::toggleCompare() {
  d->compare = !d->compare;
  d->compareAction->setChecked(d->compare);
  d->beforeCanvas->setVisible(d->compare);
  d->beforeCaption->setVisible(d->compare);
  d->afterCaption->setVisible(d->compare);
  d->compareControls->setVisible(d->compare);
  if (d->compare) refreshVersionBox(true);
  d->columns->setStretch(0, d->compare ? 1 : 0);
  const bool current = d->comparison && d->comparison->heatmap.ticket == d->heatmap.ticket;
  if (d->compare && !current && d->image && !d->comparisonPending) requestComparison();
  render();
}

void LabelWindow::toggleTrainingPanel() {
  const bool show = !d->trainingDock->isVisible();
  d->trainingDock->setVisible(show);
  d->trainingAction->setChecked(show);
  if (show) refreshTrainingPanel(true);
}

/// The curve and the versions, read from the store when something changed (or when forced).
void LabelWindow::openSettings() {
  QSettings settings;
  SettingsDialog dialog(settings, d->session.get(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  setKeyBindings(dialog.keyBindings());
  d->thresholds = dialog.diagnosticThresholds();
  refreshTrainingPanel(/*force=*/true);
}

namespace {

QString trainingModeTitle(const std::string& mode) {
  if (mode == "head") return LabelWindow::tr("last layer only (head)");
  if (mode == "full") return LabelWindow::tr("whole network (full)");
  if (mode == "auto") return LabelWindow::tr("automatic (whole network without a weights file)");
  return LabelWindow::tr("last block and head (layer4)");
}

}  // namespace

void LabelWindow::refreshTrainingPanel(bool force) {
  if (!d->session || !d->trainingDock->isVisible()) return;
  try {
    // As the session trains now, and what Settings stored for the next opening.
    const project::ProjectSettings& now = d->session->settings();
    const project::ProjectSettings stored = d->session->storedSettings();
    QString text = tr("Training: %1, a version every %2 labels.")
                       .arg(trainingModeTitle(now.trainingMode))
                       .arg(now.snapshotEvery);
    if (stored.trainingMode != now.trainingMode || stored.snapshotEvery != now.snapshotEvery) {
      text += ' ' + tr("From the next opening: %1, every %2 labels.")
                        .arg(trainingModeTitle(stored.trainingMode))
                        .arg(stored.snapshotEvery);
    }
    d->trainingPanel->showTrainingSettings(text);
    const std::int64_t seen = d->session->trainerStatus().labelsSeen;
    const std::vector<project::ModelVersion> versions = d->session->modelVersions();
    const project::ProjectCounts counts = d->session->counts();
    const std::int64_t marker = seen * 1000003 + counts.labelled;
    if (!force && marker == d->panelLabels && versions.size() == d->panelVersions) return;
    d->panelLabels = marker;
    d->panelVersions = versions.size();
    d->trainingPanel->showCurve(d->session->prequential());
    d->trainingPanel->showVersions(versions);
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::toggleCommonScale() {
  d->commonScale = !d->commonScale;
  d->commonScaleAction->setChecked(d->commonScale);
  render();
  if (d->compare && d->comparison) {
    showMessage(d->commonScale ? tr("Heatmaps on a common scale: a weaker map looks weaker.")
                               : tr("Each heatmap on its own scale."));
  }
}

void LabelWindow::refreshVersionBox(bool force) {
  if (!d->session || (!force && !d->compare)) return;
  try {
    std::vector<int> versions;
    std::vector<QString> names;
    for (const session::ModelSource& source : session::modelSources(*d->session)) {
      if (source.version == 0) continue;  // the newest weights: "current"
      versions.push_back(source.version);
      names.push_back(fromStd(source.description));
    }
    if (versions == d->listedVersions) return;
    d->listedVersions = versions;
    const QSignalBlocker blocker(d->versionBox);
    d->versionBox->clear();
    d->versionBox->addItem(tr("current"), 0);
    for (std::size_t i = 0; i < versions.size(); ++i)
      d->versionBox->addItem(names[i], versions[i]);
    const int chosen = d->versionBox->findData(d->afterVersion);
    d->versionBox->setCurrentIndex(std::max(0, chosen));
    if (chosen < 0 && d->afterVersion != 0) {
      d->afterVersion = 0;
      if (d->compare && d->image) requestComparison();
    }
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::requestComparison() {
  if (!d->session || !d->imageId || !d->image) return;
  CompareChoice choice;
  choice.ticket = ++d->compareTicket;
  choice.beforeClass = d->beforeClass;
  if (d->afterVersion != 0) {
    try {
      for (session::ModelSource& source : session::modelSources(*d->session))
        if (source.version == d->afterVersion) choice.after = std::move(source);
    } catch (const std::exception& e) {
      showError(tr("No comparison: %1").arg(fromStd(e.what())));
      return;
    }
    if (!choice.after) {
      showError(tr("No comparison: %1").arg(tr("model v%1 is not recorded").arg(d->afterVersion)));
      return;
    }
  }
  d->comparisonPending = true;
  d->beforeCaption->setText(tr("Before: computing..."));
  d->afterCaption->setText(tr("After: computing..."));
  alignCaptions();
  d->worker->requestCompare(d->generation, *d->imageId, *d->image, d->heatmap, std::move(choice));
}

void LabelWindow::alignCaptions() {
  // The two images start at the same height whatever each caption's length: the shorter caption
  // takes the longer one's lines (at least two, so a wrap does not move an image later).
  const int width = std::max(1, std::min(d->beforeCaption->width(), d->afterCaption->width()));
  const int lines = 2 * d->beforeCaption->fontMetrics().lineSpacing();
  const int height = std::max(
      {lines, d->beforeCaption->heightForWidth(width), d->afterCaption->heightForWidth(width)});
  d->beforeCaption->setMinimumHeight(height);
  d->afterCaption->setMinimumHeight(height);
}

void LabelWindow::onCompared(quint64 generation, const Comparison& comparison) {
  if (generation != d->generation || comparison.imageId != d->imageId ||
      comparison.heatmap.ticket != d->heatmap.ticket ||
      comparison.choice.ticket != d->compareTicket)
    return;
  d->comparison = comparison;
  d->comparisonPending = false;
  {
    // The before model's top 5, its class chosen or its top-1.
    const QSignalBlocker blocker(d->beforeClassBox);
    d->beforeClassBox->clear();
    for (const model::ClassScore& score : comparison.before.prediction.top) {
      d->beforeClassBox->addItem(QStringLiteral("%1 (%2%)")
                                     .arg(fromStd(score.name))
                                     .arg(100.0 * score.probability, 0, 'f', 1),
                                 score.index);
    }
    d->beforeClassBox->setCurrentIndex(
        std::max(0, d->beforeClassBox->findData(comparison.beforeMap.classIndex)));
  }
  const auto& before = comparison.beforeMap;
  const auto& after = comparison.afterMap;
  const QString afterName = fromStd(schemeClassName(after.classIndex, after.className));
  d->beforeCaption->setText(tr("Before: %1 - %2 (%3%)")
                                .arg(fromStd(comparison.before.modelDescription))
                                .arg(fromStd(before.className))
                                .arg(100.0 * before.probability, 0, 'f', 1));
  // A recorded version is named as the chooser lists it: "After: v3 (30 labels) - ...".
  d->afterCaption->setText(
      (comparison.choice.after ? tr("After: %1 - %2 (%3%)") : tr("After: model %1 - %2 (%3%)"))
          .arg(fromStd(after.modelDescription))
          .arg(afterName)
          .arg(100.0 * after.probability, 0, 'f', 1));
  alignCaptions();
  render();
  emit comparisonShown(d->index);
}

void LabelWindow::onComparisonFailed(quint64 generation, std::int64_t imageId,
                                     const QString& message) {
  if (generation != d->generation || imageId != d->imageId) return;
  d->comparisonPending = false;
  const QString text = tr("No comparison: %1").arg(message);
  // Nothing of an earlier choice stays on screen as if it were this one's.
  d->comparison.reset();
  render();
  d->shownBefore = QImage();
  d->beforeCanvas->setImage({}, text);
  d->beforeCaption->setText(text);
  d->afterCaption->setText(text);
  alignCaptions();
  showError(text);
}

void LabelWindow::requestExplanation() {
  if (!d->imageId || !d->image) return;
  d->explanationPending = true;
  d->worker->requestExplain(d->generation, *d->imageId, *d->image, d->heatmap);
  showMessage(tr("Computing the heatmap..."));
}

void LabelWindow::setHeatmapOpacity(double opacity) {
  d->opacity = std::clamp(opacity, 0.0, 1.0);
  const int percent = static_cast<int>(std::lround(d->opacity * 100));
  {
    const QSignalBlocker blocker(d->opacitySlider);
    d->opacitySlider->setValue(percent);
  }
  d->opacityValue->setText(QStringLiteral("%1%").arg(percent));
  render();
}

void LabelWindow::setHeatmapMethod(explain::CamMethod method) {
  {
    const QSignalBlocker blocker(d->methodBox);
    d->methodBox->setCurrentIndex(d->methodBox->findData(static_cast<int>(method)));
  }
  if (method == d->heatmap.method) return;
  d->heatmap.method = method;
  heatmapChanged();
}

void LabelWindow::setHeatmapClass(std::optional<int> classIndex) {
  if (classIndex && (*classIndex < 0 || *classIndex >= d->classCount)) classIndex.reset();
  {
    const QSignalBlocker blocker(d->classBox);
    d->classBox->setCurrentIndex(std::max(0, d->classBox->findData(classIndex.value_or(-1))));
  }
  if (classIndex == d->heatmap.classIndex) return;
  d->heatmap.classIndex = classIndex;
  heatmapChanged();
}

void LabelWindow::setHeatmapColormap(explain::CamColormap colormap) {
  {
    const QSignalBlocker blocker(d->colormapBox);
    d->colormapBox->setCurrentIndex(d->colormapBox->findData(static_cast<int>(colormap)));
  }
  d->colormap = colormap;
  render();
}

void LabelWindow::heatmapChanged() {
  ++d->heatmap.ticket;  // what is on its way is for the old choice
  d->overlayAction->setText(tr("&Heatmap overlay (%1)").arg(camMethodTitle(d->heatmap.method)));
  d->explanationPending = false;
  d->comparisonPending = false;
  if (!d->image) return;
  if (d->overlay) requestExplanation();
  if (d->compare) requestComparison();
}

void LabelWindow::toggleHelp() {
  d->help->setVisible(!helpVisible());
  d->helpAction->setChecked(helpVisible());
}

void LabelWindow::setWindow(imaging::Window window) {
  d->preset = window;
  d->imageWindow = false;
  render();
  refreshPosition();
}

void LabelWindow::dragWindow(QPoint delta) {
  if (!d->dragFrom || !d->image) return;
  const imaging::Window from = *d->dragFrom;
  const double rate = std::max(kMinDragRate, from.width / kDragPixelsPerWidth);
  // Whole units: the status bar shows the window, and "-562.5" helps no one.
  setWindow(imaging::Window{std::round(from.center + delta.y() * rate),
                            std::max(1.0, std::round(from.width + delta.x() * rate))});
}

void LabelWindow::useImageWindow() {
  d->preset.reset();
  d->imageWindow = true;
  render();
  refreshPosition();
}

void LabelWindow::zoomIn() {
  d->canvas->zoomBy(kKeyZoom);
}

void LabelWindow::zoomOut() {
  d->canvas->zoomBy(1.0 / kKeyZoom);
}

void LabelWindow::zoomToFit() {
  d->canvas->fit();
}

void LabelWindow::render() {
  if (!d->image) return;
  try {
    const cv::Mat gray = imaging::renderWindowed8(*d->image, currentWindow());
    if (d->compare && d->comparison) {
      // Each map min-max normalised, or both divided by the larger maximum.
      std::vector<cv::Mat> maps{d->comparison->beforeMap.map, d->comparison->afterMap.map};
      if (d->commonScale) {
        maps = explain::onCommonScale({d->comparison->beforeMap.raw, d->comparison->afterMap.raw},
                                      gray.size());
      }
      d->shownBefore = bgrToQImage(explain::overlayCam(gray, maps[0], d->colormap, d->opacity));
      d->beforeCanvas->setImage(d->shownBefore);
      d->shown = bgrToQImage(explain::overlayCam(gray, maps[1], d->colormap, d->opacity));
    } else if (d->compare) {
      d->shownBefore = QImage();
      d->beforeCanvas->setImage({}, tr("Computing the heatmaps..."));
      d->shown = toQImage(gray);
    } else if (d->overlay && d->explanation) {
      d->shown =
          bgrToQImage(explain::overlayCam(gray, d->explanation->map, d->colormap, d->opacity));
    } else {
      d->shown = toQImage(gray);
    }
    d->canvas->setImage(d->shown);
  } catch (const std::exception& e) {
    d->shown = QImage();
    d->canvas->setImage({}, fromStd(e.what()));
    showError(fromStd(e.what()));
  }
}

// --- status -----------------------------------------------------------------------------------

void LabelWindow::refreshPosition() {
  if (!d->session || !d->imageId) {
    d->position->clear();
    return;
  }
  QString text = tr("Image %1 of %2").arg(d->index + 1).arg(d->count);
  // A DICOM slice is placed by its series (its file name, IM1 or a UID, says little and goes to
  // the tooltip); another image by its name. Both are niceties: the index says where the user is.
  QString name;
  try {
    name = fromStd(displayName(d->session->image(*d->imageId).relativePath));
    if (const auto where = d->session->sliceLocation(*d->imageId))
      text += QStringLiteral(" - ") + sliceLocationText(*where);
    else
      text += QStringLiteral(" - ") + name;
  } catch (const std::exception&) {
  }
  d->position->setToolTip(name);
  if (d->image) text += QStringLiteral(" - ") + windowName(currentWindow());
  d->position->setText(text);
}

void LabelWindow::refreshCounts() {
  if (!d->session) return;
  try {
    const project::ProjectCounts counts = d->session->counts();
    d->counts->setText(tr("Labelled %1, skipped %2, unlabelled %3")
                           .arg(counts.labelled)
                           .arg(counts.skipped)
                           .arg(counts.unlabelled));
    // How often the prediction shown was right, over the last labels: read from the store
    // after a label changes, not on every training tick.
    const learning::PrequentialMetrics prequential = d->session->prequential();
    d->prequentialText = prequential.windowAccuracy
                             ? tr(", right %1% of the last %2")
                                   .arg(100.0 * *prequential.windowAccuracy, 0, 'f', 0)
                                   .arg(prequential.windowCount)
                             : QString();
  } catch (const std::exception& e) {
    showError(fromStd(e.what()));
  }
}

void LabelWindow::refreshTraining() {
  if (!d->session) return;
  const learning::TrainerStatus status = d->session->trainerStatus();
  QString text =
      tr("Training: %1 queued, %2 seen").arg(status.queued).arg(labelCount(status.labelsSeen));
  if (status.steps > 0)
    text += tr(", %1 steps, loss %2").arg(status.steps).arg(status.lastLoss, 0, 'f', 3);
  // Between labels the trainer goes on learning from the labelled images (issue 13).
  if (status.refining) text += tr(", learning while you read");
  text += d->prequentialText;
  text += tr(" | Model %1").arg(fromStd(d->session->snapshot()->describe()));
  // The trainer goes on after a problem (an unreadable image, a failed checkpoint), but the
  // user must know.
  if (!status.lastError.empty())
    text += tr(" | Training problem: %1").arg(fromStd(status.lastError));
  d->training->setText(text);
  refreshTrainingPanel();
  refreshVersionBox();
}

void LabelWindow::refreshLivePrediction() {
  // Each publication (SessionOptions::published): when the model has learned more labels than
  // the one on the panel while the reader stays on this slice, predict (and explain) it again,
  // once per publication, keeping what is shown until the new results replace it. The compare
  // view has its own "after" model.
  if (!d->session || !d->imageId || !d->image || !d->panelModelLabels || d->compare ||
      (d->overlay && d->explanationPending))
    return;
  const std::shared_ptr<const learning::Snapshot> latest = d->session->snapshot();
  if (latest->labelsSeen <= *d->panelModelLabels || latest->serial == d->refreshedSerial) return;
  d->refreshedSerial = latest->serial;
  d->explanationPending = d->overlay;
  d->worker->requestRefresh(d->generation, *d->imageId, *d->image,
                            d->overlay ? std::optional<HeatmapRequest>(d->heatmap) : std::nullopt);
}

void LabelWindow::showMessage(const QString& message) {
  d->message->setStyleSheet({});
  d->message->setText(message);
}

void LabelWindow::showError(const QString& message) {
  if (d->error.isEmpty()) d->error = message;
  d->message->setStyleSheet("color: #c00000;");
  d->message->setText(message);
  emit errorShown(message);
}

}  // namespace camlabel::ui
