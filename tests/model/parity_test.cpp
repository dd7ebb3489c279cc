// SPDX-License-Identifier: Apache-2.0
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <torch/utils.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "core/model/resnet.h"
#include "model_test_support.h"
#include "test_support.h"

namespace camlabel::test {
namespace {

// The bar for agreement with Python torchvision on the same weights and input.
constexpr double kLogitTolerance = 1e-4;

class TorchvisionParity : public ::testing::TestWithParam<const char*> {};

TEST_P(TorchvisionParity, LogitsAndActivationsMatchPython) {
  model::ResNet net(tinyConfig());
  model::loadTorchvisionWeights(net, modelData(GetParam()));
  net.eval();
  torch::NoGradGuard noGrad;
  const at::Tensor input = tinyInput();

  const auto& reference = tinyReference();
  const auto expected = reference["logits"].get<std::vector<double>>();
  const at::Tensor logits = net.forward(input).to(at::kDouble).flatten();
  ASSERT_EQ(logits.numel(), static_cast<std::int64_t>(expected.size()));
  const double maxDiff = (logits - at::tensor(expected, at::kDouble)).abs().max().item<double>();
  std::cout << GetParam() << ": max |C++ - torchvision| over logits = " << maxDiff << "\n";
  RecordProperty("max_abs_diff_logits", std::to_string(maxDiff));
  EXPECT_LT(maxDiff, kLogitTolerance);

  for (int k = 1; k <= 4; ++k) {
    const std::string name = "layer" + std::to_string(k);
    SCOPED_TRACE(name);
    const auto& stats = reference["features"][name];
    const at::Tensor activation =
        net.features(input, static_cast<model::ResNetLayer>(k)).to(at::kDouble);
    EXPECT_EQ(activation.sizes().vec(), stats["shape"].get<std::vector<std::int64_t>>());
    const double sum = stats["sum"].get<double>();
    EXPECT_NEAR(activation.sum().item<double>(), sum, 1e-5 * std::max(1.0, std::abs(sum)));
    EXPECT_NEAR(activation.abs().max().item<double>(), stats["abs_max"].get<double>(), 1e-4);
    const auto first = stats["first"].get<std::vector<double>>();
    const at::Tensor flat = activation.flatten();
    for (std::size_t i = 0; i < first.size(); ++i) {
      EXPECT_NEAR(flat[static_cast<std::int64_t>(i)].item<double>(), first[i], 1e-4);
    }
  }
}

// The comparison above can fail: other weights of the same architecture are far from Python's.
TEST(TorchvisionParityControl, OtherWeightsDoNotMatch) {
  model::ResNet net(tinyConfig());
  model::initializeRandom(net, 1);
  net.eval();
  torch::NoGradGuard noGrad;
  const auto expected = tinyReference()["logits"].get<std::vector<double>>();
  const at::Tensor logits = net.forward(tinyInput()).to(at::kDouble).flatten();
  EXPECT_GT((logits - at::tensor(expected, at::kDouble)).abs().max().item<double>(),
            100 * kLogitTolerance);
}

// Full-size resnet50 weights (torchvision's real files, or the 100 MB seeded ones that
// `resnet_reference.py --full DIR` writes): too big to commit, so configured by environment.
TEST(Resnet50WeightsFile, LoadsAndMatchesTorchvisionWhenConfigured) {
  const char* weights = std::getenv("CAMLABEL_RESNET50_WEIGHTS");
  if (weights == nullptr || *weights == '\0') {
    GTEST_SKIP() << "set CAMLABEL_RESNET50_WEIGHTS to a torchvision resnet50 .pth file (and "
                    "CAMLABEL_RESNET50_REFERENCE to the JSON of tests/reference/"
                    "resnet_reference.py --full) to run this check";
  }
  model::ResNet net(model::ResNetConfig::resnet50());
  model::loadTorchvisionWeights(net, weights);
  net.eval();
  torch::NoGradGuard noGrad;
  const char* referencePath = std::getenv("CAMLABEL_RESNET50_REFERENCE");
  if (referencePath == nullptr || *referencePath == '\0') {
    const at::Tensor logits = net.forward(at::zeros({1, 3, 224, 224}));
    EXPECT_TRUE(logits.isfinite().all().item<bool>());
    return;
  }
  std::ifstream in(referencePath);
  const nlohmann::json reference = nlohmann::json::parse(in);
  at::Tensor input =
      at::empty(reference["input_shape"].get<std::vector<std::int64_t>>(), at::kFloat);
  const std::string bytes = readFile(reference["input_file"].get<std::string>());
  ASSERT_EQ(bytes.size(), static_cast<std::size_t>(input.numel()) * sizeof(float));
  std::memcpy(input.data_ptr<float>(), bytes.data(), bytes.size());
  const auto expected = reference["logits"].get<std::vector<double>>();
  const at::Tensor logits = net.forward(input).to(at::kDouble).flatten();
  const double maxDiff = (logits - at::tensor(expected, at::kDouble)).abs().max().item<double>();
  std::cout << weights << ": max |C++ - torchvision| over 1000 logits = " << maxDiff << "\n";
  EXPECT_LT(maxDiff, kLogitTolerance);
}

INSTANTIATE_TEST_SUITE_P(BothFileFormats, TorchvisionParity,
                         ::testing::Values("tiny_resnet.pt", "tiny_resnet_legacy.pt"),
                         [](const auto& param) {
                           return std::string(param.param) == "tiny_resnet.pt" ? "Zip" : "Legacy";
                         });

}  // namespace
}  // namespace camlabel::test
