// SPDX-License-Identifier: Apache-2.0
#include "core/model/resnet.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "core/common/error.h"

namespace camlabel::model {

namespace {

// Bottleneck blocks widen their planes by this factor (torchvision's Bottleneck.expansion).
constexpr int kExpansion = 4;

// Registration order and names follow torchvision's Bottleneck, so that state_dict keys match.
struct BottleneckImpl : torch::nn::Module {
  BottleneckImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride) {
    using torch::nn::BatchNorm2d;
    using torch::nn::Conv2d;
    using torch::nn::Conv2dOptions;
    conv1 = register_module("conv1", Conv2d(Conv2dOptions(inplanes, planes, 1).bias(false)));
    bn1 = register_module("bn1", BatchNorm2d(planes));
    conv2 = register_module(
        "conv2", Conv2d(Conv2dOptions(planes, planes, 3).stride(stride).padding(1).bias(false)));
    bn2 = register_module("bn2", BatchNorm2d(planes));
    conv3 =
        register_module("conv3", Conv2d(Conv2dOptions(planes, planes * kExpansion, 1).bias(false)));
    bn3 = register_module("bn3", BatchNorm2d(planes * kExpansion));
    if (stride != 1 || inplanes != planes * kExpansion) {
      downsample = register_module(
          "downsample",
          torch::nn::Sequential(
              Conv2d(Conv2dOptions(inplanes, planes * kExpansion, 1).stride(stride).bias(false)),
              BatchNorm2d(planes * kExpansion)));
    }
  }

  at::Tensor forward(const at::Tensor& x) {
    at::Tensor out = bn1(conv1(x)).relu_();
    out = bn2(conv2(out)).relu_();
    out = bn3(conv3(out));
    out += downsample ? downsample->forward(x) : x;
    return out.relu_();
  }

  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

struct ResNetNetImpl : torch::nn::Module {
  explicit ResNetNetImpl(const ResNetConfig& config) {
    using torch::nn::Conv2dOptions;
    const std::int64_t width = config.width;
    conv1 = register_module(
        "conv1", torch::nn::Conv2d(Conv2dOptions(3, width, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(width));
    std::int64_t inplanes = width;
    for (int k = 0; k < 4; ++k) {
      const std::int64_t planes = width << k;
      torch::nn::Sequential layer;
      for (int b = 0; b < config.blocks[k]; ++b) {
        layer->push_back(Bottleneck(inplanes, planes, b == 0 && k > 0 ? 2 : 1));
        inplanes = planes * kExpansion;
      }
      layers[k] = register_module("layer" + std::to_string(k + 1), layer);
    }
    fc = register_module("fc", torch::nn::Linear(inplanes, config.numClasses));
  }

  at::Tensor features(const at::Tensor& x, int upTo, const ResNet::BlockObserver& afterBlock = {}) {
    at::Tensor h = at::max_pool2d(bn1(conv1(x)).relu_(), {3, 3}, {2, 2}, {1, 1});
    if (afterBlock) afterBlock(h);
    return blocks(h, 0, upTo, afterBlock);
  }

  at::Tensor head(const at::Tensor& activation, int from,
                  const ResNet::BlockObserver& afterBlock = {}) {
    const at::Tensor h = blocks(activation, from, 4, afterBlock);
    return fc(at::adaptive_avg_pool2d(h, {1, 1}).flatten(1));
  }

  /// Layers from+1..upTo (1-based names), block by block when someone watches.
  at::Tensor blocks(at::Tensor h, int from, int upTo, const ResNet::BlockObserver& afterBlock) {
    for (int k = from; k < upTo; ++k) {
      if (!afterBlock) {
        h = layers[k]->forward(h);
        continue;
      }
      for (std::size_t b = 0; b < layers[k]->size(); ++b) {
        h = layers[k]->at<BottleneckImpl>(b).forward(h);
        afterBlock(h);
      }
    }
    return h;
  }

  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  std::array<torch::nn::Sequential, 4> layers{nullptr, nullptr, nullptr, nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(ResNetNet);

void validate(const ResNetConfig& config) {
  for (int blocks : config.blocks) {
    if (blocks < 1) throw Error("a ResNet layer needs at least one block");
  }
  if (config.width < 1 || config.width > 1024) throw Error("ResNet width out of range");
  if (config.numClasses < 1) throw Error("a ResNet needs at least one class");
}

std::string describe(const ResNetConfig& config) {
  std::ostringstream out;
  out << "ResNet with blocks [" << config.blocks[0] << ", " << config.blocks[1] << ", "
      << config.blocks[2] << ", " << config.blocks[3] << "], width " << config.width << ", "
      << config.numClasses << " classes";
  return out.str();
}

std::string shapeText(const at::Tensor& t) {
  std::ostringstream out;
  out << t.sizes() << " " << t.scalar_type();
  return out.str();
}

// At most this many names are listed per kind of problem, so that a foreign file gives a
// readable message.
constexpr std::size_t kMaxListed = 8;

void appendList(std::string& reason, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  if (!reason.empty()) reason += "; ";
  reason += title;
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) {
    reason += (i == 0 ? " " : ", ") + items[i];
  }
  if (items.size() > kMaxListed) {
    reason += " (and " + std::to_string(items.size() - kMaxListed) + " more)";
  }
}

bool isHeadKey(const std::string& name) {
  return name.rfind("fc.", 0) == 0;
}

// Files saved before PyTorch 0.4.1 have no num_batches_tracked; PyTorch loads them with the
// counter at 0, and eval-mode outputs do not depend on it.
bool isBatchCounter(const std::string& name) {
  constexpr std::string_view kSuffix = ".num_batches_tracked";
  return name.size() > kSuffix.size() &&
         name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

}  // namespace

std::optional<ResNetLayer> parseResNetLayer(std::string_view name) {
  if (name == "layer1") return ResNetLayer::kLayer1;
  if (name == "layer2") return ResNetLayer::kLayer2;
  if (name == "layer3") return ResNetLayer::kLayer3;
  if (name == "layer4") return ResNetLayer::kLayer4;
  return std::nullopt;
}

std::string_view resNetLayerName(ResNetLayer layer) {
  switch (layer) {
    case ResNetLayer::kLayer1:
      return "layer1";
    case ResNetLayer::kLayer2:
      return "layer2";
    case ResNetLayer::kLayer3:
      return "layer3";
    case ResNetLayer::kLayer4:
      return "layer4";
  }
  return "";
}

struct ResNet::Impl {
  explicit Impl(const ResNetConfig& c) : config(c), net(c) {}
  ResNetConfig config;
  ResNetNet net;
};

ResNet::ResNet(const ResNetConfig& config) {
  validate(config);
  impl_ = std::make_unique<Impl>(config);
}
ResNet::~ResNet() = default;
ResNet::ResNet(ResNet&&) noexcept = default;
ResNet& ResNet::operator=(ResNet&&) noexcept = default;

const ResNetConfig& ResNet::config() const {
  return impl_->config;
}

at::Tensor ResNet::forward(const at::Tensor& input, const BlockObserver& afterBlock) {
  return impl_->net->head(impl_->net->features(input, 4, afterBlock), 4);
}

at::Tensor ResNet::features(const at::Tensor& input, ResNetLayer layer) {
  return impl_->net->features(input, static_cast<int>(layer));
}

at::Tensor ResNet::head(const at::Tensor& activation, ResNetLayer layer,
                        const BlockObserver& afterBlock) {
  return impl_->net->head(activation, static_cast<int>(layer), afterBlock);
}

std::optional<ResNetConfig> namedNetwork(std::string_view name) {
  if (name == "resnet50") return ResNetConfig::resnet50();
  if (name == "tiny") return ResNetConfig{{1, 1, 1, 1}, 8, 10};
  return std::nullopt;
}

void ResNet::train(bool on) {
  impl_->net->train(on);
}
bool ResNet::isTraining() const {
  return impl_->net->is_training();
}
void ResNet::to(c10::Device device) {
  impl_->net->to(device);
}

torch::nn::Module& ResNet::module() {
  return *impl_->net;
}
const torch::nn::Module& ResNet::module() const {
  return *impl_->net;
}

StateDict ResNet::stateDict() const {
  // PyTorch's state_dict order: each module's own parameters, then its buffers, modules in
  // pre-order. Undefined tensors (a conv's absent bias) are not entries.
  StateDict out;
  for (const auto& item : impl_->net->named_modules("", /*include_self=*/true)) {
    const std::string prefix = item.key().empty() ? "" : item.key() + ".";
    for (const auto& p : item.value()->named_parameters(/*recurse=*/false)) {
      if (p.value().defined()) out.emplace_back(prefix + p.key(), p.value());
    }
    for (const auto& b : item.value()->named_buffers(/*recurse=*/false)) {
      if (b.value().defined()) out.emplace_back(prefix + b.key(), b.value());
    }
  }
  return out;
}

namespace {

std::map<std::string, const at::Tensor*> byName(const StateDict& weights) {
  std::map<std::string, const at::Tensor*> given;
  for (const auto& [name, tensor] : weights)
    given.emplace(name, &tensor);
  return given;
}

}  // namespace

void checkStateDict(const ResNet& model, const StateDict& weights, HeadWeights head,
                    const std::string& source) {
  const bool skipHead = head == HeadWeights::kKeepInitialized;
  const std::map<std::string, const at::Tensor*> given = byName(weights);
  const StateDict expected = model.stateDict();
  std::vector<std::string> missing, mismatched, unexpected;
  std::set<std::string> known;
  for (const auto& [name, target] : expected) {
    known.insert(name);
    if (skipHead && isHeadKey(name)) continue;
    const auto it = given.find(name);
    if (it == given.end()) {
      if (!isBatchCounter(name)) missing.push_back(name);
      continue;
    }
    const at::Tensor& stored = *it->second;
    if (stored.sizes() != target.sizes() ||
        at::isFloatingType(stored.scalar_type()) != at::isFloatingType(target.scalar_type())) {
      mismatched.push_back(name + " is " + shapeText(stored) + " in the file but " +
                           shapeText(target) + " in the model");
    }
  }
  for (const auto& [name, tensor] : weights) {
    if (skipHead && isHeadKey(name)) continue;
    if (known.count(name) == 0) unexpected.push_back(name);
  }

  std::string reason;
  appendList(reason, "missing keys:", missing);
  appendList(reason, "unexpected keys:", unexpected);
  appendList(reason, "wrong shapes:", mismatched);
  if (!reason.empty()) {
    throw InputError(
        source, "the weights do not fit the " + describe(model.config()) + " (" + reason + ")");
  }
}

void loadStateDict(ResNet& model, const StateDict& weights, HeadWeights head,
                   const std::string& source) {
  checkStateDict(model, weights, head, source);
  const bool skipHead = head == HeadWeights::kKeepInitialized;
  const std::map<std::string, const at::Tensor*> given = byName(weights);
  const StateDict expected = model.stateDict();
  torch::NoGradGuard noGrad;
  for (const auto& [name, target] : expected) {
    if (skipHead && isHeadKey(name)) continue;
    // copy_ converts dtype and device; `target` shares storage with the model.
    at::Tensor destination = target;
    const auto it = given.find(name);
    if (it != given.end()) {
      destination.copy_(*it->second);
    } else {
      destination.zero_();  // a batch counter the file predates, as PyTorch's BatchNorm does
    }
  }
}

void loadTorchvisionWeights(ResNet& model, const std::filesystem::path& path, HeadWeights head) {
  loadStateDict(model, readStateDict(path), head, path.string());
}

void initializeRandom(ResNet& model, std::uint64_t seed) {
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto cpuFloat = at::TensorOptions().dtype(at::kFloat);
  torch::NoGradGuard noGrad;
  // Values are drawn on the CPU and copied, so the result does not depend on the device.
  auto fill = [](at::Tensor target, const at::Tensor& values) { target.copy_(values); };
  for (const auto& item : model.module().named_modules("", /*include_self=*/true)) {
    torch::nn::Module& m = *item.value();
    if (auto* conv = m.as<torch::nn::Conv2d>()) {
      const at::Tensor& w = conv->weight;
      const double fanOut = static_cast<double>(w.size(0) * w.size(2) * w.size(3));
      fill(w, at::empty(w.sizes(), cpuFloat).normal_(0.0, std::sqrt(2.0 / fanOut), generator));
    } else if (auto* bn = m.as<torch::nn::BatchNorm2d>()) {
      bn->weight.fill_(1.0);
      bn->bias.zero_();
      bn->running_mean.zero_();
      bn->running_var.fill_(1.0);
      bn->num_batches_tracked.zero_();
    } else if (auto* linear = m.as<torch::nn::Linear>()) {
      // PyTorch's default: kaiming_uniform(a=sqrt(5)) == U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
      const double bound = 1.0 / std::sqrt(static_cast<double>(linear->weight.size(1)));
      fill(linear->weight,
           at::empty(linear->weight.sizes(), cpuFloat).uniform_(-bound, bound, generator));
      fill(linear->bias,
           at::empty(linear->bias.sizes(), cpuFloat).uniform_(-bound, bound, generator));
    }
  }
}

void initializeBase(ResNet& model, std::uint64_t seed,
                    const std::optional<std::filesystem::path>& weights) {
  initializeRandom(model, seed);
  if (weights) loadTorchvisionWeights(model, *weights, HeadWeights::kKeepInitialized);
}

}  // namespace camlabel::model
