// SPDX-License-Identifier: Apache-2.0
#include "core/learning/trainer.h"

#include <ATen/autocast_mode.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include <opencv2/imgproc.hpp>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/version.h"
#include "core/imaging/window.h"
#include "core/model/input_tensor.h"
#include "core/project/project.h"

namespace camlabel::learning {

using Clock = std::chrono::steady_clock;

std::optional<TrainingMode> parseTrainingMode(std::string_view text) {
  if (text == "head") return TrainingMode::kHead;
  if (text == "layer4") return TrainingMode::kLayer4;
  if (text == "full") return TrainingMode::kFull;
  return std::nullopt;
}

std::string_view trainingModeName(TrainingMode mode) {
  switch (mode) {
    case TrainingMode::kHead:
      return "head";
    case TrainingMode::kLayer4:
      return "layer4";
    case TrainingMode::kFull:
      return "full";
  }
  return "layer4";
}

bool isTrainingModeSetting(std::string_view text) {
  return text == "auto" || parseTrainingMode(text).has_value();
}

TrainingMode resolveTrainingMode(std::string_view stored, bool pretrainedTrunk) {
  if (stored == "auto") return pretrainedTrunk ? TrainingMode::kLayer4 : TrainingMode::kFull;
  if (const auto mode = parseTrainingMode(stored)) return *mode;
  throw Error("unknown training mode '" + std::string(stored) +
              "': use auto, head, layer4 or full");
}

std::string versionFilePrefix(std::string_view schemeName) {
  std::string prefix;
  for (const char c : schemeName) {
    const auto u = static_cast<unsigned char>(c);
    const bool unsafe =
        u < 0x20 || u == 0x7F || std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos;
    prefix += unsafe || (prefix.empty() && c == '.') ? '_' : c;
  }
  return prefix + "_v";
}

bool cpuHasNativeBFloat16() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16") || __builtin_cpu_supports("amx-bf16");
#else
  return false;
#endif
}

int progressiveInputSize(const TrainerOptions::ProgressiveResize& resize, int modelSize,
                         std::int64_t labels) {
  if (!resize.enabled || resize.startSize <= 0 || resize.startSize >= modelSize ||
      labels >= resize.fullSizeFromLabels)
    return modelSize;
  if (labels < resize.startSizeUntilLabels) return resize.startSize;
  constexpr int kStep = 32;
  const std::int64_t span = resize.fullSizeFromLabels - resize.startSizeUntilLabels;
  const std::int64_t grown = (modelSize - resize.startSize) *
                             (labels - resize.startSizeUntilLabels) /
                             std::max<std::int64_t>(1, span);
  return std::min(modelSize, resize.startSize + static_cast<int>(grown / kStep) * kStep);
}

std::string versionFileName(std::string_view schemeName, int version) {
  return versionFilePrefix(schemeName) + std::to_string(version) + ".pt";
}

ModelName Snapshot::name() const {
  ModelName n;
  n.kind = ModelName::Kind::kTrained;
  n.version = version;
  n.labels = std::max<std::int64_t>(0, labelsSeen - labelsAtVersion);
  return n;
}

// ---------------------------------------------------------------------------------------------
// PriorityGate

struct PriorityGate::State {
  std::mutex mutex;
  std::condition_variable changed;
  int holds = 0;
};

PriorityGate::PriorityGate() : state_(std::make_unique<State>()) {}
PriorityGate::~PriorityGate() = default;

PriorityGate::Hold::Hold(PriorityGate& gate) : gate_(gate) {
  const std::lock_guard lock(gate_.state_->mutex);
  ++gate_.state_->holds;
}

PriorityGate::Hold::~Hold() {
  {
    const std::lock_guard lock(gate_.state_->mutex);
    --gate_.state_->holds;
  }
  gate_.state_->changed.notify_all();
}

void PriorityGate::waitForTurn(const std::function<bool()>& stopping) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return state_->holds == 0 || stopping(); });
}

void PriorityGate::wakeAll() {
  { const std::lock_guard lock(state_->mutex); }
  state_->changed.notify_all();
}

// ---------------------------------------------------------------------------------------------
// A byte-bounded least-recently-used cache.

namespace {

/// Autocast to bfloat16 on this thread's CPU operations while alive (as torch.autocast("cpu")
/// does): convolutions and matrix products run in bfloat16 with the float32 weights cast once
/// per pass. Does nothing when not enabled.
class BFloat16Autocast {
 public:
  explicit BFloat16Autocast(bool enabled) : enabled_(enabled) {
    if (!enabled_) return;
    previous_ = at::autocast::is_cpu_enabled();
    previousType_ = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
  }
  ~BFloat16Autocast() {
    if (!enabled_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(previous_);
    at::autocast::set_autocast_cpu_dtype(previousType_);
  }
  BFloat16Autocast(const BFloat16Autocast&) = delete;
  BFloat16Autocast& operator=(const BFloat16Autocast&) = delete;

 private:
  bool enabled_;
  bool previous_ = false;
  at::ScalarType previousType_ = at::kBFloat16;
};

template <typename Key, typename Value, typename Hash = std::hash<Key>>
class LruCache {
 public:
  explicit LruCache(std::size_t capacityBytes) : capacity_(capacityBytes) {}

  const Value* find(const Key& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->value;
  }

  void insert(const Key& key, Value value, std::size_t bytes) {
    if (bytes > capacity_) return;
    if (const auto it = index_.find(key); it != index_.end()) {
      used_ -= it->second->bytes;
      entries_.erase(it->second);
      index_.erase(it);
    }
    entries_.push_front({key, std::move(value), bytes});
    index_[key] = entries_.begin();
    used_ += bytes;
    while (used_ > capacity_ && !entries_.empty()) {
      used_ -= entries_.back().bytes;
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
  }

  void eraseIf(const std::function<bool(const Key&)>& match) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (match(it->key)) {
        used_ -= it->bytes;
        index_.erase(it->key);
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  struct Entry {
    Key key;
    Value value;
    std::size_t bytes;
  };
  std::size_t capacity_;
  std::size_t used_ = 0;
  std::list<Entry> entries_;
  std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> index_;
};

struct ViewKey {
  std::int64_t imageId;
  int view;
  bool operator==(const ViewKey&) const = default;
};
struct ViewKeyHash {
  std::size_t operator()(const ViewKey& k) const {
    return std::hash<std::int64_t>()(k.imageId * 64 + k.view);
  }
};

// std::exceptions, so that the autograd engine hands them on from a gradient hook.
struct Interrupted : std::exception {
  const char* what() const noexcept override { return "the trainer is stopping"; }
};
struct Preempted : std::exception {  ///< an idle step gave way to a new label
  const char* what() const noexcept override { return "an idle step gave way to a label"; }
};

bool isHeadName(const std::string& name) {
  return name.rfind("fc.", 0) == 0;
}

/// Whether a parameter or buffer (by torchvision name) learns in this mode.
bool isTrainable(const std::string& name, TrainingMode mode) {
  return isHeadName(name) || mode == TrainingMode::kFull ||
         (mode == TrainingMode::kLayer4 && name.rfind("layer4.", 0) == 0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Trainer

struct Trainer::Impl {
  TrainerOptions options;
  TrainerObserver* observer;
  TrainingMode mode;
  int batchImages = 0;  ///< images per step (options.batchSize, raised for BatchNorm)
  int views = 1;        ///< augmented views per image
  double headRate = 0, trunkRate = 0;
  model::ResNet net;
  std::unique_ptr<torch::optim::Adam> optimizer;
  /// Where the frozen trunk ends; std::nullopt: nothing frozen (full mode).
  std::optional<model::ResNetLayer> frozenUpTo;
  std::vector<std::string> trainableNames;  ///< state_dict entries that change in training
  /// BatchNorm layers whose running statistics training updates (random trunk); without
  /// averaging they are recalibrated before a version is written and when idle training rests.
  std::vector<torch::nn::BatchNorm2dImpl*> updatedNorms;
  /// With options.averageDecay: the moving average of each state entry that training changes,
  /// by name (what publish() publishes), and the steps it has averaged.
  std::map<std::string, at::Tensor> averaged;
  std::int64_t averagedSteps = 0;
  /// Warm-up counts steps from here: 0, or the step at which a fresh optimizer started (resumed
  /// from a version kept with its shown weights only).
  std::int64_t warmupFrom = 0;
  /// Versions of this trainer's line whose files keep the full training state, oldest first:
  /// the one resumed from (if its file kept it) and those written since.
  std::deque<int> fullStateVersions;

  PriorityGate gate;
  std::thread worker;

  mutable std::mutex mutex;
  std::condition_variable wake;  ///< worker: queue or stop changed
  std::condition_variable idle;  ///< waiters: queue drained
  std::deque<TrainingExample> queue;
  std::map<std::int64_t, TrainingExample> pool;  ///< imageId -> its current label
  bool stopping = false;
  bool busy = false;
  bool started = false;
  std::shared_ptr<const Snapshot> snapshot;
  std::uint64_t serial = 0;
  std::int64_t labelsSeen = 0;
  std::int64_t lastLabelId = 0;
  std::int64_t steps = 0;
  std::int64_t idleSteps = 0;
  std::int64_t abandonedSteps = 0;
  std::int64_t idleStepsAtVersion = 0;
  bool refining = false;
  /// Idle training is wanted (a label came since it last stopped, or labels were loaded).
  bool idleActive = false;
  double lastLoss = 0;
  int inputSide = 0;      ///< of the last step's training inputs
  bool bfloat16 = false;  ///< training passes autocast to bfloat16 (resolved in build())
  double lossSum = 0;     ///< since the last version
  std::int64_t lossCount = 0;
  int version = 0;
  int highestVersion = 0;  ///< the largest version number used in the models folder
  std::int64_t labelsAtVersion = 0;
  std::string lastError;

  // Worker-only state.
  std::mt19937_64 rng;
  std::mt19937_64 idleRng;
  std::int64_t idleImages = 0;     ///< images through idle steps since the last label round
  std::deque<bool> recentCorrect;  ///< idle predictions (before their step), newest last
  /// Seconds a step usually takes (moving average of the finished ones); 0 before the first.
  double usualStepSeconds = 0;
  /// An idle step may be abandoned: not after one was, until one has finished, so that a trainer
  /// starved of CPU (each step slower than the labels' pace) still learns between labels.
  bool idleStepMayBeAbandoned = true;
  Clock::time_point lastPublish = Clock::now();
  LruCache<std::int64_t, imaging::CtImage> images;
  LruCache<ViewKey, at::Tensor, ViewKeyHash> features;

  Impl(TrainerOptions opts, TrainerObserver* obs)
      : options(std::move(opts)),
        observer(obs),
        mode(options.mode.value_or(resolveTrainingMode("auto", options.baseWeights.has_value()))),
        net(configFor(options)),
        rng(options.seed ^ 0x5DEECE66DULL),
        idleRng(options.seed ^ 0xD1B54A32D192ED03ULL),
        images(options.cacheBytes / 3),
        features(options.cacheBytes - options.cacheBytes / 3) {}

  static model::ResNetConfig configFor(const TrainerOptions& o) {
    model::ResNetConfig config = o.config;
    const auto k = static_cast<int>(o.classNames.size());
    if (k < 2 || k > 10) {
      throw Error("a class scheme needs 2 to 10 classes, not " + std::to_string(k));
    }
    config.numClasses = k;
    return config;
  }

  bool shouldStop() const { return stopping; }

  void build() {
    if (options.stepsPerLabel < 1 || options.batchSize < 1 || options.microBatch < 1 ||
        options.viewsPerImage.value_or(1) < 1 || options.warmupSteps < 0 ||
        options.labelSmoothing < 0 || options.labelSmoothing >= 1 || options.idleMaxEpochs < 0 ||
        options.idleMinEpochs < 0 || !(options.preemptIdleStepBefore >= 0) ||
        options.preemptIdleStepBefore > 1 || options.batchNormMomentum <= 0 ||
        options.batchNormMomentum > 1 || options.averageDecay < 0 || options.averageDecay >= 1 ||
        options.fullStateVersions < 0) {
      throw Error(
          "trainer options: steps per label, batch size, micro-batch and views per image "
          "must be at least 1, warm-up and idle epochs not negative, label smoothing in [0, 1), "
          "idle-step preemption in [0, 1], BatchNorm momentum in (0, 1], average decay in [0, 1), "
          "full-state versions not negative");
    }
    views = options.viewsPerImage.value_or(mode == TrainingMode::kFull ? (1 << 20) : 4);
    bfloat16 = options.device.is_cpu() && options.bfloat16.value_or(cpuHasNativeBFloat16());
    model::initializeBase(net, options.seed, options.baseWeights);
    net.to(options.device);
    net.eval();  // BatchNorm statistics frozen (see TrainerOptions)
    if (options.channelsLast) {
      // Convolution weights (and, below, each batch) in channels-last layout: oneDNN's faster
      // path on the CPU. The values are the same; copies into other models keep their layout.
      torch::NoGradGuard noGrad;
      for (auto& parameter : net.module().parameters(/*recurse=*/true))
        if (parameter.dim() == 4)
          parameter.set_data(parameter.data().contiguous(at::MemoryFormat::ChannelsLast));
    }

    switch (mode) {
      case TrainingMode::kHead:
        frozenUpTo = model::ResNetLayer::kLayer4;
        break;
      case TrainingMode::kLayer4:
        frozenUpTo = model::ResNetLayer::kLayer3;
        break;
      case TrainingMode::kFull:
        frozenUpTo.reset();
        break;
    }
    for (auto& item : net.module().named_parameters(/*recurse=*/true))
      item.value().set_requires_grad(isTrainable(item.key(), mode));
    for (const auto& [name, tensor] : net.stateDict()) {
      if (isTrainable(name, mode)) trainableNames.push_back(name);
    }
    const bool pretrained = options.baseWeights.has_value();
    headRate = options.headLearningRate.value_or(1e-3);
    trunkRate = options.trunkLearningRate.value_or(pretrained ? 1e-4 : 1e-3);
    makeOptimizer();
    if (options.updateBatchNormStatistics.value_or(!options.baseWeights)) {
      setBatchNormTraining();
      for (const auto& m : net.module().modules(/*include_self=*/false)) {
        auto* norm = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get());
        if (norm != nullptr && norm->is_training()) {
          norm->options.momentum(options.batchNormMomentum);
          updatedNorms.push_back(norm);
        }
      }
    }
    batchImages =
        updatedNorms.empty() ? options.batchSize : std::max(options.batchSize, kMinBatchNormImages);
    restartAverage();
    publish();
  }

  /// A new Adam over the trainable parameters, without state: the head's group first, then the
  /// trunk's (the order a checkpoint's optimizer state is saved in).
  void makeOptimizer() {
    std::vector<at::Tensor> head, trunk;
    for (auto& item : net.module().named_parameters(/*recurse=*/true)) {
      if (!isTrainable(item.key(), mode)) continue;
      (isHeadName(item.key()) ? head : trunk).push_back(item.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(head, std::make_unique<torch::optim::AdamOptions>(headRate));
    if (!trunk.empty()) {
      groups.emplace_back(trunk, std::make_unique<torch::optim::AdamOptions>(trunkRate));
    }
    optimizer = std::make_unique<torch::optim::Adam>(std::move(groups),
                                                     torch::optim::AdamOptions(headRate));
  }

  /// The average starts from `from` (a resumed version's shown weights), else from the trained
  /// weights, having averaged `steps` steps.
  void restartAverage(const model::StateDict& from = {}, std::int64_t steps = 0) {
    averaged.clear();
    averagedSteps = steps;
    if (options.averageDecay <= 0) return;
    torch::NoGradGuard noGrad;
    std::map<std::string, at::Tensor> given(from.begin(), from.end());
    for (const auto& [name, tensor] : net.stateDict()) {
      if (!isTrainable(name, mode)) continue;
      const auto it = given.find(name);
      averaged.emplace(name, (it != given.end() ? it->second : tensor).detach().clone());
    }
  }

  /// The average as a state dict (what a version shows).
  model::StateDict averageDict() const {
    return model::StateDict(averaged.begin(), averaged.end());
  }

  /// Moves the average towards the weights after a step (and the statistics of its batch).
  void updateAverage() {
    if (averaged.empty()) return;
    torch::NoGradGuard noGrad;
    const auto t = static_cast<double>(averagedSteps++);
    const double decay = std::min(options.averageDecay, (1.0 + t) / (10.0 + t));
    for (const auto& [name, tensor] : net.stateDict()) {
      const auto it = averaged.find(name);
      if (it == averaged.end()) continue;
      if (it->second.is_floating_point()) {
        it->second.mul_(decay).add_(tensor, 1.0 - decay);
      } else {
        it->second.copy_(tensor);  // num_batches_tracked
      }
    }
  }

  /// Running statistics that fit the current weights. Training normalises with each batch's own
  /// statistics and moves the running ones by 10% a step, so with weights that change fast (a
  /// random trunk learning at 3e-3) the running statistics trail the weights, and predictions in
  /// eval mode can collapse to one class while training accuracy is fine (measured on the
  /// phantoms: 0.10 held-out accuracy in eval mode against 0.63 with batch statistics, 0.65
  /// after recalibrating). So before weights are published, the statistics are recomputed:
  /// train-mode forward passes without gradients over up to kCalibrationImages pooled images
  /// (each as it is shown), averaged with equal weight, as torch.optim.swa_utils.update_bn does.
  void recalibrateBatchNorm(bool interruptible = true) {
    // With averaging, what is published carries averaged statistics; the trained weights' own
    // are overwritten by the next step.
    if (updatedNorms.empty() || !averaged.empty()) return;
    constexpr std::size_t kCalibrationImages = 32;
    std::vector<TrainingExample> chosen;
    {
      const std::lock_guard lock(mutex);
      // Evenly spaced over the pool in image order: deterministic, and not only the newest.
      const std::size_t n = pool.size();
      const std::size_t take = std::min(n, kCalibrationImages);
      std::size_t index = 0;
      std::size_t next = 0;
      for (const auto& [id, example] : pool) {
        if (chosen.size() < take && index == next) {
          chosen.push_back(example);
          next = (chosen.size() * n) / take;
        }
        ++index;
      }
    }
    if (chosen.empty()) return;
    torch::NoGradGuard noGrad;
    struct Saved {
      at::Tensor mean, var;
      c10::optional<double> momentum;
    };
    std::vector<Saved> saved;
    for (auto* norm : updatedNorms) {
      saved.push_back(
          {norm->running_mean.clone(), norm->running_var.clone(), norm->options.momentum()});
      norm->reset_running_stats();
      norm->options.momentum(c10::nullopt);  // a cumulative average over the passes
    }
    bool measured = false;
    try {
      for (std::size_t begin = 0; begin < chosen.size();
           begin += static_cast<std::size_t>(batchImages)) {
        gate.waitForTurn([this, interruptible] {
          const std::lock_guard lock(mutex);
          return interruptible && stopping;
        });
        const std::size_t end =
            std::min(chosen.size(), begin + static_cast<std::size_t>(batchImages));
        std::vector<at::Tensor> inputs;
        for (std::size_t i = begin; i < end; ++i) {
          try {
            inputs.push_back(trainableInput(chosen[i], 0, options.inputSpec.size));
          } catch (const std::exception&) {
            // An unreadable image is reported when training draws it; here it is just left out.
          }
        }
        // A batch of one has no variance to measure; it only joins a larger one.
        if (inputs.size() < 2 && !(measured && !inputs.empty())) continue;
        trainableForward(torch::cat(inputs, 0));
        measured = true;
        const std::lock_guard lock(mutex);
        if (interruptible && stopping) break;
      }
    } catch (...) {
      measured = false;
    }
    for (std::size_t i = 0; i < updatedNorms.size(); ++i) {
      auto* norm = updatedNorms[i];
      norm->options.momentum(saved[i].momentum);
      if (!measured) {
        norm->running_mean.copy_(saved[i].mean);
        norm->running_var.copy_(saved[i].var);
      }
    }
  }

  /// Trainable layers' BatchNorm modules in train mode, everything else in eval mode.
  void setBatchNormTraining() {
    net.eval();
    for (auto& child : net.module().named_children()) {
      const std::string& name = child.key();
      if (mode == TrainingMode::kFull || (mode == TrainingMode::kLayer4 && name == "layer4")) {
        child.value()->train(true);
      }
    }
  }

  /// Clones what training changes; what it never changes is shared with the previous snapshot.
  void publish() {
    auto weights = std::make_shared<model::StateDict>();
    torch::NoGradGuard noGrad;
    std::map<std::string, at::Tensor> previous;
    if (snapshot) {
      for (const auto& [name, tensor] : *snapshot->weights)
        previous.emplace(name, tensor);
    }
    for (const auto& [name, tensor] : net.stateDict()) {
      const bool changes =
          std::find(trainableNames.begin(), trainableNames.end(), name) != trainableNames.end();
      const auto it = previous.find(name);
      const auto average = averaged.find(name);
      if (!changes && it != previous.end()) {
        weights->emplace_back(name, it->second);
      } else if (average != averaged.end()) {
        weights->emplace_back(name, average->second.clone());
      } else {
        weights->emplace_back(name, tensor.detach().clone());
      }
    }
    auto next = std::make_shared<Snapshot>();
    std::shared_ptr<const Snapshot> published;
    {
      const std::lock_guard lock(mutex);
      next->serial = serial++;
      next->version = version;
      next->labelsSeen = labelsSeen;
      next->lastLabelId = lastLabelId;
      next->labelsAtVersion = labelsAtVersion;
      next->weights = std::move(weights);
      snapshot = next;
      published = snapshot;
    }
    if (observer != nullptr) observer->snapshotPublished(published);
  }

  // --- data -----------------------------------------------------------------------------------

  /// The decoded image (shares its pixels with the cache entry, if it fits in the cache).
  imaging::CtImage image(const TrainingExample& example) {
    if (const auto* cached = images.find(example.imageId)) return *cached;
    imaging::CtImage img = imaging::readImage(example.file);
    // Keep at most twice the model's side: augmentation resamples anyway, memory stays bounded.
    const int limit = 2 * options.inputSpec.size;
    const int side = std::max(img.values.cols, img.values.rows);
    if (side > limit) {
      const double f = static_cast<double>(limit) / side;
      cv::Mat small;
      cv::resize(img.values, small, cv::Size(), f, f, cv::INTER_AREA);
      img.values = small;
    }
    const std::size_t bytes = img.values.total() * img.values.elemSize() + 1024;
    images.insert(example.imageId, img, bytes);
    return img;
  }

  /// One view of an image as the model takes it, `side` pixels square (0: the model's side).
  at::Tensor input(const TrainingExample& example, int view, int side = 0) {
    const imaging::CtImage img = image(example);
    const AugmentParams params =
        drawAugmentation(options.augment, options.seed, example.imageId, view);
    const imaging::CtImage moved = augmentGeometry(img, params);
    const imaging::Window window = augmentWindow(imaging::defaultWindow(img.info), params);
    imaging::ModelInputSpec spec = options.inputSpec;
    if (side > 0) spec.size = side;
    return model::modelInput(moved, spec, window, options.device);
  }

  /// The side of the training inputs of a step over `fresh` new labels: smaller than the model's
  /// while few labels are in (progressive resizing), in whole-network training only. It depends
  /// on the number of labels trained, not on those still queued, so a resumed session trains as
  /// the uninterrupted one did.
  int trainingSide(std::size_t fresh) {
    if (frozenUpTo) return options.inputSpec.size;
    std::int64_t labels = 0;
    {
      const std::lock_guard lock(mutex);
      labels = labelsSeen + static_cast<std::int64_t>(fresh);
    }
    return progressiveInputSize(options.progressive, options.inputSpec.size, labels);
  }

  /// What the trainable part takes for one view: the frozen trunk's activation (cached), or the
  /// image itself, `side` pixels square, in full mode.
  at::Tensor trainableInput(const TrainingExample& example, int view, int side) {
    if (!frozenUpTo) return input(example, view, side);
    const ViewKey key{example.imageId, view};
    if (const auto* cached = features.find(key)) return *cached;
    torch::NoGradGuard noGrad;
    at::Tensor activation = net.features(input(example, view), *frozenUpTo);
    features.insert(key, activation, static_cast<std::size_t>(activation.nbytes()) + 256);
    return activation;
  }

  /// Logits in float32 whatever the passes ran in.
  at::Tensor trainableForward(const at::Tensor& batch,
                              const model::ResNet::BlockObserver& afterBlock = {}) {
    const BFloat16Autocast autocast(bfloat16);
    if (!frozenUpTo)
      return net
          .forward(options.channelsLast ? batch.contiguous(at::MemoryFormat::ChannelsLast) : batch,
                   afterBlock)
          .to(torch::kFloat);
    return net.head(batch, *frozenUpTo, afterBlock).to(torch::kFloat);
  }

  /// For an idle step begun at `started`: throws Interrupted when the trainer stops, Preempted
  /// when a label waits and the step is early enough to give up (preemptIdleStepBefore).
  void checkIdleStep(Clock::time_point started) {
    const std::lock_guard lock(mutex);
    if (stopping) throw Interrupted{};
    if (queue.empty() || !idleStepMayBeAbandoned) return;
    const std::chrono::duration<double> elapsed = Clock::now() - started;
    if (elapsed.count() < options.preemptIdleStepBefore * usualStepSeconds) throw Preempted{};
  }

  /// The block observer of an idle step's forward pass: checks after each block, and hooks the
  /// block's output so that the backward pass checks there too.
  model::ResNet::BlockObserver idleStepChecks(Clock::time_point started) {
    if (options.preemptIdleStepBefore <= 0) return {};
    return [this, started](const at::Tensor& activation) {
      checkIdleStep(started);
      if (activation.requires_grad()) {
        activation.register_hook([this, started](const at::Tensor&) { checkIdleStep(started); });
      }
    };
  }

  /// The new examples plus replayed ones up to batchImages, class-balanced: a class present in
  /// the pool uniformly, then one of its images, the newest batchImages labels of the pool
  /// weighted twice; each with a random view.
  std::vector<std::pair<TrainingExample, int>> drawBatch(const std::vector<TrainingExample>& fresh,
                                                         std::mt19937_64& random) {
    std::map<int, std::vector<TrainingExample>> byClass;
    std::vector<std::int64_t> labelIds;
    {
      const std::lock_guard lock(mutex);
      for (const auto& [id, example] : pool) {
        byClass[example.classIndex].push_back(example);
        labelIds.push_back(example.labelId);
      }
    }
    // The label id from which a pooled label counts as recent.
    std::int64_t recentFrom = std::numeric_limits<std::int64_t>::min();
    if (labelIds.size() > static_cast<std::size_t>(batchImages)) {
      const auto cut = labelIds.end() - batchImages;
      std::nth_element(labelIds.begin(), cut, labelIds.end());
      recentFrom = *cut;
    }
    std::vector<int> classes;
    std::map<int, std::discrete_distribution<std::size_t>> pick;
    for (const auto& [c, list] : byClass) {
      classes.push_back(c);
      std::vector<double> weights;
      for (const auto& e : list)
        weights.push_back(e.labelId >= recentFrom ? 2.0 : 1.0);
      pick.emplace(c, std::discrete_distribution<std::size_t>(weights.begin(), weights.end()));
    }
    std::uniform_int_distribution<int> viewDist(0, views - 1);
    std::vector<std::pair<TrainingExample, int>> batch;
    for (const auto& e : fresh)
      batch.emplace_back(e, viewDist(random));
    while (static_cast<int>(batch.size()) < batchImages && !classes.empty()) {
      const int c =
          classes[std::uniform_int_distribution<std::size_t>(0, classes.size() - 1)(random)];
      batch.emplace_back(byClass[c][pick[c](random)], viewDist(random));
    }
    return batch;
  }

  void dropFromPool(std::int64_t imageId) {
    const std::lock_guard lock(mutex);
    pool.erase(imageId);
  }

  /// Learning rates of the warm-up: a tenth at the first step, rising linearly to the full rates.
  void applyWarmup() {
    const double f = options.warmupSteps <= 0
                         ? 1.0
                         : std::min(1.0, 0.1 + 0.9 * static_cast<double>(steps - warmupFrom) /
                                                   options.warmupSteps);
    auto& groups = optimizer->param_groups();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      auto& o = static_cast<torch::optim::AdamOptions&>(groups[g].options());
      o.lr((g == 0 ? headRate : trunkRate) * f);
    }
  }

  struct StepResult {
    double loss = 0;
    /// Per image of the batch: predicted right before the step (train mode).
    std::vector<bool> correct;
  };

  /// One optimizer step over a batch. When BatchNorm statistics are updated the whole batch goes
  /// through one forward pass; otherwise in micro-batches between which inference may run. An
  /// idle step (no fresh label) gives way to a label that arrives early enough in it (Preempted,
  /// see checkIdleStep).
  StepResult step(const std::vector<TrainingExample>& fresh, std::mt19937_64& random) {
    const bool idleStep = fresh.empty();
    auto batch = drawBatch(fresh, random);
    applyWarmup();
    optimizer->zero_grad();
    StepResult result;
    // Inputs first, so that an unreadable image leaves the batch before anything is computed.
    std::vector<at::Tensor> inputs;
    std::vector<std::int64_t> targets;
    std::size_t freshRead = 0;
    const int side = trainingSide(fresh.size());
    {
      const std::lock_guard lock(mutex);
      inputSide = side;
    }
    std::vector<std::pair<TrainingExample, int>> read;  ///< the batch's readable views
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& [example, view] = batch[i];
      const bool isFresh = i < fresh.size();
      try {
        inputs.push_back(trainableInput(example, view, side));
        targets.push_back(example.classIndex);
        read.emplace_back(example, view);
        if (isFresh) ++freshRead;
      } catch (const std::exception& e) {
        // An image that can no longer be read leaves the pool; training goes on.
        dropFromPool(example.imageId);
        report("could not train on " + example.file.filename().string() + ": " + e.what());
      }
    }
    if (!fresh.empty() && freshRead == 0) throw Error("no new label could be read");
    if (inputs.empty()) return result;
    Clock::time_point started;  ///< when the pass began (after waiting for inference)
    const auto total = static_cast<double>(inputs.size());
    const std::size_t chunk =
        updatedNorms.empty() ? static_cast<std::size_t>(options.microBatch) : inputs.size();
    for (std::size_t begin = 0; begin < inputs.size(); begin += chunk) {
      gate.waitForTurn([this] {
        const std::lock_guard lock(mutex);
        return stopping;
      });
      if (begin == 0) started = Clock::now();
      if (idleStep) {
        checkIdleStep(started);
      } else {
        const std::lock_guard lock(mutex);
        if (stopping) throw Interrupted{};
      }
      const std::size_t end = std::min(inputs.size(), begin + chunk);
      const at::Tensor x =
          torch::cat(std::vector<at::Tensor>(inputs.begin() + static_cast<std::ptrdiff_t>(begin),
                                             inputs.begin() + static_cast<std::ptrdiff_t>(end)),
                     0);
      const at::Tensor y = torch::tensor(std::vector<std::int64_t>(
                                             targets.begin() + static_cast<std::ptrdiff_t>(begin),
                                             targets.begin() + static_cast<std::ptrdiff_t>(end)),
                                         torch::kLong)
                               .to(options.device);
      const at::Tensor logits =
          trainableForward(x, idleStep ? idleStepChecks(started) : model::ResNet::BlockObserver{});
      const at::Tensor loss =
          torch::nn::functional::cross_entropy(logits, y,
                                               torch::nn::functional::CrossEntropyFuncOptions()
                                                   .reduction(torch::kSum)
                                                   .label_smoothing(options.labelSmoothing)) /
          total;
      loss.backward();
      result.loss += loss.item<double>();
      const at::Tensor right = logits.detach().argmax(1).eq(y).to(torch::kCPU);
      for (std::int64_t i = 0; i < right.size(0); ++i)
        result.correct.push_back(right[i].item<bool>());
    }
    optimizer->step();
    const std::chrono::duration<double> took = Clock::now() - started;
    usualStepSeconds =
        usualStepSeconds == 0 ? took.count() : 0.8 * usualStepSeconds + 0.2 * took.count();
    if (side != options.inputSpec.size) statisticsAtModelSize(read);
    updateAverage();
    return result;
  }

  /// After a step on inputs smaller than the model's (progressive resizing): the running
  /// statistics of the updated BatchNorm layers from a forward pass without gradients over the
  /// first kMinBatchNormImages views of the batch at the model's size, since the published model
  /// sees that size. Statistics measured at the smaller size made the model confidently wrong at
  /// the model's size (measured: held-out accuracy 0.29 at 100 labels, calibration error 0.48).
  void statisticsAtModelSize(const std::vector<std::pair<TrainingExample, int>>& views) {
    if (updatedNorms.empty() || !options.progressive.statisticsAtModelSize) return;
    const std::size_t n = std::min(views.size(), static_cast<std::size_t>(kMinBatchNormImages));
    if (n < 2) return;
    gate.waitForTurn([this] {
      const std::lock_guard lock(mutex);
      return stopping;
    });
    {
      const std::lock_guard lock(mutex);
      if (stopping) return;
    }
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> inputs;
    try {
      for (std::size_t i = 0; i < n; ++i)
        inputs.push_back(trainableInput(views[i].first, views[i].second, options.inputSpec.size));
    } catch (const std::exception&) {
      return;  // read a moment ago; if it went since, the next step reports it
    }
    trainableForward(torch::cat(inputs, 0));
  }

  void report(const std::string& message) {
    {
      const std::lock_guard lock(mutex);
      lastError = message;
    }
    if (observer != nullptr) observer->trainerProblem(message);
    statusChanged();
  }

  /// Called without the mutex held (the observer may ask for status()).
  void statusChanged() {
    if (observer != nullptr) observer->statusChanged();
  }

  model::CheckpointInfo checkpointInfo(int forVersion) {
    model::CheckpointInfo info;
    const std::string labelSource = options.labelSource ? options.labelSource() : std::string();
    info.config = net.config();
    info.schemeName = options.schemeName;
    info.classNames = options.classNames;
    info.baseWeightsSha256 = options.baseWeightsSha256;
    info.trainingMode = std::string(trainingModeName(mode));
    info.version = forVersion;
    const std::lock_guard lock(mutex);
    info.labelCount = labelsSeen;
    info.lastLabelId = lastLabelId;
    info.createdTime = project::isoTimeNow();
    info.appVersion = kVersion;
    info.metrics = {{"mean_loss", lossCount > 0 ? lossSum / static_cast<double>(lossCount) : 0.0},
                    {"steps", steps},
                    {"idle_steps", idleSteps},
                    {"averaged_steps", averagedSteps},
                    {"warmup_from", warmupFrom},
                    {"input_size", options.inputSpec.size}};
    if (!labelSource.empty()) info.metrics["labels_from"] = labelSource;
    return info;
  }

  /// What the session records of a version file just written.
  static CheckpointWritten describeWritten(int version, const std::filesystem::path& file,
                                           const model::CheckpointInfo& info) {
    return {version,
            file,
            sha256File(file),
            info.labelCount,
            info.lastLabelId,
            info.createdTime,
            info.metrics.value("mean_loss", 0.0)};
  }

  std::optional<CheckpointWritten> writeVersion() {
    const int next = std::max(version, highestVersion) + 1;
    const model::CheckpointInfo info = checkpointInfo(next);
    const std::filesystem::path file =
        options.modelsDir / versionFileName(options.schemeName, next);
    try {
      std::filesystem::create_directories(options.modelsDir);
      const model::StateDict shown = averageDict();
      model::writeCheckpoint(file, net, optimizer.get(), info, averaged.empty() ? nullptr : &shown);
      const CheckpointWritten written = describeWritten(next, file, info);
      {
        const std::lock_guard lock(mutex);
        version = next;
        highestVersion = next;
        labelsAtVersion = info.labelCount;
        idleStepsAtVersion = idleSteps;
        lossSum = 0;
        lossCount = 0;
      }
      publish();  // the snapshot now names the version
      if (observer != nullptr) observer->checkpointWritten(written);
      fullStateVersions.push_back(next);
      thinOlderVersions();
      return written;
    } catch (const std::exception& e) {
      report("could not write model version v" + std::to_string(next) + ": " + e.what());
      return std::nullopt;
    }
  }

  /// Rewrites the files of this line's versions older than the newest options.fullStateVersions
  /// with the weights they show only (see TrainerOptions::fullStateVersions). The new file
  /// replaces the old one atomically; a failure leaves the full file and is reported.
  void thinOlderVersions() {
    if (options.fullStateVersions <= 0) return;
    while (fullStateVersions.size() > static_cast<std::size_t>(options.fullStateVersions)) {
      const int older = fullStateVersions.front();
      fullStateVersions.pop_front();
      const std::filesystem::path file =
          options.modelsDir / versionFileName(options.schemeName, older);
      try {
        if (!std::filesystem::exists(file)) continue;
        model::ResNet shown(net.config());
        const model::CheckpointInfo info = model::loadCheckpoint(
            file, shown, nullptr, {net.config(), options.schemeName, options.classNames});
        if (info.optimizer.empty()) continue;  // kept so already
        model::writeCheckpoint(file, shown, nullptr, info);
        if (observer != nullptr) observer->checkpointThinned(describeWritten(older, file, info));
      } catch (const std::exception& e) {
        report("could not reduce model version v" + std::to_string(older) +
               " to the weights it shows (the file keeps everything): " + e.what());
      }
    }
  }

  /// Whether the worker should train idly now (called under the mutex): idle training is on,
  /// wanted since the last label, and the pool holds two classes at least (one class has nothing
  /// to tell apart).
  bool idleWanted() const {
    if (!options.idleTraining || !idleActive || !queue.empty()) return false;
    std::optional<int> first;
    for (const auto& [id, example] : pool) {
      if (!first) {
        first = example.classIndex;
      } else if (example.classIndex != *first) {
        return true;
      }
    }
    return false;
  }

  /// The stopping rule of idle training (see TrainerOptions::idleMaxEpochs).
  bool idleDone(std::size_t poolSize) const {
    const double epochs =
        static_cast<double>(idleImages) / static_cast<double>(std::max<std::size_t>(1, poolSize));
    if (epochs >= options.idleMaxEpochs) return true;
    if (epochs < options.idleMinEpochs || recentCorrect.size() < poolSize) return false;
    return std::all_of(recentCorrect.end() - static_cast<std::ptrdiff_t>(poolSize),
                       recentCorrect.end(), [](bool ok) { return ok; });
  }

  void countStep(const StepResult& r, bool idle) {
    {
      const std::lock_guard lock(mutex);
      ++steps;
      if (idle) ++idleSteps;
      lastLoss = r.loss;
      lossSum += r.loss;
      ++lossCount;
    }
    statusChanged();
  }

  /// One idle step; false when the trainer is stopping.
  bool idleRound() {
    StepResult r;
    try {
      r = step({}, idleRng);
    } catch (const Interrupted&) {
      return false;
    } catch (const Preempted&) {
      idleStepMayBeAbandoned = false;
      {
        const std::lock_guard lock(mutex);
        ++abandonedSteps;
      }
      statusChanged();
      return true;
    } catch (const std::exception& e) {
      report(std::string("idle training: ") + e.what());
      const std::lock_guard lock(mutex);
      idleActive = false;
      refining = false;
      return true;
    }
    if (r.correct.empty()) {  // every pooled image became unreadable
      const std::lock_guard lock(mutex);
      idleActive = false;
      refining = false;
      return true;
    }
    countStep(r, /*idle=*/true);
    idleStepMayBeAbandoned = true;
    idleImages += static_cast<std::int64_t>(r.correct.size());
    recentCorrect.insert(recentCorrect.end(), r.correct.begin(), r.correct.end());
    std::size_t poolSize = 0;
    {
      const std::lock_guard lock(mutex);
      poolSize = pool.size();
    }
    while (recentCorrect.size() > std::max<std::size_t>(poolSize, 1))
      recentCorrect.pop_front();
    if (idleDone(poolSize)) {
      // Resting until the next label: the model shown for a while gets statistics that fit it.
      // It is published before status() says the trainer rests, so whoever sees it resting
      // (a test, the training panel) gets that model from latest(), not one from up to
      // publishEvery earlier (a niced trainer thread can be held between the two for long).
      recalibrateBatchNorm();
      publish();
      lastPublish = Clock::now();
      {
        const std::lock_guard lock(mutex);
        idleActive = false;
        refining = false;
      }
      statusChanged();
      idle.notify_all();
    } else if (Clock::now() - lastPublish >= options.publishEvery) {
      publish();
      lastPublish = Clock::now();
    }
    return true;
  }

  void run() {
#ifdef __linux__
    // Lower only this thread; OpenMP teams it creates inherit the value.
    if (options.niceness > 0) {
      setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options.niceness);
    }
#endif
    const auto maxFresh = static_cast<std::size_t>(std::max(1, batchImages / 2));
    for (;;) {
      std::vector<TrainingExample> fresh;
      bool refiningBegins = false;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return stopping || !queue.empty() || idleWanted(); });
        if (stopping) break;
        if (queue.empty()) {
          refiningBegins = !refining;
          refining = true;
        } else {
          // A round never crosses a version boundary: versions hold exactly N, 2N... labels.
          std::size_t take = maxFresh;
          if (options.snapshotEvery > 0) {
            take = std::min<std::size_t>(
                take, static_cast<std::size_t>(options.snapshotEvery -
                                               labelsSeen % options.snapshotEvery));
          }
          while (!queue.empty() && fresh.size() < take) {
            fresh.push_back(queue.front());
            queue.pop_front();
          }
          busy = true;
          refining = false;
          // The batches of the n-th label depend on (seed, n) only, so a session resumed from a
          // checkpoint draws what the uninterrupted one would have drawn.
          rng.seed(options.seed ^
                   (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(labelsSeen + 1)));
        }
      }
      if (!fresh.empty() || refiningBegins) statusChanged();
      if (fresh.empty()) {
        if (!idleRound()) break;
        continue;
      }
      bool interrupted = false;
      try {
        for (int s = 0; s < options.stepsPerLabel; ++s)
          countStep(step(fresh, rng), /*idle=*/false);
      } catch (const Interrupted&) {
        interrupted = true;
      } catch (const std::exception& e) {
        for (const auto& example : fresh)
          dropFromPool(example.imageId);
        report("could not train on " + fresh.front().file.filename().string() + ": " + e.what());
      }
      if (interrupted) {
        const std::lock_guard lock(mutex);
        busy = false;
        break;
      }
      bool versionDue = false;
      bool caughtUp = false;
      const auto added = static_cast<std::int64_t>(fresh.size());
      {
        const std::lock_guard lock(mutex);
        // Rounds stop at multiples of snapshotEvery (above), so a version is due on reaching one.
        versionDue = options.snapshotEvery > 0 && (labelsSeen + added) % options.snapshotEvery == 0;
        caughtUp = queue.empty();
      }
      // While labels queue up, the next publication comes soon; the one shown for a while (and
      // every version written) gets statistics that fit its weights. With idle training on, the
      // statistics of the running average are kept until idle training rests (a recalibration
      // costs a forward pass over 32 images). Before the labels are counted, so that status()
      // never counts a label the published weights do not have yet for longer than publish()
      // takes.
      if (versionDue || (caughtUp && !options.idleTraining)) recalibrateBatchNorm();
      {
        const std::lock_guard lock(mutex);
        labelsSeen += added;
        for (const auto& example : fresh)
          lastLabelId = std::max(lastLabelId, example.labelId);
        idleActive = true;
        idleImages = 0;
        recentCorrect.clear();
      }
      publish();
      lastPublish = Clock::now();
      if (versionDue) writeVersion();
      {
        const std::lock_guard lock(mutex);
        busy = false;
      }
      statusChanged();
      idle.notify_all();
    }
    {
      const std::lock_guard lock(mutex);
      refining = false;
    }
    idle.notify_all();
  }
};

Trainer::Trainer(TrainerOptions options, TrainerObserver* observer)
    : impl_(std::make_unique<Impl>(std::move(options), observer)) {
  impl_->build();
}

Trainer::~Trainer() {
  stop();
}

const TrainerOptions& Trainer::options() const {
  return impl_->options;
}

TrainingMode Trainer::mode() const {
  return impl_->mode;
}

model::CheckpointInfo Trainer::resume(const std::filesystem::path& checkpoint) {
  if (impl_->started) throw Error("the trainer resumes only before it starts");
  model::CheckpointExpectation expected{impl_->net.config(), impl_->options.schemeName,
                                        impl_->options.classNames};
  model::StateDict shown;
  // A version older than the newest few keeps the weights it shows only (fullStateVersions):
  // training goes on from those weights with a fresh optimizer, its warm-up started again.
  model::CheckpointInfo info =
      model::loadCheckpoint(checkpoint, impl_->net, impl_->optimizer.get(), expected, &shown,
                            model::WithoutOptimizerState::kLoadWeights);
  const bool fullState = !info.optimizer.empty();
  if (!fullState) impl_->makeOptimizer();
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->labelsSeen = info.labelCount;
    impl_->lastLabelId = info.lastLabelId;
    impl_->version = info.version;
    impl_->labelsAtVersion = info.labelCount;
    // The warm-up goes on where it stopped (and a resumed trainer takes the same steps).
    impl_->steps = info.metrics.value("steps", std::int64_t{0});
    impl_->warmupFrom =
        fullState ? info.metrics.value("warmup_from", std::int64_t{0}) : impl_->steps;
    impl_->idleSteps = info.metrics.value("idle_steps", std::int64_t{0});
    impl_->idleStepsAtVersion = impl_->idleSteps;
  }
  // The version before a full one was the other full one of its line when the session closed:
  // it joins this line, so that the next versions reduce it too rather than leave it full.
  impl_->fullStateVersions.clear();
  if (fullState && info.version > 1) impl_->fullStateVersions.push_back(info.version - 1);
  if (fullState) impl_->fullStateVersions.push_back(info.version);
  // A version written without averaging shows its trained weights: the average starts there.
  // One kept with its shown weights only goes on averaging from them at the decay it had.
  impl_->restartAverage(shown, fullState && shown.empty()
                                   ? 0
                                   : info.metrics.value("averaged_steps", std::int64_t{0}));
  impl_->publish();
  return info;
}

void Trainer::addTrained(const TrainingExample& example) {
  const std::lock_guard lock(impl_->mutex);
  impl_->pool[example.imageId] = example;
}

void Trainer::clearLabels() {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->started) throw Error("the trainer's labels are cleared only while it is stopped");
  impl_->queue.clear();
  impl_->pool.clear();
}

void Trainer::setHighestVersion(int version) {
  const std::lock_guard lock(impl_->mutex);
  impl_->highestVersion = std::max(impl_->highestVersion, version);
}

void Trainer::start() {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->started) return;
  impl_->started = true;
  impl_->stopping = false;
  impl_->idleActive = !impl_->pool.empty();  // a reopened project goes on learning
  impl_->worker = std::thread([this] { impl_->run(); });
}

void Trainer::stop() {
  {
    const std::lock_guard lock(impl_->mutex);
    if (!impl_->started) return;
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->gate.wakeAll();
  if (impl_->worker.joinable()) impl_->worker.join();
  const std::lock_guard lock(impl_->mutex);
  impl_->started = false;
}

void Trainer::submit(const TrainingExample& example) {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->pool[example.imageId] = example;
    // A relabel before the old label was trained: train the new class only.
    std::erase_if(impl_->queue,
                  [&](const TrainingExample& e) { return e.imageId == example.imageId; });
    impl_->queue.push_back(example);
  }
  impl_->wake.notify_all();
}

void Trainer::retract(std::int64_t imageId) {
  const std::lock_guard lock(impl_->mutex);
  impl_->pool.erase(imageId);
  std::erase_if(impl_->queue, [&](const TrainingExample& e) { return e.imageId == imageId; });
}

void Trainer::restore(const TrainingExample& example) {
  const std::lock_guard lock(impl_->mutex);
  impl_->pool[example.imageId] = example;
  std::erase_if(impl_->queue,
                [&](const TrainingExample& e) { return e.imageId == example.imageId; });
}

bool Trainer::waitUntilIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->idle.wait_for(
      lock, timeout, [this] { return (impl_->queue.empty() && !impl_->busy) || !impl_->started; });
}

std::optional<CheckpointWritten> Trainer::writeVersionNow() {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->started) throw Error("the trainer writes a version now only while stopped");
    if (impl_->labelsSeen == impl_->labelsAtVersion &&
        impl_->idleSteps == impl_->idleStepsAtVersion) {
      return std::nullopt;  // nothing new
    }
  }
  impl_->recalibrateBatchNorm(/*interruptible=*/false);  // idle training may have stopped mid-way
  return impl_->writeVersion();
}

std::shared_ptr<const Snapshot> Trainer::latest() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->snapshot;
}

TrainerStatus Trainer::status() const {
  const std::lock_guard lock(impl_->mutex);
  TrainerStatus s;
  s.queued = impl_->queue.size();
  s.labelsSeen = impl_->labelsSeen;
  s.steps = impl_->steps;
  s.lastLoss = impl_->lastLoss;
  s.version = impl_->version;
  s.busy = impl_->busy;
  s.refining = impl_->refining;
  s.idleSteps = impl_->idleSteps;
  s.abandonedSteps = impl_->abandonedSteps;
  s.inputSide = impl_->inputSide;
  s.bfloat16 = impl_->bfloat16;
  s.lastError = impl_->lastError;
  return s;
}

PriorityGate& Trainer::gate() {
  return impl_->gate;
}

void applySnapshot(const Snapshot& snapshot, model::ResNet& model) {
  torch::NoGradGuard noGrad;
  std::map<std::string, at::Tensor> target;
  for (auto& [name, tensor] : model.stateDict())
    target.emplace(name, tensor);
  for (const auto& [name, tensor] : *snapshot.weights) {
    const auto it = target.find(name);
    if (it == target.end() || it->second.sizes() != tensor.sizes()) {
      throw Error("a model snapshot does not fit the model (" + name + ")");
    }
    if (it->second.data_ptr() != tensor.data_ptr()) it->second.copy_(tensor);
  }
}

}  // namespace camlabel::learning
