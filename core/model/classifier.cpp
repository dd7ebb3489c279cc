// SPDX-License-Identifier: Apache-2.0
#include "core/model/classifier.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>
#include <torch/utils.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "core/common/error.h"
#include "core/model/class_names.h"
#include "core/model/input_tensor.h"
#include "core/model/top_classes.h"

namespace camlabel::model {

namespace {

std::string architectureName(const ResNetConfig& config) {
  if (config.blocks == ResNetConfig::resnet50().blocks && config.width == 64) return "resnet50";
  std::ostringstream out;
  out << "resnet (blocks " << config.blocks[0] << ',' << config.blocks[1] << ',' << config.blocks[2]
      << ',' << config.blocks[3] << ", width " << config.width << ')';
  return out.str();
}

std::vector<std::string> defaultNames(int numClasses) {
  if (numClasses == static_cast<int>(imagenetClassNames().size())) return imagenetClassNames();
  std::vector<std::string> names;
  for (int i = 0; i < numClasses; ++i)
    names.push_back("class " + std::to_string(i));
  return names;
}

}  // namespace

int useAllProcessors() {
  const char* fromUser = std::getenv("OMP_NUM_THREADS");
  if (fromUser == nullptr || *fromUser == '\0') {
    const auto processors = static_cast<int>(std::thread::hardware_concurrency());
    if (processors > at::get_num_threads()) at::set_num_threads(processors);
  }
  return at::get_num_threads();
}

c10::Device parseDevice(std::string_view text) {
  if (text == "cpu") return c10::kCPU;
  int index = -1;
  if (text.substr(0, 5) == "cuda:") {
    const std::string_view digits = text.substr(5);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || index < 0)
      index = -2;
  } else if (text != "cuda") {
    index = -2;
  }
  if (index == -2) {
    throw Error("unknown device '" + std::string(text) + "': use cpu, cuda or cuda:N");
  }
  if (!torch::cuda::is_available()) {
    throw Error("device '" + std::string(text) +
                "' requested but CUDA is not available (this LibTorch has no CUDA support or no "
                "GPU is present): use cpu");
  }
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (index >= count) {
    throw Error("device '" + std::string(text) + "' requested but only " + std::to_string(count) +
                " CUDA device(s) are present");
  }
  return {c10::kCUDA, static_cast<c10::DeviceIndex>(index < 0 ? 0 : index)};
}

struct Classifier::Impl {
  ResNet net;
  ModelInfo info;
  std::vector<std::string> names;
  imaging::ModelInputSpec spec;
  c10::Device device;

  Impl(ResNetConfig config, c10::Device dev) : net(config), device(dev) {}
  Impl(ResNet network, c10::Device dev) : net(std::move(network)), device(dev) {}
};

Classifier::Classifier(const ClassifierOptions& options) {
  ResNetConfig config = options.config;
  const bool replaceHead = !options.classNames.empty();
  if (replaceHead) {
    const auto k = static_cast<int>(options.classNames.size());
    if (k < 2 || k > kMaxSchemeClasses) {
      throw Error("a class scheme needs 2 to " + std::to_string(kMaxSchemeClasses) +
                  " classes, not " + std::to_string(k));
    }
    for (const std::string& name : options.classNames)
      if (name.empty()) throw Error("a class scheme has a class without a name");
    config.numClasses = k;
  }
  if (options.inputSpec.size < 32) {
    throw Error("model input size " + std::to_string(options.inputSpec.size) +
                " is too small (at least 32 pixels)");
  }

  auto impl = std::make_unique<Impl>(config, options.device);
  // The seeded draw also initialises a replaced head; the file then overwrites the trunk.
  initializeRandom(impl->net, options.seed);
  if (options.weights) {
    loadTorchvisionWeights(impl->net, *options.weights,
                           replaceHead ? HeadWeights::kKeepInitialized : HeadWeights::kLoad);
  }
  impl->net.to(options.device);
  impl->net.eval();

  impl->names = replaceHead ? options.classNames : defaultNames(config.numClasses);
  impl->spec = options.inputSpec;
  ModelInfo& info = impl->info;
  info.architecture = architectureName(config);
  info.source = options.weights ? "torchvision weights " + options.weights->filename().string()
                                : "untrained (seed " + std::to_string(options.seed) + ")";
  info.numClasses = config.numClasses;
  info.device = options.device.str();
  info.untrained = !options.weights;
  info.headUntrained = replaceHead;
  impl_ = std::move(impl);
}

Classifier::~Classifier() = default;
Classifier::Classifier(ResNet network, const ResNetConfig& config,
                       std::vector<std::string> classNames, std::string source,
                       imaging::ModelInputSpec inputSpec, c10::Device device) {
  if (static_cast<int>(classNames.size()) != config.numClasses)
    throw Error("the model has " + std::to_string(config.numClasses) + " outputs but " +
                std::to_string(classNames.size()) + " class names");
  auto impl = std::make_unique<Impl>(std::move(network), device);
  impl->net.to(device);
  impl->net.eval();
  impl->names = std::move(classNames);
  impl->spec = inputSpec;
  ModelInfo& info = impl->info;
  info.architecture = architectureName(config);
  info.source = std::move(source);
  info.numClasses = config.numClasses;
  info.device = device.str();
  impl_ = std::move(impl);
}

Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

const ModelInfo& Classifier::info() const {
  return impl_->info;
}
const std::vector<std::string>& Classifier::classNames() const {
  return impl_->names;
}
const imaging::ModelInputSpec& Classifier::inputSpec() const {
  return impl_->spec;
}
ResNet& Classifier::network() {
  return impl_->net;
}

Prediction Classifier::predict(const imaging::CtImage& image, imaging::Window window, int topK) {
  return predictInput(modelInput(image, impl_->spec, window), topK);
}

Prediction Classifier::predictInput(const at::Tensor& input, int topK) {
  if (topK < 1) throw Error("top-k must be at least 1, not " + std::to_string(topK));
  TORCH_CHECK(input.dim() == 4 && input.size(0) == 1 && input.size(1) == 3,
              "classifier input must be (1, 3, H, W)");
  impl_->net.eval();
  torch::NoGradGuard noGrad;
  const at::Tensor logits = impl_->net.forward(input.to(impl_->device, at::kFloat));
  // Softmax in double on the CPU, so that the probabilities of all classes sum to 1 closely.
  const at::Tensor probabilities = logits.to(c10::kCPU, at::kDouble).softmax(1).flatten();
  Prediction prediction;
  prediction.untrained = impl_->info.untrained || impl_->info.headUntrained;
  prediction.top = topClasses(probabilities, impl_->names, topK);
  return prediction;
}

std::vector<ClassScore> topClasses(const at::Tensor& probabilities,
                                   const std::vector<std::string>& names, int topK) {
  const at::Tensor p = probabilities.to(c10::kCPU, at::kDouble).flatten();
  const auto k = std::min<std::int64_t>(topK, p.numel());
  const auto [values, indices] = p.topk(k, 0, /*largest=*/true, /*sorted=*/true);
  const auto* value = values.data_ptr<double>();
  const auto* index = indices.data_ptr<std::int64_t>();
  std::vector<ClassScore> top;
  for (std::int64_t i = 0; i < k; ++i) {
    const auto c = static_cast<int>(index[i]);
    top.push_back({c, names.at(static_cast<std::size_t>(c)), value[i]});
  }
  return top;
}

}  // namespace camlabel::model
