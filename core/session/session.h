// SPDX-License-Identifier: Apache-2.0
#pragma once
// The annotation session: the one object the GUI and the CLI both drive. It owns the project
// (the store), the trainer (a worker thread) and the inference model. Torch-free interface.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/explain/cam.h"
#include "core/imaging/ct_image.h"
#include "core/learning/active_learning.h"
#include "core/learning/metrics.h"
#include "core/learning/trainer.h"
#include "core/model/classifier.h"
#include "core/project/project.h"
#include "core/project/readers.h"
#include "core/session/team_training.h"
#include "core/team/label_sync.h"

namespace camlabel::session {

struct SessionOptions {
  std::string annotator;  ///< empty: the login name ($USER), else "annotator"
  c10::Device device = c10::kCPU;
  bool train = true;  ///< false: read-only use of the model (eval, status); no trainer thread
  /// Network shape; tests and benchmarks use tiny ones. numClasses comes from the scheme.
  model::ResNetConfig config = model::ResNetConfig::resnet50();
  /// Adjusts the trainer's options after the project's settings are applied (steps, batch...).
  std::function<void(learning::TrainerOptions&)> tuneTrainer;
  /// Called after each publication of new weights (snapshot()), with its serial and the labels
  /// it has learned, on the trainer's thread (or the opening one): it must only hand the news
  /// on (the window queues a refresh of the slice on screen). Not called once close() returns.
  std::function<void(std::uint64_t serial, std::int64_t labelsSeen)> published;
  /// Called when trainerStatus() has news (labels taken or trained, a step, idle training begun
  /// or rested, a version, a problem), on the trainer's thread, as often as steps are taken, and
  /// when the training settings change (setTeamTraining, saveTrainingSettings), on the caller's:
  /// it must only hand the news on. Not called once close() returns.
  std::function<void()> trainingStatusChanged;
  /// A team project: called after each attempt to send labels to the team server (teamStatus()
  /// has its outcome), on the sender's thread: it must only hand the news on. Not called once
  /// close() returns.
  std::function<void()> teamStatusChanged;
  /// A team project: how often the team's labels are looked at for news when nothing is sent
  /// (team::SyncOptions::readEvery); empty: its default.
  std::optional<std::chrono::milliseconds> teamReadEvery;
};

/// What was restored when the session opened: shown to the user ("resumed at image 41 of 300,
/// model v3 (30 labels), 4 labels trained again").
struct ResumeReport {
  std::optional<int> version;  ///< the checkpoint loaded; none: the base model
  std::filesystem::path checkpoint;
  std::int64_t labelsInStore = 0;    ///< current labels found in the project
  std::int64_t labelsRetrained = 0;  ///< given after the checkpoint: queued for training again
  /// Checkpoints that were found but could not be used (torn, foreign), with the reason.
  std::vector<std::string> skippedCheckpoints;
  std::optional<std::int64_t> position;  ///< image id the session resumed on
};

/// A prediction and the model that made it.
struct ShownPrediction {
  std::int64_t imageId = 0;
  model::Prediction prediction;
  int version = 0;            ///< the last checkpoint version of the snapshot used (0: none)
  learning::ModelName model;  ///< which model made it; model.describe(): e.g. "v2 + 3 labels"
  std::uint64_t snapshotSerial = 0;
  std::int64_t labelsSeen = 0;  ///< the labels the model that made it has learned
  /// No base weights file: the trunk started from seeded random weights ("untrained model").
  bool randomBase = false;
};

/// A heatmap of where the model looked, and the model that made it.
struct Explanation {
  std::int64_t imageId = 0;
  int classIndex = 0;
  std::string className;
  double probability = 0;
  cv::Mat raw;                ///< CV_32FC1 at the layer's resolution, after ReLU, unnormalised
  cv::Mat map;                ///< CV_32FC1 at the image's resolution, in [0, 1]
  learning::ModelName model;  ///< which model made it
  std::uint64_t snapshotSerial = 0;
};

/// What the compare view shows of one slice.
struct BeforeAfter {
  ShownPrediction before;  ///< the "before" model's prediction (ImageNet's classes)
  Explanation beforeMap;
  Explanation afterMap;
};

struct LoadedVersion;

struct LabelOutcome {
  std::int64_t labelId = 0;
  std::optional<std::int64_t> next;  ///< the next unlabelled image, now the position
};

/// Where suggestNext() looks.
struct SuggestOptions {
  std::optional<std::int64_t> after;  ///< file order: the first undecided slice after this one
  /// Only these slices (e.g. the rows of a replayed CSV); empty: every undecided slice.
  std::vector<std::int64_t> among;
  /// Never these (the slice on screen, about to be labelled, while the next is chosen ahead).
  std::vector<std::int64_t> exclude;
};

/// The next slice to label, and why.
struct Suggestion {
  std::int64_t imageId = 0;
  learning::LabellingOrder order = learning::LabellingOrder::kFile;
  /// The model's choice (uncertain order), with the classes it hesitates between. Absent while
  /// no undecided slice has cached features yet: file order stands in.
  std::optional<learning::InformativeChoice> choice;
  std::int64_t undecided = 0;  ///< undecided slices it chose among
  std::int64_t scored = 0;     ///< of those, the ones with cached features
};

class Session {
 public:
  /// Opens the project (taking its lock), builds the model from the project's settings,
  /// resumes from the newest checkpoint that verifies (registering any written but not yet
  /// recorded, skipping torn ones), queues the labels given after it, restores the position and
  /// starts the trainer. Throws camlabel::Error for a project that cannot be opened.
  static std::unique_ptr<Session> open(const std::filesystem::path& projectDir,
                                       SessionOptions options = {});
  ~Session();  ///< close()
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const ResumeReport& resumeReport() const;
  /// The project's settings as opened (still valid after close()).
  const project::ProjectSettings& settings() const;
  const std::string& annotator() const;

  // --- the store: cheap, may be called from the GUI thread ------------------------------------
  std::int64_t imageCount();
  project::ImageRecord image(std::int64_t imageId);
  std::optional<project::ImageRecord> imageAt(std::int64_t index);
  /// The image at this path relative to the image root: the stored name, or the name as
  /// exports show it (displayName()) for a name that is not UTF-8.
  std::optional<project::ImageRecord> findImage(const std::string& relativePath);
  std::int64_t indexOf(std::int64_t imageId);
  /// Project::sliceLocation and Project::neighbourInSeries, under the store's lock.
  std::optional<project::SliceLocation> sliceLocation(std::int64_t imageId);
  std::optional<project::ImageRecord> neighbourInSeries(std::int64_t imageId, int step);
  std::optional<std::int64_t> position();
  /// Project::startingImage: where the window starts (readFirstSlice shows the same slice).
  std::optional<std::int64_t> startingImage();
  /// The first image after `after` in natural order (from the start when empty) without a
  /// label or skip of this reader; with double reading, not one that has its readings without
  /// them (suggestNext leaves those out too).
  std::optional<std::int64_t> nextUnlabelled(std::optional<std::int64_t> after = std::nullopt);
  /// False when double reading has the slice's readings without this reader: it is not theirs
  /// to label (nextUnlabelled and suggestNext pass over it, and so does a replay).
  bool offered(std::int64_t imageId);
  /// Double reading: the slice a window opened on was chosen before the team's labels were read.
  /// Where `imageId`, shown since the opening, has since got its readings without this reader
  /// (and has no label of theirs), the slice to go on to: the next one that needs their reading
  /// after it, else from the start. Nothing where it is still theirs to label.
  std::optional<std::int64_t> insteadOfStart(std::int64_t imageId);
  void goTo(std::int64_t imageId);
  /// The next slice to label in `order`; nothing when every slice (of options.among) has a
  /// decision. File: the first undecided slice after options.after, from the start after the
  /// last. Random: one drawn from the project's seed and the number of undecided slices, so a
  /// replay is reproducible. Uncertain: learning::chooseInformative over the undecided slices
  /// whose trunk features are cached (refreshFeatures), scored by the newest published model's
  /// head on those features (microseconds per slice), diversity against the labelled slices'
  /// cached features; the cold start while the model has not learned two classes.
  std::optional<Suggestion> suggestNext(learning::LabellingOrder order,
                                        const SuggestOptions& options = {});
  /// Computes and caches the pooled trunk features (layer4) of up to maxImages undecided slices
  /// (of `among`, when not empty) with the newest published model: slices never scored first, in
  /// natural order, then the stalest. Holds the inference model one batch of 4 slices at a time,
  /// so a prediction asked for meanwhile waits for one batch at most; the trainer is not held up.
  /// The cache keeps labelled slices' features too (diversity): 8 KB a slice with ResNet50,
  /// 80 MB at 10,000 slices, for the session's lifetime. A slice that cannot be read is left out
  /// for this session. Returns how many were computed.
  int refreshFeatures(int maxImages, const std::vector<std::int64_t>& among = {});
  std::optional<project::CurrentLabel> currentLabel(std::int64_t imageId);
  project::ProjectCounts counts();
  std::vector<project::ModelVersion> modelVersions();
  /// The project folder, as opened. With modelVersions() it names the checkpoint files, so that
  /// tools can load a version into a network of their own on another thread.
  std::filesystem::path projectDir();
  /// The images with a current label (skips excluded), in natural order, with their class.
  std::vector<std::pair<project::ImageRecord, int>> labelledImages();
  /// Each reader's own current decision of each slice (project::readerDecisions); in a team
  /// project, every reader's as the team server holds them (a network round trip, made outside
  /// the store's lock: not for the GUI thread; throws camlabel::Error when the server cannot be
  /// reached).
  std::vector<project::ReaderDecision> readerDecisions();
  /// This session's reader's own current decision of a slice (annotator()), whoever labelled it
  /// since; nothing when they have none.
  std::optional<project::ReaderDecision> ownDecision(std::int64_t imageId);
  /// The prequential learning curve of the labels given so far (each against the prediction
  /// shown when it was given), over windows of `window` labels.
  learning::PrequentialMetrics prequential(int window = learning::kDefaultPrequentialWindow);

  /// Records the label (durable when this returns), with the prediction last made for this
  /// image as its context, hands it to the trainer and moves to the next unlabelled image.
  LabelOutcome label(std::int64_t imageId, int classIndex);
  LabelOutcome skip(std::int64_t imageId);
  /// Reverts the last label or skip; the trainer forgets it (or takes the label it replaced).
  /// Returns the image, now the position.
  std::optional<std::int64_t> undo();

  /// Imports the image files under folder (default: the project's image root; must lie inside
  /// it), recursively, as project::Project::importImages does, while labelling goes on: files
  /// are read outside the store's lock, which is held only to commit a batch (every quarter
  /// second), so store calls on other threads wait milliseconds. Meant for a worker thread.
  /// Images added are in imageCount(), counts() and the natural order once their batch commits.
  /// Throws camlabel::Error for a bad folder or once the session is closed (also meanwhile), and
  /// camlabel::Cancelled when progress asks to (what was read so far is committed first).
  project::ImportReport importImages(
      const std::optional<std::filesystem::path>& folder = std::nullopt,
      ProgressDelegate* progress = nullptr);
  /// Stores the snapshot interval and training mode in the project (see
  /// project::Project::setTrainingSettings). They apply from the next opening: this session
  /// keeps training, and settings() keeps reporting, as opened. Throws camlabel::Error for bad
  /// values or a closed session.
  void saveTrainingSettings(int snapshotEvery, const std::string& trainingMode);
  /// The project's settings as stored now (after saveTrainingSettings(), unlike settings()).
  /// Throws camlabel::Error once the session is closed.
  project::ProjectSettings storedSettings();

  // --- the model: Torch work, never on a GUI thread ---------------------------------------------
  /// Reads the image; throws InputError (moved or corrupt file) with the file named.
  imaging::CtImage loadImage(std::int64_t imageId);
  /// Predicts with the newest published weights; inference goes before training.
  ShownPrediction predict(std::int64_t imageId, int topK = 5);
  ShownPrediction predict(std::int64_t imageId, const imaging::CtImage& image, int topK = 5);
  /// Heatmaps for the request's classes (default: the top one) with the newest weights, at the
  /// image's own size. Inference goes before training.
  std::vector<Explanation> explain(std::int64_t imageId, const imaging::CtImage& image,
                                   const explain::CamRequest& request);

  // --- before and after -----------------------------------------------------------------------
  /// The compare view of a slice. "Before" is ImageNet's ResNet50 as the project started from
  /// (the base weights file, or the same seeded random weights) with its own 1000-class head,
  /// so it names ImageNet classes ("nematode"); built on first use (about 100 MB for ResNet50).
  /// "After" is `after` (a recorded version loaded by the caller), else the newest published
  /// weights. The slice is preprocessed once and each model runs once: its heatmap's forward
  /// pass also gives the prediction. Each request's first class (default: the top one) is
  /// explained. Inference goes before training.
  BeforeAfter compare(std::int64_t imageId, const imaging::CtImage& image,
                      const explain::CamRequest& beforeRequest,
                      const explain::CamRequest& afterRequest, LoadedVersion* after = nullptr,
                      int topK = 5);

  // --- team ---------------------------------------------------------------------------------
  /// A team project's sending of labels to its server (a cheap read); nothing for a project of
  /// one workstation. Labels are sent in the background after each label, skip and undo, and
  /// once more on close (waiting up to 3 s, only while the server is reachable).
  std::optional<team::SyncStatus> teamStatus() const;
  /// What a team project's trainer learns from (issue 15); empty for a project of one
  /// workstation.
  std::optional<TeamTraining> teamTraining() const;
  /// Trains on the team's consensus (true) or on this reader's own labels (false) from now on,
  /// and keeps the choice in the project. The trainer's labels change at once (those it loses
  /// leave its replay pool; those it gains get their steps); no version is rewritten.
  void setTeamTraining(bool consensus);

  // --- training -------------------------------------------------------------------------------
  learning::TrainerStatus trainerStatus() const;
  std::shared_ptr<const learning::Snapshot> snapshot() const;
  /// Waits until every label given so far is trained. False on timeout.
  bool waitForTraining(std::chrono::milliseconds timeout);
  /// Makes version vK the model again (and the project's current version). As on resume, the
  /// labels given after vK are trained again with their current classes: the store is the
  /// truth; relabel or undo first what should not be learned. Later version files are kept.
  /// Throws Error for an unknown version and InputError for a damaged file (nothing changes).
  void rollback(int version);

  /// Stops the trainer (finishing its micro-batch), writes a version if labels were trained
  /// since the last one, and releases the project. Idempotent.
  void close();

 private:
  Session();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The files of a project's checkpoint folder that look like versions of the scheme
/// ("<scheme>_v<K>.pt"), by version, newest first.
std::vector<std::pair<int, std::filesystem::path>> findVersionFiles(
    const std::filesystem::path& modelsDir, const std::string& schemeName);

}  // namespace camlabel::session
