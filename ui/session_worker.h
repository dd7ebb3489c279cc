// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/imaging/ct_image.h"
#include "core/session/session.h"
#include "core/session/trust_tools.h"

namespace camlabel::ui {

/// The heatmap the window wants: method and target class. `ticket` grows with every change of
/// either, and the latest ticket wins as the latest generation does.
struct HeatmapRequest {
  quint64 ticket = 0;
  explain::CamMethod method = explain::CamMethod::GradCam;
  std::optional<int> classIndex;  ///< none: the model's top class
};

/// The CamRequest for `heatmap` on explain::kDefaultCamLayer (Score-CAM in fast mode on
/// kScoreCamChannels, so one heatmap takes seconds, not minutes, on a CPU).
explain::CamRequest camRequest(const HeatmapRequest& heatmap);
/// Score-CAM's channels in the window: each costs one forward pass of the model.
inline constexpr int kScoreCamChannels = 16;
/// Slices whose cached features are recomputed with the newest model after each slice shown in
/// the uncertain order (after its choice, which uses the features cached before): the cache
/// covers more of the project with every slice shown.
inline constexpr int kFeaturesPerChoice = 8;

/// What the compare view asks for besides the heatmap: which model is "after" and which
/// ImageNet class the "before" model explains. `ticket` grows with every comparison the window
/// asks for, and the latest one wins.
struct CompareChoice {
  quint64 ticket = 0;
  /// A recorded version's checkpoint (modelSources(), read on the window's thread); none: the
  /// session's current model.
  std::optional<session::ModelSource> after;
  /// One of the before model's ImageNet classes; none: its top class.
  std::optional<int> beforeClass;
};

/// The same image through the "before" model (ImageNet's, as the project started) and the
/// "after" one (the current model or a recorded version): each one's class and its heatmap.
/// The after model explains the class of `heatmap` (or its top one); the before model
/// `choice.beforeClass` or its own top class (its classes are ImageNet's, not the scheme's).
/// Session::compare's answer (`before`: the before model's top 5) and the request it answers.
struct Comparison : session::BeforeAfter {
  std::int64_t imageId = 0;
  HeatmapRequest heatmap;
  CompareChoice choice;
};

/// All of a window's Torch work, on one thread of its own: opening and closing the session,
/// reading images, predicting and explaining. Requests may be made from any thread; the latest
/// request wins: work for an older generation is skipped before it starts and between its steps,
/// and the window drops results of an older generation that were already on their way.
/// After showing an image the worker reads and predicts the one the window expects next, so it
/// appears at once.
class SessionWorker : public QObject {
  Q_OBJECT

 public:
  /// Create, then moveToThread() a started thread before the first request.
  SessionWorker();
  ~SessionWorker() override;

  /// Opens the project (Session::open: builds the model, resumes). Answers with opened() or
  /// openFailed().
  void requestOpen(const std::filesystem::path& projectDir, session::SessionOptions options);

  /// Shows imageId as generation `generation` (which must grow with every request): reads it
  /// (imageLoaded or imageFailed), predicts its top 5 (predicted or predictionFailed), explains
  /// it as `heatmap` asks when one is given, then prefetches `prefetchId`.
  /// With `chooseNext`, it then chooses the slice to label after this one in that order
  /// (suggested; in the uncertain order from the features cached so far) and prefetches that one
  /// instead; in the uncertain order it then refreshes up to kFeaturesPerChoice cached features
  /// with the newest model, a few at a time, until a newer request comes.
  /// Makes every earlier generation stale, and every earlier heatmap ticket with a heatmap.
  void requestShow(quint64 generation, std::int64_t imageId, std::optional<HeatmapRequest> heatmap,
                   std::optional<std::int64_t> prefetchId,
                   std::optional<learning::LabellingOrder> chooseNext = std::nullopt);

  /// Predicts an image already shown in the current generation again with the newest model
  /// (predicted or predictionFailed), then explains it as `heatmap` asks when one is given: the
  /// window's refresh when a newer model is published while the reader stays on a slice. Makes
  /// nothing stale: the window keeps showing what it has until the new results replace it.
  void requestRefresh(quint64 generation, std::int64_t imageId, imaging::CtImage image,
                      std::optional<HeatmapRequest> heatmap);

  /// Explains an image already shown in the current generation (explained or explanationFailed).
  /// Makes every earlier heatmap ticket stale.
  void requestExplain(quint64 generation, std::int64_t imageId, imaging::CtImage image,
                      HeatmapRequest heatmap);

  /// Explains an image already shown with the before and the after model (compared or
  /// comparisonFailed). Makes every earlier heatmap ticket and comparison ticket stale. A
  /// recorded version is loaded on the worker's thread into a network of its own (never the
  /// session's), and kept for the next comparison.
  void requestCompare(quint64 generation, std::int64_t imageId, imaging::CtImage image,
                      HeatmapRequest heatmap, CompareChoice choice = {});
  /// Makes version K current again (Session::rollback): rolledBack or rollbackFailed.
  void requestRollback(int version);
  /// Stops all pending work and closes the session (the trainer stops and writes a version of
  /// what it learned since the last one). Blocks until done; idempotent. Call from the thread
  /// that owns the window, never from the worker's own thread.
  void closeSession();
  /// As closeSession() without waiting: closed() follows once the session is closed (also when
  /// there was none). Any thread.
  void requestClose();

 signals:
  /// The slice the session will start at, read before the model is built (open only).
  void previewed(std::int64_t imageId, camlabel::imaging::CtImage image);
  void opened(std::shared_ptr<camlabel::session::Session> session);
  void openFailed(const QString& message);
  void imageLoaded(quint64 generation, std::int64_t imageId, camlabel::imaging::CtImage image);
  void imageFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void predicted(quint64 generation, camlabel::session::ShownPrediction prediction);
  void predictionFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void explained(quint64 generation, camlabel::ui::HeatmapRequest heatmap,
                 camlabel::session::Explanation explanation);
  void explanationFailed(quint64 generation, std::int64_t imageId, const QString& message);
  void compared(quint64 generation, camlabel::ui::Comparison comparison);
  void comparisonFailed(quint64 generation, std::int64_t imageId, const QString& message);
  /// The slice to label after the one shown in `generation` (requestShow's chooseNext).
  void suggested(quint64 generation, camlabel::session::Suggestion suggestion);
  void rolledBack(int version, qint64 labelsRetrained);
  void rollbackFailed(const QString& message);
  /// The session is closed and its version written (requestClose()).
  void closed();

 private:
  /// An image read ahead, with the prediction made for it (if any).
  struct Prefetched {
    std::int64_t imageId = 0;
    imaging::CtImage image;
    std::optional<session::ShownPrediction> prediction;
  };

  bool stale(quint64 generation) const { return generation != latest_.load(); }
  bool stale(quint64 generation, const HeatmapRequest& heatmap) const {
    return stale(generation) || heatmap.ticket != latestHeatmap_.load();
  }
  void open(const std::filesystem::path& projectDir, const session::SessionOptions& options);
  void show(quint64 generation, std::int64_t imageId, const std::optional<HeatmapRequest>& heatmap,
            std::optional<std::int64_t> prefetchId,
            std::optional<learning::LabellingOrder> chooseNext);
  /// Computes cached features for the uncertain order until `generation` is stale.
  void refreshFeatures(quint64 generation);
  /// Chooses the slice after shownId (suggested); its id, to prefetch.
  std::optional<std::int64_t> chooseNext(quint64 generation, std::int64_t shownId,
                                         learning::LabellingOrder order);
  /// Predicts the image with the newest model, keeps the result with the cached image and emits
  /// predicted, or predictionFailed (then returns false).
  bool predictShown(quint64 generation, std::int64_t imageId, const imaging::CtImage& image);
  void refresh(quint64 generation, std::int64_t imageId, const imaging::CtImage& image,
               const std::optional<HeatmapRequest>& heatmap);
  void explain(quint64 generation, std::int64_t imageId, const imaging::CtImage& image,
               const HeatmapRequest& heatmap);
  void prefetch(quint64 generation, std::int64_t imageId);
  void compare(quint64 generation, std::int64_t imageId, const imaging::CtImage& image,
               const HeatmapRequest& heatmap, const CompareChoice& choice);
  bool stale(quint64 generation, const HeatmapRequest& heatmap, const CompareChoice& choice) const {
    return stale(generation, heatmap) || choice.ticket != latestCompare_.load();
  }
  /// The network of a recorded version, loaded once and kept while it is asked for.
  session::LoadedVersion& loadedVersion(const session::ModelSource& source);
  void close();
  Prefetched* cached(std::int64_t imageId);
  /// A prediction still valid for the model the session would use now.
  bool current(const session::ShownPrediction& prediction) const;

  /// Written by any thread, read by the worker between steps (restart flag of Qt's mandelbrot
  /// example).
  std::atomic<quint64> latest_{0};
  std::atomic<quint64> latestHeatmap_{0};
  std::atomic<quint64> latestCompare_{0};
  std::atomic<bool> closing_{false};
  // Used on the worker's thread only.
  std::shared_ptr<session::Session> session_;
  std::deque<Prefetched> cache_;
  model::ResNetConfig config_;
  c10::Device device_ = c10::kCPU;
  /// The recorded version the compare view last showed (one at a time), and its file as read.
  struct LoadedSource {
    int version = 0;
    std::filesystem::path checkpoint;
    std::filesystem::file_time_type written;
    std::uintmax_t size = 0;
    session::LoadedVersion model;
  };
  std::optional<LoadedSource> loaded_;
};

}  // namespace camlabel::ui
