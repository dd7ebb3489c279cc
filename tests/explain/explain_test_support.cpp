// SPDX-License-Identifier: Apache-2.0
#include "explain_test_support.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "model_test_support.h"
#include "test_support.h"

namespace camlabel::test {

const nlohmann::json& camReference() {
  static const nlohmann::json reference = [] {
    std::ifstream in(dataDir() / "explain" / "cam_reference.json");
    if (!in) throw std::runtime_error("missing cam_reference.json");
    return nlohmann::json::parse(in);
  }();
  return reference;
}

at::Tensor camInput(int index) {
  const auto& entry = camReference()["inputs"][static_cast<std::size_t>(index)];
  at::Tensor input = at::empty(entry["shape"].get<std::vector<std::int64_t>>(), at::kFloat);
  const std::string bytes = readFile(dataDir() / "explain" / entry["file"].get<std::string>());
  if (bytes.size() != static_cast<std::size_t>(input.numel()) * sizeof(float)) {
    throw std::runtime_error("a CAM reference input has the wrong size");
  }
  std::memcpy(input.data_ptr<float>(), bytes.data(), bytes.size());
  return input;
}

model::ResNet tinyModel() {
  model::ResNet net(tinyConfig());
  model::loadTorchvisionWeights(net, modelData("tiny_resnet.pt"));
  net.eval();
  return net;
}

double pearson(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor x = a.detach().to(at::kDouble).flatten() - a.detach().to(at::kDouble).mean();
  const at::Tensor y = b.detach().to(at::kDouble).flatten() - b.detach().to(at::kDouble).mean();
  return (x * y).sum().item<double>() /
         std::sqrt((x * x).sum().item<double>() * (y * y).sum().item<double>());
}

at::Tensor jsonTensor(const nlohmann::json& values, at::IntArrayRef shape) {
  return at::tensor(values.get<std::vector<double>>(), at::kDouble).reshape(shape);
}

}  // namespace camlabel::test
