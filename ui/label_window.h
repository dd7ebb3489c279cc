// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMainWindow>
#include <QPoint>
#include <QString>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <utility>

#include "core/explain/cam.h"
#include "core/explain/cam_render.h"
#include "core/imaging/ct_image.h"
#include "core/session/session.h"

namespace camlabel::ui {

struct Comparison;
struct HeatmapRequest;
class KeyBindings;
class ImageCanvas;
class TrainingPanel;

/// The labelling window on a project: the image on screen, windowed (lung by default), the
/// model's prediction for it, the scheme's classes, and the session's state in the status bar.
/// Driven by the keyboard, with the keys of a KeyBindings (by default 0-9 label and go to the
/// next unlabelled image, S skip, Left/Right move in natural order, Ctrl+Z undo, C heatmap
/// overlay, H help, Q close); fixed: F1-F4 windows, the wheel and Ctrl+= / Ctrl+- zoom, Ctrl+0
/// fits, a left drag pans, a right drag windows.
/// A label is committed before the next image is asked for. All Torch work (opening, reading,
/// predicting, explaining, closing) runs on the window's SessionWorker thread; the store calls
/// (label, skip, undo, position, counts) run here. Problems from core are shown in the window
/// and never end it.
class LabelWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// Starts opening the project at once; sessionOpened() or openFailed() follows.
  explicit LabelWindow(const std::filesystem::path& projectDir,
                       session::SessionOptions options = {}, QWidget* parent = nullptr);
  /// Closes the session if closing did not finish (a version of what was trained is written);
  /// waits for it.
  ~LabelWindow() override;

  /// The open session, for store calls on this thread; null before it opens, after a failure
  /// and once the window is closed.
  session::Session* session() const;
  /// 0-based index, in natural order, of the image on screen; -1 when there is none.
  int currentIndex() const;
  std::int64_t imageCount() const;
  /// The pixels on screen (the windowed image, with the heatmap when the overlay is on); null
  /// while loading and when the image cannot be read.
  QImage displayedImage() const;
  /// The problem shown for the current image or the project; empty when there is none.
  QString errorText() const;
  /// Everything in the status bar, " | " between its parts.
  QString statusText() const;
  /// The prediction panel as plain text.
  QString predictionText() const;
  /// The class highlighted as the current image's label; -1 when none.
  int highlightedClass() const;
  bool overlayEnabled() const;
  bool compareEnabled() const;
  bool commonScaleEnabled() const;
  /// The "before" image of the compare view (null unless shown), and both captions as text.
  QImage displayedBeforeImage() const;
  QString compareText() const;
  /// The compare view's "after" model: 0 for the current one, else the recorded version vK.
  int comparedVersion() const;
  /// The training panel (a dock, T shows and hides it); never null.
  TrainingPanel* trainingPanel() const;
  bool trainingPanelVisible() const;
  bool helpVisible() const;
  /// The help overlay's text (the keys and the scheme's classes), as plain text.
  QString helpText() const;
  imaging::Window currentWindow() const;
  /// The canvas of the current image, and the compare view's "before" canvas (hidden unless
  /// comparing); both share one zoom and centre.
  ImageCanvas* imageCanvas() const;
  ImageCanvas* beforeImageCanvas() const;

  /// Gives the window's commands these keys (at once, at any time; the help follows). The
  /// constructor applies KeyBindings::load(QSettings()). Keys bound to two commands do nothing,
  /// and the window says so.
  void setKeyBindings(const KeyBindings& keys);
  const KeyBindings& keyBindings() const;

  /// The heatmap controls (the "Heatmap" toolbar). Opacity in [0, 1] (0.45 at first); method
  /// Grad-CAM at first; class: none for each model's top class (the default), else a class of the
  /// scheme; colour map Jet at first.
  double heatmapOpacity() const;
  explain::CamMethod heatmapMethod() const;
  std::optional<int> heatmapClass() const;
  explain::CamColormap heatmapColormap() const;
  /// Opacity clamped to [0, 1]; the heatmap is blended again at once.
  void setHeatmapOpacity(double opacity);
  /// A new method or class asks the worker for new heatmaps (the latest request wins); until they
  /// come the previous ones stay on screen.
  void setHeatmapMethod(explain::CamMethod method);
  /// A class outside the scheme means the top class.
  void setHeatmapClass(std::optional<int> classIndex);
  void setHeatmapColormap(explain::CamColormap colormap);
  /// Which slice comes after a label or a skip (Label > Next slice): file order at first, or as
  /// last chosen (QSettings "labelling/order"). Random and the model's choice are worked out on
  /// the worker while the slice on screen is read; until the choice has come, file order.
  learning::LabellingOrder labellingOrder() const;
  void setLabellingOrder(learning::LabellingOrder order);
  /// The choice made for the slice on screen (random or uncertain order), once it has come.
  std::optional<session::Suggestion> pendingSuggestion() const;

  /// The heatmap on screen (overlay view): its method and class; none before one arrives.
  std::optional<explain::CamMethod> explainedMethod() const;
  int explainedClass() const;

 public slots:
  void labelCurrent(int classIndex);
  void skipCurrent();
  void showNext();
  void showPrevious();
  /// Steps `step` slices along the DICOM series of the slice shown (positive: towards the feet),
  /// to see its neighbours; the slice reached is the one labelled next. Nothing happens without a
  /// series or past its ends.
  void stepInSeries(int step);
  void undo();
  void toggleOverlay();
  /// Side by side: the ImageNet model the project started from, and the current one.
  void toggleCompare();
  /// Both heatmaps of the compare view on one scale instead of each on its own.
  void toggleCommonScale();
  void toggleTrainingPanel();
  void toggleHelp();
  void setWindow(imaging::Window window);
  /// The window a right drag of `delta` canvas pixels from its start gives: right widens,
  /// down raises the centre (darker), by the window's width per 400 pixels.
  void dragWindow(QPoint delta);
  /// The image's own window (its DICOM window, or as stored for 8-bit images).
  void useImageWindow();
  /// Ctrl+= / Ctrl+- zoom about the canvas's centre; Ctrl+0 shows the whole image again.
  void zoomIn();
  void zoomOut();
  void zoomToFit();

 signals:
  void sessionOpened();
  void openFailed(const QString& message);
  /// The slice the session will start at is on screen, before the model is ready.
  void previewShown();
  /// The image at index is on screen (pixels, or the heatmap over them after a change).
  void imageShown(int index);
  void predictionShown(int index);
  void explanationShown(int index);
  void comparisonShown(int index);
  /// The slice to label after the one on screen has been chosen (random or uncertain order).
  void nextChosen(int index);
  /// A rollback finished (version made current) or failed (version -1).
  void rollbackDone(int version);
  /// The session is closed (after a close request: its version is written); the window closes.
  void sessionClosed();
  /// A problem is shown: an image that cannot be read, a failed prediction or store call.
  void errorShown(const QString& message);

 protected:
  /// The first close request saves the model on the worker ("Saving the model..." in the window)
  /// and the window closes once it is saved; requests made while saving change nothing.
  void closeEvent(QCloseEvent* event) override;

 private:
  struct Private;
  std::unique_ptr<Private> d;

  void createActions();
  void createHeatmapBar();
  void refreshHelp();
  /// After a new method or class: new heatmaps for what is shown, and the names that follow it.
  void heatmapChanged();
  void updateActions();
  void onPreviewed(std::int64_t imageId, const imaging::CtImage& image);
  void onOpened(const std::shared_ptr<session::Session>& session);
  void onOpenFailed(const QString& message);
  void onImageLoaded(quint64 generation, std::int64_t imageId, const imaging::CtImage& image);
  void onImageFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void onPredicted(quint64 generation, const session::ShownPrediction& prediction);
  void onPredictionFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void onExplained(quint64 generation, const HeatmapRequest& heatmap,
                   const session::Explanation& explanation);
  void onExplanationFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void onCompared(quint64 generation, const Comparison& comparison);
  void onComparisonFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void onSuggested(quint64 generation, const session::Suggestion& suggestion);
  /// After a label or skip of `decided`: the chosen slice (when the order has one ready) in
  /// place of file order's `fileNext`, and the sentence that says why it comes now.
  std::pair<std::optional<std::int64_t>, QString> nextAfter(std::int64_t decided,
                                                            std::optional<std::int64_t> fileNext);
  void requestComparison();
  /// Gives both captions of the compare view the same height, so the images line up.
  void alignCaptions();
  /// The compare view's version chooser: "current" and each recorded version, newest first.
  /// Reads the store only when `force` or while the compare view is on.
  void refreshVersionBox(bool force = false);
  void refreshTrainingPanel(bool force = false);
  /// Settings (keys, trust checks, this project's training): applied on OK.
  void openSettings();
  /// Class `index` of the scheme in the interface's language; `english` when it is not one.
  std::string schemeClassName(int index, const std::string& english) const;
  /// Shows imageId: its store state at once, its pixels and prediction when the worker answers.
  void moveTo(std::int64_t imageId);
  void requestExplanation();
  void render();
  void refreshPosition();
  void refreshCounts();
  void refreshTraining();
  void refreshLivePrediction();
  void showMessage(const QString& message);
  void showError(const QString& message);
  void shutDown();
  void beginClose();
  void onClosed();
};

}  // namespace camlabel::ui
