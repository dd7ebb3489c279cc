// SPDX-License-Identifier: Apache-2.0
#pragma once
// A checkpoint: one file holding a model's weights, its optimizer's state and what a resumed
// session must know about them. Include only where the optimizer is used.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/model/resnet.h"

namespace torch::optim {
class Optimizer;
}

namespace camlabel::model {

/// Bumped when the layout changes; readers refuse newer formats with a clear error.
inline constexpr int kCheckpointFormat = 1;

/// What a checkpoint says about itself, readable without loading any tensor.
struct CheckpointInfo {
  int format = kCheckpointFormat;
  ResNetConfig config;                  ///< the architecture (numClasses = scheme's classes)
  std::string schemeName;               ///< e.g. "pattern"
  std::vector<std::string> classNames;  ///< the scheme's English names, in index order
  std::string baseWeightsSha256;        ///< SHA-256 of the torchvision file; empty: random init
  std::string trainingMode;             ///< "head", "layer4" or "full"
  int version = 0;                      ///< K of vK
  std::int64_t labelCount = 0;          ///< labels the model has been trained on
  std::int64_t lastLabelId = 0;         ///< the newest label row it has been trained on
  std::string createdTime;              ///< ISO 8601 UTC
  std::string appVersion;               ///< camlabel version that wrote it
  nlohmann::json metrics = nlohmann::json::object();  ///< e.g. prequential accuracy, loss
  /// The kind of optimizer whose state the file holds ("Adam", "AdamW", "SGD", ...); empty when
  /// it holds the weights only. Set by the reader; ignored by writeCheckpoint, which records the
  /// optimizer it is given.
  std::string optimizer;
};

/// Writes model + optimizer (may be null) + info to `path` atomically: a temporary file in the
/// same folder, fsync, rename, fsync of the folder. A crash leaves either the old file or the new
/// one, never a mix. The file ends with a SHA-256 of everything before it, so a torn or altered
/// file is detected on read. The architecture is taken from `model` (info.config is ignored),
/// appVersion is camlabel::kVersion, and an empty createdTime is filled with the current time.
/// Throws camlabel::Error naming the file (e.g. disk full, or info.classNames not matching the
/// model's number of classes); the previous file at `path`, if any, is then left untouched.
///
/// `shown`: the weights the version shows when they are not the trained ones (the trainer's
/// moving average, TrainerOptions::averageDecay), by name; names it lacks are taken from model.
/// The file's model weights, which every reader loads, are then these, and model's own (trained)
/// weights are kept beside them so that training resumes exactly where it stopped.
void writeCheckpoint(const std::filesystem::path& path, const ResNet& model,
                     const torch::optim::Optimizer* optimizer, const CheckpointInfo& info,
                     const StateDict* shown = nullptr);

/// Whether the file starts with a checkpoint's magic (nothing else is checked): a camlabel
/// checkpoint, perhaps torn, rather than some other file such as a torchvision .pth.
bool isCheckpointFile(const std::filesystem::path& path);

/// Reads and verifies the whole file (magic, format, length, checksum) and returns its info.
/// Throws camlabel::InputError(path, reason) for a missing, truncated, torn or foreign file and
/// for a format newer than kCheckpointFormat.
CheckpointInfo readCheckpointInfo(const std::filesystem::path& path);

/// A sound checkpoint made for another class scheme or architecture: not damage, so a resumed
/// session must not skip past it to an older version.
class CheckpointMismatch : public InputError {
 public:
  using InputError::InputError;
};

/// What the model being loaded into must match.
struct CheckpointExpectation {
  ResNetConfig config;
  std::string schemeName;
  std::vector<std::string> classNames;
};

/// Verifies the file as readCheckpointInfo does, checks that it matches `expected` (architecture
/// and class scheme; a mismatch is an InputError saying which, e.g. "made for class scheme
/// 'features' (10 classes), the project uses 'pattern'"), then loads the weights into `model`
/// and, when `optimizer` is not null, the optimizer's state (the optimizer must be of the kind that
/// wrote it and built over model's parameters with the same parameter groups in the same order;
/// its state is replaced, its options such as learning rates are kept). A file written without an
/// optimizer loads with optimizer == nullptr (e.g. for inference); with an optimizer it is an
/// InputError, since resuming without the optimizer's state would silently change training
/// (check info.optimizer first to decide). The model and optimizer are left unchanged when
/// anything fails.
///
/// With an optimizer (resuming training), model gets the trained weights, and `shown`, when not
/// null, the weights the version shows if the file keeps them apart (see writeCheckpoint; empty
/// otherwise). Without an optimizer, model gets the weights the version shows.
///
/// `withoutOptimizerState`: what to do with an optimizer and a file that holds none. kRefuse (the
/// default) is the InputError above; kLoadWeights loads the weights the version shows as an
/// inference load does, leaves the optimizer untouched and returns info.optimizer empty, so that
/// a caller that knows what it does (a trainer starting a fresh optimizer from an older version
/// kept with its shown weights only) can go on.
enum class WithoutOptimizerState { kRefuse, kLoadWeights };
CheckpointInfo loadCheckpoint(
    const std::filesystem::path& path, ResNet& model, torch::optim::Optimizer* optimizer,
    const CheckpointExpectation& expected, StateDict* shown = nullptr,
    WithoutOptimizerState withoutOptimizerState = WithoutOptimizerState::kRefuse);

}  // namespace camlabel::model
