// SPDX-License-Identifier: Apache-2.0
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
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QTextDocument>
#include <QThread>
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
#include "ui/adjudication_dialog.h"
#include "ui/agreement_dialog.h"
#include "ui/assignment_dialog.h"
#include "ui/class_panel.h"
#include "ui/image_canvas.h"
#include "ui/image_conversion.h"
#include "ui/import_dialog.h"
#include "ui/key_bindings.h"
#include "ui/label_window_private.h"
#include "ui/language.h"
#include "ui/prediction_panel.h"
#include "ui/session_worker.h"
#include "ui/settings_dialog.h"
#include "ui/training_panel.h"
#include "ui/trust_dialogs.h"
#include "ui/window_presets.h"

namespace camlabel::ui {

using namespace label_window_detail;
namespace fs = std::filesystem;

namespace label_window_detail {

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

}  // namespace label_window_detail

namespace {

QString colormapTitle(explain::CamColormap colormap) {
  return colormap == explain::CamColormap::Viridis ? QStringLiteral("Viridis")
                                                   : QStringLiteral("Jet");
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
                .arg(fromUtf8(scheme->className(i, language)).toHtmlEscaped());
  return html;
}

}  // namespace

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
  // The prediction and the classes scroll on a short screen instead of growing the window.
  auto* sideScroll = new QScrollArea(central);
  sideScroll->setWidgetResizable(true);
  sideScroll->setFrameShape(QFrame::NoFrame);
  sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  sideScroll->setWidget(sideWidget);
  sideScroll->setFixedWidth(300 + sideScroll->verticalScrollBar()->sizeHint().width());
  layout->addWidget(sideScroll);
  setCentralWidget(central);

  d->trainingPanel = new TrainingPanel(this);
  d->trainingDock = new QDockWidget(tr("Training"), this);
  d->trainingDock->setObjectName("training");
  // The panel scrolls inside the dock rather than growing the window: with it open the window
  // still fits a 1366x768 laptop screen.
  auto* trainingScroll = new QScrollArea(d->trainingDock);
  trainingScroll->setWidgetResizable(true);
  trainingScroll->setFrameShape(QFrame::NoFrame);
  trainingScroll->setWidget(d->trainingPanel);
  d->trainingDock->setWidget(trainingScroll);
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
  d->team = new QLabel(this);
  d->team->setObjectName(QStringLiteral("teamStatus"));
  d->team->hide();  // a team project's only
  statusBar()->addWidget(d->message, 1);
  statusBar()->addPermanentWidget(d->position);
  statusBar()->addPermanentWidget(d->counts);
  statusBar()->addPermanentWidget(d->team);
  statusBar()->addPermanentWidget(d->training);

  createActions();
  d->order = learning::parseLabellingOrder(
                 QSettings().value(QStringLiteral("labelling/order")).toString().toStdString())
                 .value_or(learning::LabellingOrder::kFile);
  d->orderActions[static_cast<std::size_t>(d->order)]->setChecked(true);
  createHeatmapBar();
  setKeyBindings(KeyBindings::load(QSettings()));
  setWindowTitle(tr("camlabel - %1").arg(fromUtf8(projectDir.filename().string())));
  resize(1100, 760);

  d->canvas->setImage({}, tr("Opening the project..."));
  d->prediction->showMessage(tr("The model is loading."));
  showMessage(tr("Opening %1...").arg(fromUtf8(projectDir.string())));
  updateActions();

  d->worker = std::make_unique<SessionWorker>();
  d->worker->moveToThread(&d->thread);
  d->thread.setObjectName("camlabel session worker");
  connect(d->worker.get(), &SessionWorker::previewed, this, &LabelWindow::onPreviewed);
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
  d->thread.start();
  // A newer model refreshes the slice on screen (issue 14). The trainer calls this on its own
  // thread; the window's destructor closes the session, and with it the trainer, first.
  options.published = [this](std::uint64_t, std::int64_t) {
    QMetaObject::invokeMethod(this, &LabelWindow::refreshLivePrediction, Qt::QueuedConnection);
  };
  // The training line follows the trainer's news (a step a second while it learns), with one
  // refresh queued at a time however fast a small network steps.
  options.trainingStatusChanged = [this] {
    if (d->trainingRefreshQueued.exchange(true)) return;
    QMetaObject::invokeMethod(
        this,
        [this] {
          d->trainingRefreshQueued = false;
          refreshTraining();
        },
        Qt::QueuedConnection);
  };
  // A team project's sender reports each attempt on its own thread: the status bar says at once
  // whether the labels reached the server.
  options.teamStatusChanged = [this] {
    QMetaObject::invokeMethod(this, &LabelWindow::refreshTraining, Qt::QueuedConnection);
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
  d->disagreementsAction = label->addAction(tr("&Disagreements..."), this, [this] {
    if (!d->session || d->session->settings().teamServer.empty()) return;
    auto* dialog = new AdjudicationDialog(this, d->session->settings(), d->session->annotator());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
  });
  d->disagreementsAction->setStatusTip(
      tr("A team project's slices on which readers disagree, to adjudicate"));
  d->assignmentAction = label->addAction(tr("Double &reading..."), this, [this] {
    if (!d->session || d->session->settings().teamServer.empty()) return;
    auto* dialog =
        new AssignmentDialog(this, d->session->settings().teamServer, d->session->annotator());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
  });
  d->assignmentAction->setStatusTip(
      tr("How many readers read each slice of a team project, and whether blinded"));
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
  // Disagreements and double reading are a team's: a project of one workstation has neither.
  const bool team = d->session != nullptr && !d->session->settings().teamServer.empty();
  d->disagreementsAction->setEnabled(team);
  d->assignmentAction->setEnabled(team);
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
  for (const QLabel* label : {d->message, d->position, d->counts, d->team, d->training})
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

void LabelWindow::onPreviewed(std::int64_t /*imageId*/, const imaging::CtImage& image) {
  if (d->session || d->closing || d->closed) return;
  d->image = image;  // shown in its initial window; the session's own read replaces it
  render();
  emit previewShown();
}

void LabelWindow::onOpened(const std::shared_ptr<session::Session>& session) {
  if (d->closing || d->closed) return;
  d->session = session;
  const project::ProjectSettings& settings = session->settings();
  const std::string language = uiLanguage();
  d->classCount = static_cast<int>(settings.scheme.classes.size());
  d->classes->setScheme(settings.scheme, language);
  for (int i = 0; i < d->classCount; ++i) {
    d->labelActions[static_cast<std::size_t>(i)]->setText(
        tr("&%1 %2").arg(i).arg(fromUtf8(settings.scheme.className(i, language))));
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
        QStringLiteral("%1 %2").arg(i).arg(fromUtf8(settings.scheme.className(i, language))), i);

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
    // The slice readFirstSlice showed while the model loaded (the same rule in core).
    const std::optional<std::int64_t> start = session->startingImage();
    if (!report.position) session->goTo(*start);
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
                       ? tr("Opened %1.").arg(fromUtf8(d->projectDir.filename().string()))
                       : tr("Resumed %1.").arg(resumed.join(QStringLiteral(", ")));
    if (!report.skippedCheckpoints.empty())
      text += tr(" Damaged model versions skipped: %1.")
                  .arg(fromUtf8(report.skippedCheckpoints.front()));
    refreshCounts();
    refreshTraining();
    moveTo(*start);
    d->startSlice = *start;
    showMessage(text);
  } catch (const std::exception& e) {
    showError(fromUtf8(e.what()));
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
  ++d->generation;
  d->worker->closeSession();  // after a requestClose() still queued, which it waits for
  d->session.reset();
  updateActions();
}

}  // namespace camlabel::ui
