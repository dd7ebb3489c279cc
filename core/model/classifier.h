// SPDX-License-Identifier: Apache-2.0
#pragma once

// Include only where tensors are used: this header brings in ATen's Tensor, not all of torch.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/model/resnet.h"

namespace camlabel::model {

/// A class scheme replaces ImageNet's head with at most this many classes.
inline constexpr int kMaxSchemeClasses = 10;

struct ClassifierOptions {
  /// torchvision weights (zip or legacy .pth). Without a file every weight is seeded random.
  std::optional<std::filesystem::path> weights;
  /// Seeds the random weights: the whole network without a file, a replaced head with one.
  std::uint64_t seed = 0;
  /// Empty: the network's own head (ImageNet's 1000 classes for resnet50). Otherwise 2..10 class
  /// names: the head is replaced by a new, untrained one and only the trunk comes from the file.
  std::vector<std::string> classNames;
  c10::Device device = c10::kCPU;
  /// The network's shape; tests use a tiny one. numClasses is overridden by classNames.
  ResNetConfig config = ResNetConfig::resnet50();
  imaging::ModelInputSpec inputSpec;
};

struct ModelInfo {
  std::string architecture;  ///< "resnet50", or the blocks and width of another ResNet
  std::string source;        ///< "torchvision weights <file name>" or "untrained (seed N)"
  int numClasses = 0;
  std::string device;          ///< as torch writes it: "cpu", "cuda:0"
  bool untrained = false;      ///< no weights file: every weight is random
  bool headUntrained = false;  ///< the head was replaced for a class scheme and not trained yet
};

struct ClassScore {
  int index = 0;
  std::string name;
  double probability = 0;  ///< softmax over all logits, in (0, 1]
};

struct Prediction {
  std::vector<ClassScore> top;  ///< most probable first
  /// True when the prediction is meaningless: random weights or a head not trained yet.
  bool untrained = false;
};

/// Parses "cpu", "cuda" or "cuda:N". Throws Error with the accepted forms on anything else, and
/// when CUDA (or device N) is not available in this LibTorch build on this machine.
c10::Device parseDevice(std::string_view text);

/// Lets LibTorch's CPU kernels use every processor this process may run on, unless the user set
/// OMP_NUM_THREADS. LibTorch's own default can be lower than the machine has (measured: 1 thread
/// on a 2-core virtual machine, so the app used half of it). Call once, early in main(). Returns
/// the number of threads now used.
int useAllProcessors();

/// A ResNet classifier with its class names and where its weights came from. Like a
/// torch::nn::Module it is used by one thread at a time; movable (a moved-from Classifier may
/// only be destroyed or assigned), not copyable.
class Classifier {
 public:
  /// Builds the network on options.device. Throws InputError for a weights file that cannot be
  /// used and Error for a bad class scheme.
  explicit Classifier(const ClassifierOptions& options = {});
  /// A network already loaded (e.g. a project's version): moved to `device` in eval mode, with
  /// its class names (one per output) and where it came from (info().source). Throws Error when
  /// the names do not match the network's outputs.
  Classifier(ResNet network, const ResNetConfig& config, std::vector<std::string> classNames,
             std::string source, imaging::ModelInputSpec inputSpec, c10::Device device);
  ~Classifier();
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  const ModelInfo& info() const;
  const std::vector<std::string>& classNames() const;
  const imaging::ModelInputSpec& inputSpec() const;

  /// The topK (clamped to the number of classes, >= 1) most probable classes of the image seen
  /// through `window`, preprocessed as imaging::preprocessForModel does. Throws Error if topK < 1.
  Prediction predict(const imaging::CtImage& image, imaging::Window window, int topK = 5);
  /// The same from a preprocessed batch of one, (1, 3, H, W) float on any device.
  Prediction predictInput(const at::Tensor& input, int topK = 5);

  /// The network itself, for feature maps, training and explanations.
  ResNet& network();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace camlabel::model
