#pragma once
// The incremental trainer: a long-lived worker thread that fine-tunes the model as labels
// arrive. Torch-free interface (tensors stay inside Snapshot's opaque weights).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <c10/core/Device.h>

#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/learning/augment.h"
#include "core/model/checkpoint.h"
#include "core/model/resnet.h"

namespace camlabel::learning {

/// Which parameters learn. Frozen parts run without autograd and their outputs are cached.
enum class TrainingMode {
  kHead,    ///< fc only
  kLayer4,  ///< layer4 + fc (default: adapts the most specific features, cheap enough on CPU)
  kFull,    ///< everything
};
/// "head", "layer4", "full"; std::nullopt otherwise.
std::optional<TrainingMode> parseTrainingMode(std::string_view text);
std::string_view trainingModeName(TrainingMode mode);

/// One labelled image as the trainer sees it.
struct TrainingExample {
  std::int64_t labelId = 0;  ///< the label row; the newest trained one goes into checkpoints
  std::int64_t imageId = 0;
  std::filesystem::path file;
  int classIndex = 0;
};

struct TrainerOptions {
  model::ResNetConfig config = model::ResNetConfig::resnet50();  ///< numClasses: the scheme's
  std::string schemeName = "pattern";
  std::vector<std::string> classNames;  ///< one per class; sets config.numClasses
  /// torchvision weights for the trunk; none: seeded random weights.
  std::optional<std::filesystem::path> baseWeights;
  std::string baseWeightsSha256;
  std::uint64_t seed = 0;
  c10::Device device = c10::kCPU;
  imaging::ModelInputSpec inputSpec;
  TrainingMode mode = TrainingMode::kLayer4;

  int stepsPerLabel = 4;  ///< optimizer steps for each new label
  int batchSize = 8;      ///< the new image plus batchSize - 1 replayed ones
  int microBatch = 2;     ///< images per forward/backward; the trainer may yield between them
  /// Adam's learning rates. Defaults: 1e-3 for the new head and 1e-4 for trunk layers when the
  /// trunk comes from a weights file (fine-tuning); 3e-3 for both on a random trunk, which has
  /// everything to learn (measured on the demo project: 1e-4 leaves a random trunk at chance).
  std::optional<double> headLearningRate;
  std::optional<double> trunkLearningRate;
  /// BatchNorm in the trainable layers: update running statistics from the training batches
  /// (train mode), or keep them as loaded (eval mode)? Default: keep them when the trunk comes
  /// from a weights file (ImageNet statistics are good, and batches of a few images would make
  /// them noisy); update them when the trunk is random, whose unit statistics are meaningless
  /// (measured: frozen statistics learn the phantom patterns far worse, see trainer_test.cpp).
  /// Frozen layers always keep theirs.
  std::optional<bool> updateBatchNormStatistics;
  AugmentOptions augment;
  int viewsPerImage = 4;  ///< distinct augmented views per image; view 0 is the image itself

  /// Linux: the trainer thread (and the OpenMP team it starts) runs at this nice level, so an
  /// explanation asked for mid-step gets the cores at once instead of sharing them with the
  /// micro-batch under way (measured at 19: Grad-CAM during training went from 1.86x to 1.00x
  /// of its idle time). 0 leaves the priority alone.
  int niceness = 10;

  int snapshotEvery = 10;  ///< write version vK after every this many trained labels; 0: never
  std::filesystem::path modelsDir;                  ///< where <scheme>_v<K>.pt files go
  std::size_t cacheBytes = std::size_t{384} << 20;  ///< decoded images + frozen features
};

/// The checkpoint file of version `version` of a scheme: "<scheme>_v<version>.pt".
std::string versionFileName(std::string_view schemeName, int version);

/// Weights published after an update: immutable, shared by every reader that holds it.
struct Snapshot {
  std::uint64_t serial = 0;      ///< grows with every publication; 0 = the model before training
  int version = 0;               ///< the last checkpoint version written (0: none yet)
  std::int64_t labelsSeen = 0;   ///< labels trained since the base model
  std::int64_t lastLabelId = 0;  ///< the newest label row trained
  std::int64_t labelsAtVersion = 0;  ///< labelsSeen when `version` was written
  /// The weights, by torchvision name. Opaque to Torch-free code.
  std::shared_ptr<const model::StateDict> weights;
  /// "v2 + 3 labels", "v3", "base": what a user is told produced a prediction.
  std::string describe() const;
};

struct TrainerStatus {
  std::size_t queued = 0;       ///< labels waiting for their steps
  std::int64_t labelsSeen = 0;  ///< labels trained
  std::int64_t steps = 0;       ///< optimizer steps since start
  double lastLoss = 0;          ///< mean loss of the last step (0 before any)
  int version = 0;              ///< last checkpoint version
  bool busy = false;            ///< a step is running
  std::string lastError;        ///< the last problem reported (image unreadable, disk full)
};

/// A checkpoint the trainer has written; the session records it in the project.
struct CheckpointWritten {
  int version = 0;
  std::filesystem::path file;
  std::string sha256;
  std::int64_t labelsSeen = 0;
  std::int64_t lastLabelId = 0;
  std::string time;
  double meanLoss = 0;  ///< mean loss over the steps since the previous version
};

/// Called on the trainer's thread; must be quick and must not call back into the trainer.
class TrainerObserver {
 public:
  virtual ~TrainerObserver() = default;
  virtual void snapshotPublished(const std::shared_ptr<const Snapshot>& /*snapshot*/) {}
  virtual void checkpointWritten(const CheckpointWritten& /*checkpoint*/) {}
  /// A problem that did not stop training, e.g. an unreadable image or a failed checkpoint.
  virtual void trainerProblem(const std::string& /*message*/) {}
};

/// Lets inference run first on a machine with few cores: while any Hold is alive the trainer
/// waits before its next micro-batch.
class PriorityGate {
 public:
  PriorityGate();
  ~PriorityGate();
  PriorityGate(const PriorityGate&) = delete;
  PriorityGate& operator=(const PriorityGate&) = delete;

  class Hold {
   public:
    explicit Hold(PriorityGate& gate);
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    PriorityGate& gate_;
  };
  /// Blocks while a Hold is alive or until `stopping` returns true (checked when woken).
  void waitForTurn(const std::function<bool()>& stopping);
  /// Wakes waiters so they re-check `stopping`.
  void wakeAll();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The trainer. Construct, optionally resume(), add the labels already learned with
/// addTrained(), then start(). submit()/retract() may be called from any thread.
class Trainer {
 public:
  /// Builds the model (base weights or seeded random, new head for the scheme) and its
  /// optimizer. Throws camlabel::InputError for a weights file that cannot be used.
  Trainer(TrainerOptions options, TrainerObserver* observer = nullptr);
  ~Trainer();  ///< stops the thread (finishing the micro-batch under way)
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  const TrainerOptions& options() const;

  /// Restores model and optimizer from a checkpoint (before start()). Throws InputError for a
  /// torn, foreign or mismatched file, leaving the trainer as it was.
  model::CheckpointInfo resume(const std::filesystem::path& checkpoint);

  /// A label already reflected in the weights (before start()): it joins the replay pool only.
  void addTrained(const TrainingExample& example);
  /// Forgets every queued and pooled label (before start(), e.g. to roll back and re-add them).
  void clearLabels();
  /// The highest version number already used in the models folder (before start()): new
  /// versions are numbered after it, so a rolled-back model never overwrites a later file.
  void setHighestVersion(int version);

  void start();
  /// Finishes the current micro-batch and joins the thread. Queued labels stay unlearned (the
  /// store has them; a resumed session trains them again).
  void stop();

  /// A new label (or a relabel of an image): replaces the image's entry in the replay pool and
  /// queues stepsPerLabel steps with it.
  void submit(const TrainingExample& example);
  /// An undo left the image without a label: it leaves the pool and the queue.
  void retract(std::int64_t imageId);
  /// An undo restored an earlier label of the image: the pool takes it, without new steps.
  void restore(const TrainingExample& example);

  /// Waits until the queue is empty and no step runs. False on timeout.
  bool waitUntilIdle(std::chrono::milliseconds timeout);

  /// Writes the current weights as the next version now, if any label was trained since the
  /// last one, and returns it. Only while the worker is stopped, or idle with nothing submitted
  /// meanwhile (e.g. on close after waitUntilIdle()).
  std::optional<CheckpointWritten> writeVersionNow();

  std::shared_ptr<const Snapshot> latest() const;
  TrainerStatus status() const;
  PriorityGate& gate();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Copies a snapshot's weights into a model of the same architecture (under NoGradGuard).
void applySnapshot(const Snapshot& snapshot, model::ResNet& model);

}  // namespace camlabel::learning
