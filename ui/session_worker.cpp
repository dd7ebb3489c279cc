// SPDX-License-Identifier: Apache-2.0
#include "ui/session_worker.h"

#include <QThread>

#include <exception>
#include <system_error>

#include "core/session/evaluation.h"
#include "core/session/first_slice.h"

namespace camlabel::ui {
namespace {

/// Images read ahead and kept: the next one, and the one just left (Left after a label).
constexpr std::size_t kCachedImages = 3;
/// The prediction panel shows this many classes.
constexpr int kTopK = 5;
// Features computed between two checks that the window still wants the choice.
constexpr int kFeaturesPerStep = 4;

QString messageOf(const std::exception& e) {
  return QString::fromStdString(e.what());
}

}  // namespace

explain::CamRequest camRequest(const HeatmapRequest& heatmap) {
  explain::CamRequest request;
  request.method = heatmap.method;
  request.layer = explain::kDefaultCamLayer;
  if (heatmap.classIndex) request.classes = {*heatmap.classIndex};
  request.scoreCamChannels = kScoreCamChannels;
  return request;
}

SessionWorker::SessionWorker() = default;

SessionWorker::~SessionWorker() = default;

void SessionWorker::requestOpen(const std::filesystem::path& projectDir,
                                session::SessionOptions options) {
  QMetaObject::invokeMethod(
      this, [this, projectDir, options = std::move(options)] { open(projectDir, options); },
      Qt::QueuedConnection);
}

void SessionWorker::requestShow(quint64 generation, std::int64_t imageId,
                                std::optional<HeatmapRequest> heatmap,
                                std::optional<std::int64_t> prefetchId,
                                std::optional<learning::LabellingOrder> chooseNext) {
  latest_.store(generation);
  if (heatmap) latestHeatmap_.store(heatmap->ticket);
  QMetaObject::invokeMethod(
      this,
      [this, generation, imageId, heatmap, prefetchId, chooseNext] {
        show(generation, imageId, heatmap, prefetchId, chooseNext);
      },
      Qt::QueuedConnection);
}

void SessionWorker::requestExplain(quint64 generation, std::int64_t imageId, imaging::CtImage image,
                                   HeatmapRequest heatmap) {
  latestHeatmap_.store(heatmap.ticket);
  QMetaObject::invokeMethod(
      this,
      [this, generation, imageId, image = std::move(image), heatmap] {
        explain(generation, imageId, image, heatmap);
      },
      Qt::QueuedConnection);
}

void SessionWorker::requestRefresh(quint64 generation, std::int64_t imageId, imaging::CtImage image,
                                   std::optional<HeatmapRequest> heatmap) {
  QMetaObject::invokeMethod(
      this,
      [this, generation, imageId, image = std::move(image), heatmap] {
        refresh(generation, imageId, image, heatmap);
      },
      Qt::QueuedConnection);
}

void SessionWorker::requestCompare(quint64 generation, std::int64_t imageId, imaging::CtImage image,
                                   HeatmapRequest heatmap, CompareChoice choice) {
  latestHeatmap_.store(heatmap.ticket);
  latestCompare_.store(choice.ticket);
  QMetaObject::invokeMethod(
      this,
      [this, generation, imageId, image = std::move(image), heatmap, choice = std::move(choice)] {
        compare(generation, imageId, image, heatmap, choice);
      },
      Qt::QueuedConnection);
}

void SessionWorker::requestRollback(int version) {
  QMetaObject::invokeMethod(
      this,
      [this, version] {
        if (!session_) return;
        try {
          session_->rollback(version);
          emit rolledBack(version, session_->resumeReport().labelsRetrained);
        } catch (const std::exception& e) {
          emit rollbackFailed(messageOf(e));
        }
      },
      Qt::QueuedConnection);
}

void SessionWorker::closeSession() {
  closing_.store(true);
  latest_.fetch_add(1);  // everything queued is stale now
  if (thread() == QThread::currentThread() || !thread()->isRunning()) {
    close();
    return;
  }
  QMetaObject::invokeMethod(
      this, [this] { close(); }, Qt::BlockingQueuedConnection);
}

void SessionWorker::requestClose() {
  closing_.store(true);
  latest_.fetch_add(1);  // everything queued is stale now
  if (!thread()->isRunning()) {
    close();
    emit closed();
    return;
  }
  QMetaObject::invokeMethod(
      this,
      [this] {
        close();
        emit closed();
      },
      Qt::QueuedConnection);
}

void SessionWorker::open(const std::filesystem::path& projectDir,
                         const session::SessionOptions& options) {
  if (closing_.load()) return;
  config_ = options.config;
  device_ = options.device;
  // The first slice on screen before the model is built and the session resumed (seconds for a
  // ResNet50); a problem here is left for the session to report.
  try {
    if (auto first = session::readFirstSlice(projectDir))
      emit previewed(first->imageId, std::move(first->image));
  } catch (const std::exception&) {
  }
  try {
    session_ = session::Session::open(projectDir, options);
  } catch (const std::exception& e) {
    emit openFailed(messageOf(e));
    return;
  }
  emit opened(session_);
}

SessionWorker::Prefetched* SessionWorker::cached(std::int64_t imageId) {
  for (Prefetched& entry : cache_)
    if (entry.imageId == imageId) return &entry;
  return nullptr;
}

bool SessionWorker::current(const session::ShownPrediction& prediction) const {
  return prediction.snapshotSerial == session_->snapshot()->serial;
}

void SessionWorker::show(quint64 generation, std::int64_t imageId,
                         const std::optional<HeatmapRequest>& heatmap,
                         std::optional<std::int64_t> prefetchId,
                         std::optional<learning::LabellingOrder> chooseNext) {
  if (!session_ || stale(generation)) return;
  imaging::CtImage image;
  std::optional<session::ShownPrediction> prediction;
  if (const Prefetched* entry = cached(imageId)) {
    image = entry->image;
    if (entry->prediction && current(*entry->prediction)) prediction = entry->prediction;
  } else {
    try {
      image = session_->loadImage(imageId);
    } catch (const std::exception& e) {
      emit imageFailed(generation, imageId, messageOf(e));
      if (prefetchId && !stale(generation)) prefetch(generation, *prefetchId);
      return;
    }
    cache_.push_back({imageId, image, std::nullopt});
    if (cache_.size() > kCachedImages) cache_.pop_front();
  }
  emit imageLoaded(generation, imageId, image);

  if (prediction) {
    emit predicted(generation, *prediction);
  } else {
    if (stale(generation)) return;
    predictShown(generation, imageId, image);
  }

  if (heatmap) explain(generation, imageId, image, *heatmap);
  if (chooseNext && !stale(generation)) {
    if (const auto chosen = this->chooseNext(generation, imageId, *chooseNext)) prefetchId = chosen;
  }
  if (prefetchId && !stale(generation)) prefetch(generation, *prefetchId);
  if (chooseNext == learning::LabellingOrder::kUncertain) refreshFeatures(generation);
}

void SessionWorker::refreshFeatures(quint64 generation) {
  // A few slices at a time, until the window asks for something else: with the trainer on the
  // same cores a ResNet50 slice can take half a second.
  try {
    for (int done = 0; done < kFeaturesPerChoice && !stale(generation);) {
      const int computed = session_->refreshFeatures(kFeaturesPerStep);
      if (computed == 0) break;
      done += computed;
    }
  } catch (const std::exception&) {
    // The next choice uses the features cached so far.
  }
}

std::optional<std::int64_t> SessionWorker::chooseNext(quint64 generation, std::int64_t shownId,
                                                      learning::LabellingOrder order) {
  try {
    session::SuggestOptions options;
    options.after = shownId;
    options.exclude = {shownId};
    const std::optional<session::Suggestion> next = session_->suggestNext(order, options);
    if (!next || stale(generation)) return std::nullopt;
    emit suggested(generation, *next);
    return next->imageId;
  } catch (const std::exception&) {
    // No choice: the window goes on in file order, as it does while none has arrived.
    return std::nullopt;
  }
}

bool SessionWorker::predictShown(quint64 generation, std::int64_t imageId,
                                 const imaging::CtImage& image) {
  try {
    const session::ShownPrediction prediction = session_->predict(imageId, image, kTopK);
    if (Prefetched* entry = cached(imageId)) entry->prediction = prediction;
    emit predicted(generation, prediction);
    return true;
  } catch (const std::exception& e) {
    emit predictionFailed(generation, imageId, messageOf(e));
    return false;
  }
}

void SessionWorker::refresh(quint64 generation, std::int64_t imageId, const imaging::CtImage& image,
                            const std::optional<HeatmapRequest>& heatmap) {
  if (!session_ || stale(generation)) return;
  if (!predictShown(generation, imageId, image)) return;
  if (heatmap) explain(generation, imageId, image, *heatmap);
}

void SessionWorker::explain(quint64 generation, std::int64_t imageId, const imaging::CtImage& image,
                            const HeatmapRequest& heatmap) {
  if (!session_ || stale(generation, heatmap)) return;
  try {
    std::vector<session::Explanation> maps = session_->explain(imageId, image, camRequest(heatmap));
    if (maps.empty()) {
      emit explanationFailed(generation, imageId, tr("The model gave no heatmap."));
      return;
    }
    emit explained(generation, heatmap, std::move(maps.front()));
  } catch (const std::exception& e) {
    emit explanationFailed(generation, imageId, messageOf(e));
  }
}

session::LoadedVersion& SessionWorker::loadedVersion(const session::ModelSource& source) {
  // The file as it is now: a version rewritten (or torn) since it was loaded is loaded again.
  std::error_code error;
  const auto written = std::filesystem::last_write_time(source.checkpoint, error);
  const std::uintmax_t size = error ? 0 : std::filesystem::file_size(source.checkpoint, error);
  if (loaded_ && loaded_->version == source.version && loaded_->checkpoint == source.checkpoint &&
      !error && loaded_->written == written && loaded_->size == size)
    return loaded_->model;
  loaded_.reset();  // one version at a time: free the old one before reading the next
  LoadedSource next;
  next.version = source.version;
  next.checkpoint = source.checkpoint;
  next.written = written;
  next.size = size;
  next.model = session::loadModelSource(source, session_->settings(), config_, device_);
  loaded_ = std::move(next);
  return loaded_->model;
}

void SessionWorker::compare(quint64 generation, std::int64_t imageId, const imaging::CtImage& image,
                            const HeatmapRequest& heatmap, const CompareChoice& choice) {
  if (!session_ || stale(generation, heatmap, choice)) return;
  try {
    Comparison c;
    c.imageId = imageId;
    c.heatmap = heatmap;
    c.choice = choice;
    HeatmapRequest beforeClass = heatmap;
    beforeClass.classIndex = choice.beforeClass;
    session::LoadedVersion* after = nullptr;
    if (choice.after) {
      after = &loadedVersion(*choice.after);
      if (stale(generation, heatmap, choice)) return;
    }
    static_cast<session::BeforeAfter&>(c) = session_->compare(
        imageId, image, camRequest(beforeClass), camRequest(heatmap), after, kTopK);
    emit compared(generation, std::move(c));
  } catch (const std::exception& e) {
    // A damaged version, say: the window says so, unless the user has asked for another one.
    if (!stale(generation, heatmap, choice))
      emit comparisonFailed(generation, imageId, messageOf(e));
  }
}

void SessionWorker::prefetch(quint64 generation, std::int64_t imageId) {
  Prefetched* entry = cached(imageId);
  if (entry == nullptr) {
    try {
      cache_.push_back({imageId, session_->loadImage(imageId), std::nullopt});
    } catch (const std::exception&) {
      return;  // reported when the image is shown
    }
    if (cache_.size() > kCachedImages) cache_.pop_front();
    entry = &cache_.back();
  }
  if (stale(generation) || (entry->prediction && current(*entry->prediction))) return;
  try {
    entry->prediction = session_->predict(imageId, entry->image, kTopK);
  } catch (const std::exception&) {
    entry->prediction.reset();  // predicted again, and reported, when shown
  }
}

void SessionWorker::close() {
  cache_.clear();
  loaded_.reset();
  if (!session_) return;
  try {
    session_->close();
  } catch (const std::exception&) {
    // close() keeps the labels safe in any case: they were committed when given.
  }
  session_.reset();
}

}  // namespace camlabel::ui
