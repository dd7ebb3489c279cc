// SPDX-License-Identifier: Apache-2.0
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
#include "core/learning/model_name.h"
#include "core/model/checkpoint.h"
#include "core/model/resnet.h"

namespace camlabel::learning {

/// Which parameters learn. Frozen parts run without autograd and their outputs are cached.
enum class TrainingMode {
  kHead,    ///< fc only
  kLayer4,  ///< layer4 + fc: adapts the most specific features of an ImageNet trunk
  kFull,    ///< everything: what a random trunk needs (frozen random layers stay useless)
};
/// "head", "layer4", "full"; std::nullopt otherwise (also for "auto": see resolveTrainingMode).
std::optional<TrainingMode> parseTrainingMode(std::string_view text);
std::string_view trainingModeName(TrainingMode mode);
/// A project's stored mode ("auto", "head", "layer4" or "full") for a trunk that is pretrained
/// (a weights file) or random. "auto" (the default) picks layer4 for a pretrained trunk and full
/// for a random one: measured on the phantoms, a frozen random stem..layer3 leaves ResNet50 near
/// chance whatever layer4 does (docs/benchmarks.md, "Learning"). Throws camlabel::Error for
/// anything else.
TrainingMode resolveTrainingMode(std::string_view stored, bool pretrainedTrunk);
/// True for the strings a project may store: "auto", "head", "layer4", "full".
bool isTrainingModeSetting(std::string_view text);

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
  /// What learns; std::nullopt: resolveTrainingMode("auto", ...) for this trunk.
  std::optional<TrainingMode> mode;

  /// Optimizer steps for each round of new labels. A round takes the labels waiting (up to half
  /// a batch) together, so a trainer that falls behind a fast reader catches up.
  int stepsPerLabel = 1;
  int batchSize = 16;  ///< the new images plus replayed ones
  /// Images per forward/backward when BatchNorm statistics are frozen; the trainer may yield
  /// between them. When statistics are updated the whole batch goes through at once.
  int microBatch = 4;
  /// Adam's learning rates. Defaults: 1e-3 for the new head and 1e-4 for trunk layers when the
  /// trunk comes from a weights file (fine-tuning); 1e-3 for both on a random trunk.
  std::optional<double> headLearningRate;
  std::optional<double> trunkLearningRate;
  /// Steps over which the learning rates rise linearly from a tenth to their value (Adam's
  /// first steps on a random trunk are otherwise its largest).
  int warmupSteps = 20;
  /// Label smoothing of the cross-entropy: the model is never trained towards 100% for a class,
  /// so a handful of labels cannot make it claim certainty (calibration, issue 13).
  double labelSmoothing = 0.1;
  /// BatchNorm in the trainable layers: update running statistics from the training batches
  /// (train mode), or keep them as loaded (eval mode)? Default: keep them when the trunk comes
  /// from a weights file (ImageNet statistics are good); update them when the trunk is random,
  /// whose unit statistics are meaningless. Frozen layers always keep theirs. Statistics are
  /// never taken from fewer than kMinBatchNormImages images: the batch is raised to that.
  std::optional<bool> updateBatchNormStatistics;
  /// Momentum of the running statistics that training updates (PyTorch's default is 0.1). A
  /// random trunk's weights change fast, and statistics averaged over the last ten or so steps
  /// trail them. Measured on the phantoms (ResNet50, 100 labels, 110 steps, one training run,
  /// held-out accuracy in eval mode): momentum 0.1 0.39, 0.3 0.49, 0.5 0.50, 1.0 0.55, and
  /// statistics recomputed over 32 images 0.54. So by default the running statistics are those
  /// of the last training batch (16 images, weights one step old): as good as a recalibration,
  /// at no cost.
  double batchNormMomentum = 1.0;
  /// The published model (what the window shows and compares) is an exponential moving average
  /// of the trained weights and BatchNorm statistics, with this decay per step (as timm's
  /// ModelEmaV2; the decay rises as min(decay, (1 + t) / (10 + t)) over the first steps t), so
  /// that one noisy step or one batch's statistics do not decide what the reader sees. 0: the
  /// trained weights themselves. Costs one more copy of the trainable weights in memory, and a
  /// version file keeps both (the average, which every reader loads, and the trained weights, from
  /// which training resumes). Measured on the phantoms (ResNet50 from random weights, a label
  /// every 3 s, training seed 1, docs/benchmarks.md): held-out accuracy of the published model at
  /// 100, 200 and 300 labels 0.53, 0.75, 0.77 with 0.95, against 0.44, 0.70, 0.65 without.
  double averageDecay = 0.95;
  AugmentOptions augment;
  /// Convolution weights and batches in channels-last memory layout while training.
  bool channelsLast = true;
  /// Training passes in bfloat16 (autocast: convolutions and matrix products in bfloat16, the
  /// weights, their average, the optimizer and every published or saved model in float32; the
  /// loss in float32). std::nullopt: on where the device is the CPU and the CPU multiplies
  /// bfloat16 natively (AVX512-BF16 or AMX, cpuHasNativeBFloat16()), off elsewhere, where it
  /// would be emulated and slower. Inference (predictions, heatmaps, versions) stays float32.
  std::optional<bool> bfloat16;
  /// Progressive resizing, whole-network training only (a frozen trunk's features are cached at
  /// the model's size): while few labels are in, training inputs are smaller than the model's
  /// side, so a compute-bound session takes more steps where the curve is steepest; from
  /// fullSizeFromLabels on they are the model's size. Between the two the side rises linearly
  /// from startSize in steps of 32 px. The published model is always used at the model's size.
  /// Off by default: on the phantoms (ResNet50, random trunk, 160/100/200, docs/benchmarks.md)
  /// it started faster (0.31-0.42 held-out at 50 labels against 0.08-0.35) but was no better at
  /// 300 labels (0.82-0.88 against 0.80-0.87 over two training seeds).
  struct ProgressiveResize {
    bool enabled = false;
    int startSize = 160;
    std::int64_t startSizeUntilLabels = 100;
    std::int64_t fullSizeFromLabels = 200;
    /// After each smaller step, BatchNorm statistics come from a pass without gradients over
    /// kMinBatchNormImages of the batch's views at the model's size (about a third more work
    /// per step), so that the published model's statistics fit the size it is used at.
    bool statisticsAtModelSize = true;
  };
  ProgressiveResize progressive;
  /// Distinct augmented views per image; view 0 is the image itself. Views of a frozen trunk
  /// are cached, so frozen modes keep few; std::nullopt: 4 in head and layer4 modes, unbounded
  /// (a fresh view per draw) in full mode, where nothing is cached.
  std::optional<int> viewsPerImage;

  /// Learn while the reader reads: with no label waiting the trainer keeps taking steps over the
  /// labelled images (class-balanced, the newest weighted up), yielding to inference between
  /// micro-batches and to new labels between steps, until its stopping rule holds (below).
  bool idleTraining = true;
  /// Stopping rule of idle training: after this many passes over the labelled images since the
  /// last new label, or once every image of the last pass was predicted right (with at least
  /// idleMinEpochs passes), the trainer rests until the next label.
  double idleMaxEpochs = 40;
  double idleMinEpochs = 4;
  /// A label that arrives while an idle step has done less than this share of a step's usual
  /// time abandons that step (checked after each block of the forward and the backward pass)
  /// and is trained at once; later in the step it waits for the step to end. A label arriving
  /// mid-step otherwise waited half a step on average before its own (label -> published 1.6 s
  /// median in a paced session against 1.0 s at rest); 1 abandons any, 0 none (the work of an
  /// abandoned step is lost: 0.6 loses a fifth of a step per label on average). After an
  /// abandoned step the next idle step is not abandoned unless one has finished since.
  double preemptIdleStepBefore = 0.6;
  /// While training idly, a new snapshot is published at most this often (a ResNet50 snapshot
  /// copies 100 MB, and the inference side copies it in again).
  std::chrono::milliseconds publishEvery{1500};

  /// Linux: the trainer thread (and the OpenMP team it starts) runs at this nice level, so an
  /// explanation asked for mid-step gets the cores at once instead of sharing them with the
  /// micro-batch under way (measured at 19: Grad-CAM during training went from 1.86x to 1.00x
  /// of its idle time). 0 leaves the priority alone.
  int niceness = 10;

  int snapshotEvery = 10;  ///< write version vK after every this many trained labels; 0: never
  /// Which labels the trainer is given, recorded in each version (metrics "labels_from"): e.g.
  /// "team consensus" in a team project (issue 15). Called on the trainer's thread; empty:
  /// nothing recorded (the workstation's own labels).
  std::function<std::string()> labelSource;
  /// Version files that keep the full training state (the trained weights and Adam's two moments
  /// beside the weights the version shows): the newest this many of the trainer's line. An older
  /// version's file is rewritten, atomically, with the weights it shows only (what a comparison,
  /// an evaluation, a figure or a colleague loads), a quarter of the size for ResNet50: a
  /// 240-label session with a version every 10 labels took 8.5 GB with every version full. A
  /// session resumes or rolls back to such a version with a fresh optimizer (its warm-up
  /// started again). Two by default, so that a torn newest file leaves a full one behind it;
  /// 0: every version keeps everything.
  int fullStateVersions = 2;
  std::filesystem::path modelsDir;                  ///< where <scheme>_v<K>.pt files go
  std::size_t cacheBytes = std::size_t{384} << 20;  ///< decoded images + frozen features
};

/// Does this CPU multiply bfloat16 natively (AVX512-BF16 or AMX-BF16)? Where it does not, oneDNN
/// emulates bfloat16 and training in it is slower than in float32.
bool cpuHasNativeBFloat16();

/// The side of the training inputs under progressive resizing with `labels` labels in: the
/// model's side when it is off, at or past fullSizeFromLabels, or not larger than startSize.
int progressiveInputSize(const TrainerOptions::ProgressiveResize& resize, int modelSize,
                         std::int64_t labels);

/// The checkpoint file of version `version` of a scheme: "<scheme>_v<version>.pt", one file
/// name in the models folder whatever the scheme's name says: path separators, characters
/// Windows does not allow in a name, control characters and a leading dot become '_'.
std::string versionFileName(std::string_view schemeName, int version);
/// What every version file name of a scheme starts with: "<scheme>_v", made safe as above.
std::string versionFilePrefix(std::string_view schemeName);

/// Weights published after an update: immutable, shared by every reader that holds it.
struct Snapshot {
  std::uint64_t serial = 0;      ///< grows with every publication; 0 = the model before training
  int version = 0;               ///< the last checkpoint version written (0: none yet)
  std::int64_t labelsSeen = 0;   ///< labels trained since the base model
  std::int64_t lastLabelId = 0;  ///< the newest label row trained
  std::int64_t labelsAtVersion = 0;  ///< labelsSeen when `version` was written
  /// The weights, by torchvision name. Opaque to Torch-free code.
  std::shared_ptr<const model::StateDict> weights;
  /// What a user is told produced a prediction: version and labels learned since it.
  [[nodiscard]] ModelName name() const;
  /// name() in English: "v2 + 3 labels", "v3", "base".
  [[nodiscard]] std::string describe() const { return name().describe(); }
};

/// Images BatchNorm statistics are taken from, at least (issue 13: never from two).
inline constexpr int kMinBatchNormImages = 8;

struct TrainerStatus {
  std::size_t queued = 0;           ///< labels waiting for their steps
  std::int64_t labelsSeen = 0;      ///< labels trained
  std::int64_t steps = 0;           ///< optimizer steps since start
  double lastLoss = 0;              ///< mean loss of the last step (0 before any)
  int version = 0;                  ///< last checkpoint version
  bool busy = false;                ///< a label's step is running
  bool refining = false;            ///< training idly on the labelled images (no label waiting)
  std::int64_t idleSteps = 0;       ///< of steps, those taken idly
  std::int64_t abandonedSteps = 0;  ///< idle steps given up for a new label (not in steps)
  int inputSide = 0;  ///< pixels per side of the last step's inputs (progressive resizing); 0: none
  bool bfloat16 = false;  ///< training passes run in bfloat16 (TrainerOptions::bfloat16)
  std::string lastError;  ///< the last problem reported (image unreadable, disk full)
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
  /// An older version's file now holds the weights it shows only (fullStateVersions): its
  /// sha256 changed, its version, labels and weights shown did not.
  virtual void checkpointThinned(const CheckpointWritten& /*checkpoint*/) {}
  /// A problem that did not stop training, e.g. an unreadable image or a failed checkpoint.
  virtual void trainerProblem(const std::string& /*message*/) {}
  /// What status() says has changed: labels taken or trained, a step taken or given up, idle
  /// training begun or rested, a version written, a problem reported. As often as steps are
  /// taken: it must only hand the news on.
  virtual void statusChanged() {}
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
  /// The mode in force (options().mode resolved for this trunk).
  TrainingMode mode() const;

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

  /// Waits until every label submitted so far is trained and published (idle training may go
  /// on). False on timeout.
  bool waitUntilIdle(std::chrono::milliseconds timeout);

  /// Writes the current weights as the next version now, if any label or idle step was trained
  /// since the last one (BatchNorm statistics recomputed first), and returns it. Only while the
  /// worker is stopped (e.g. on close after stop()); throws Error otherwise.
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
