// SPDX-License-Identifier: Apache-2.0
#pragma once

// Include only where tensors are used: this header brings in ATen's Tensor, not all of torch.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "core/model/state_dict_reader.h"

namespace torch::nn {
class Module;
}

namespace camlabel::model {

/// The shape of a bottleneck ResNet as torchvision builds it (ResNet V1.5: stride on the 3x3).
struct ResNetConfig {
  std::array<int, 4> blocks{3, 4, 6, 3};  // bottleneck blocks in layer1..layer4
  int width = 64;                         // stem channels; layer k has width * 2^(k-1) planes
  int numClasses = 1000;

  static ResNetConfig resnet50(int numClasses = 1000) { return {{3, 4, 6, 3}, 64, numClasses}; }
  /// Channels of layer k's output (k in 1..4): width * 2^(k-1) * 4.
  int channels(int layer) const { return width * (1 << (layer - 1)) * 4; }
  bool operator==(const ResNetConfig&) const = default;
};

/// A network by the name users give it: "resnet50" (the product), or "tiny" (blocks {1,1,1,1},
/// width 8: for tests and quick trials on slow machines). std::nullopt for anything else.
std::optional<ResNetConfig> namedNetwork(std::string_view name);

/// The four stages whose activations CAM methods use.
enum class ResNetLayer { kLayer1 = 1, kLayer2 = 2, kLayer3 = 3, kLayer4 = 4 };

/// "layer1".."layer4"; std::nullopt for anything else.
std::optional<ResNetLayer> parseResNetLayer(std::string_view name);
std::string_view resNetLayerName(ResNetLayer layer);

/// A ResNet whose parameters and buffers carry torchvision's state_dict names (conv1.weight,
/// bn1.running_mean, layer1.0.downsample.1.num_batches_tracked, ..., fc.bias), built from
/// torch::nn modules kept private. Like a torch::nn::Module it is used by one thread at a time;
/// moving it is cheap (a moved-from ResNet may only be destroyed or assigned), copying is not
/// offered.
class ResNet {
 public:
  /// Weights as torch::nn initialises them; see initializeRandom for torchvision's scheme.
  explicit ResNet(const ResNetConfig& config = ResNetConfig{});
  ~ResNet();
  ResNet(ResNet&&) noexcept;
  ResNet& operator=(ResNet&&) noexcept;
  ResNet(const ResNet&) = delete;
  ResNet& operator=(const ResNet&) = delete;

  const ResNetConfig& config() const;

  /// Called with the output of the stem and of each bottleneck block, in order, as a pass goes
  /// through them: it may register a gradient hook on the activation (one per block of the
  /// backward pass) or throw to give the pass up. Empty: nothing is called.
  using BlockObserver = std::function<void(const at::Tensor& activation)>;

  /// Logits (N, numClasses) of a normalised float batch (N, 3, H, W) on the model's device.
  at::Tensor forward(const at::Tensor& input, const BlockObserver& afterBlock = {});
  /// The activation of `layer` (N, channels(layer), h, w): the stem and layers up to `layer`.
  at::Tensor features(const at::Tensor& input, ResNetLayer layer);
  /// Logits from the activation of `layer`: the layers after it, pooling and fc. So
  /// head(features(x, L), L) == forward(x), and CAM methods can run the trunk without autograd.
  /// afterBlock sees the output of each block after `layer`.
  at::Tensor head(const at::Tensor& activation, ResNetLayer layer,
                  const BlockObserver& afterBlock = {});

  void train(bool on = true);
  void eval() { train(false); }
  bool isTraining() const;
  void to(c10::Device device);

  /// Parameters and buffers under torchvision's names, in torchvision's state_dict order. The
  /// tensors are the model's own (writes through them change the model).
  StateDict stateDict() const;

  /// The underlying module, for optimisers and serialisation.
  torch::nn::Module& module();
  const torch::nn::Module& module() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Whether loading weights also loads the classifier (fc.weight, fc.bias).
enum class HeadWeights {
  kLoad,            // the file's fc must match the model's classes exactly
  kKeepInitialized  // load the trunk only: for a new head of K classes
};

/// Copies a state_dict into the model (under NoGradGuard, onto the model's device). Every key the
/// model expects must be present with its exact shape (except batch norms' num_batches_tracked,
/// which files older than PyTorch 0.4.1 lack: set to 0 then); the model is unchanged unless all
/// are.
/// Throws InputError(source, reason) listing missing, unexpected and mismatched keys.
void loadStateDict(ResNet& model, const StateDict& weights, HeadWeights head,
                   const std::string& source);

/// The checks of loadStateDict without the copy: throws InputError(source, reason) listing
/// missing, unexpected and mismatched keys unless weights would load into model.
void checkStateDict(const ResNet& model, const StateDict& weights, HeadWeights head,
                    const std::string& source);

/// Reads torchvision weights (e.g. resnet50-11ad3fa6.pth, zip or legacy format) into the model.
/// Throws InputError naming the file.
void loadTorchvisionWeights(ResNet& model, const std::filesystem::path& path,
                            HeadWeights head = HeadWeights::kLoad);

/// torchvision's initialisation (Kaiming-normal fan-out convs, unit batch norms, PyTorch's
/// default Linear), drawn from a private generator seeded with `seed`: the same seed gives the
/// same weights on any device, and the global torch seed is left alone.
void initializeRandom(ResNet& model, std::uint64_t seed);

/// The network a project starts from (its model "base"): initializeRandom(seed), then the trunk
/// of a torchvision weights file when there is one, the head kept as initialised (a class
/// scheme's head is new). Throws InputError for a weights file that cannot be used.
void initializeBase(ResNet& model, std::uint64_t seed,
                    const std::optional<std::filesystem::path>& weights);

}  // namespace camlabel::model
