// SPDX-License-Identifier: Apache-2.0
#include "core/model/resnet.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <torch/nn/module.h>
#include <torch/utils.h>

#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "model_test_support.h"

namespace camlabel::test {
namespace {

using model::HeadWeights;
using model::ResNet;
using model::ResNetConfig;
using model::ResNetLayer;
using model::StateDict;

nlohmann::json readJson(const std::string& name) {
  std::ifstream in(modelData(name));
  return nlohmann::json::parse(in);
}

// Names, shapes and dtypes in order, against a list written by the fixture script.
void expectEntries(const StateDict& dict, const nlohmann::json& entries) {
  ASSERT_EQ(dict.size(), entries.size());
  for (std::size_t i = 0; i < dict.size(); ++i) {
    SCOPED_TRACE(entries[i]["name"].get<std::string>());
    EXPECT_EQ(dict[i].first, entries[i]["name"].get<std::string>());
    EXPECT_EQ(dict[i].second.sizes().vec(), entries[i]["shape"].get<std::vector<std::int64_t>>());
    EXPECT_EQ(dict[i].second.scalar_type(),
              entries[i]["dtype"] == "int64" ? at::kLong : at::kFloat);
  }
}

std::string loadError(ResNet& model, const StateDict& weights, HeadWeights head) {
  try {
    model::loadStateDict(model, weights, head, "weights.pth");
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), "weights.pth");
    return e.reason();
  }
  ADD_FAILURE() << "loaded weights that do not fit";
  return "";
}

at::Tensor entry(const StateDict& dict, const std::string& name) {
  for (const auto& [n, t] : dict) {
    if (n == name) return t;
  }
  throw std::runtime_error("no entry " + name);
}

TEST(ResNet, Resnet50HasTorchvisionsExactStateDictKeysAndShapes) {
  // This key set is what lets torchvision's resnet50-11ad3fa6.pth and -0676ba61.pth load.
  ResNet model(ResNetConfig::resnet50());
  const StateDict dict = model.stateDict();
  expectEntries(dict, readJson("resnet50_keys.json")["entries"]);
  EXPECT_EQ(dict.size(), 320u);
}

TEST(ResNet, SmallConfigurationHasTheFixturesKeysAndShapes) {
  ResNet model(tinyConfig());
  expectEntries(model.stateDict(), tinyReference()["entries"]);
}

TEST(ResNet, FeaturesAndHeadComposeToForward) {
  ResNet model(tinyConfig());
  model::initializeRandom(model, 3);
  model.eval();
  torch::NoGradGuard noGrad;
  const at::Tensor input = tinyInput();
  const at::Tensor logits = model.forward(input);
  EXPECT_EQ(logits.sizes().vec(), (std::vector<std::int64_t>{1, tinyConfig().numClasses}));
  for (int k = 1; k <= 4; ++k) {
    const auto layer = static_cast<ResNetLayer>(k);
    const at::Tensor activation = model.features(input, layer);
    // 64x64 input: stem /4, then layers 2..4 halve.
    const std::int64_t side = 16 >> (k - 1);
    EXPECT_EQ(activation.sizes().vec(),
              (std::vector<std::int64_t>{1, tinyConfig().channels(k), side, side}));
    EXPECT_TRUE(at::allclose(model.head(activation, layer), logits, 1e-5, 1e-6)) << k;
  }
}

TEST(ResNet, ABlockObserverSeesEveryBlockInOrderAndChangesNothing) {
  ResNet model(tinyConfig());
  model::initializeRandom(model, 3);
  model.eval();
  torch::NoGradGuard noGrad;
  const at::Tensor input = tinyInput();
  std::vector<std::vector<std::int64_t>> seen;
  const at::Tensor logits =
      model.forward(input, [&seen](const at::Tensor& a) { seen.push_back(a.sizes().vec()); });
  EXPECT_TRUE(logits.equal(model.forward(input)));
  // The stem, then each block: the last block of layer k has layer k's shape.
  std::size_t expected = 1;
  for (const int blocks : tinyConfig().blocks)
    expected += static_cast<std::size_t>(blocks);
  ASSERT_EQ(seen.size(), expected);
  EXPECT_EQ(seen.front(), (std::vector<std::int64_t>{1, tinyConfig().width, 16, 16}));
  EXPECT_EQ(seen.back(), model.features(input, ResNetLayer::kLayer4).sizes().vec());

  // head() from layer 2 sees the blocks of layers 3 and 4 only.
  seen.clear();
  const at::Tensor fromLayer2 =
      model.head(model.features(input, ResNetLayer::kLayer2), ResNetLayer::kLayer2,
                 [&seen](const at::Tensor& a) { seen.push_back(a.sizes().vec()); });
  EXPECT_TRUE(at::allclose(fromLayer2, logits, 1e-5, 1e-6));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(tinyConfig().blocks[2] + tinyConfig().blocks[3]));
}

// The trainer gives up an idle step from inside its backward pass: an exception thrown by a
// gradient hook on a block's output must leave backward() as itself, before the earlier blocks
// get their gradients.
struct GiveUp : std::exception {};

TEST(ResNet, AGradientHookOnABlockCanGiveUpTheBackwardPass) {
  ResNet model(tinyConfig());
  model::initializeRandom(model, 3);
  model.train();
  const at::Tensor input = tinyInput();
  int block = 0;
  const at::Tensor logits = model.forward(input, [&block](const at::Tensor& activation) {
    if (++block == 3) activation.register_hook([](const at::Tensor&) { throw GiveUp{}; });
  });
  EXPECT_THROW(logits.sum().backward(), GiveUp);
  at::Tensor stemGrad;
  at::Tensor headGrad;
  for (const auto& item : model.module().named_parameters(/*recurse=*/true)) {
    if (item.key() == "conv1.weight") stemGrad = item.value().grad();
    if (item.key() == "fc.weight") headGrad = item.value().grad();
  }
  EXPECT_TRUE(headGrad.defined()) << "the blocks after the hook had their gradients";
  EXPECT_FALSE(stemGrad.defined()) << "the pass stopped before reaching the stem";

  // The model trains on afterwards.
  model.forward(input).sum().backward();
  for (const auto& item : model.module().named_parameters(/*recurse=*/true)) {
    if (item.key() == "conv1.weight") {
      EXPECT_TRUE(item.value().grad().defined());
    }
  }
}

TEST(ResNet, Resnet50ForwardGivesOneLogitPerImagenetClass) {
  ResNet model(ResNetConfig::resnet50());
  model::initializeRandom(model, 1);
  model.eval();
  torch::NoGradGuard noGrad;
  const at::Tensor logits = model.forward(at::zeros({2, 3, 64, 64}));
  EXPECT_EQ(logits.sizes().vec(), (std::vector<std::int64_t>{2, 1000}));
  EXPECT_TRUE(logits.isfinite().all().item<bool>());
}

TEST(ResNet, LayerNamesRoundTrip) {
  for (int k = 1; k <= 4; ++k) {
    const auto layer = static_cast<ResNetLayer>(k);
    EXPECT_EQ(model::parseResNetLayer(model::resNetLayerName(layer)), layer);
  }
  EXPECT_FALSE(model::parseResNetLayer("layer5").has_value());
  EXPECT_FALSE(model::parseResNetLayer("fc").has_value());
  EXPECT_FALSE(model::parseResNetLayer("").has_value());
}

TEST(ResNet, RefusesImpossibleConfigurations) {
  EXPECT_THROW(ResNet(ResNetConfig{{3, 0, 6, 3}, 64, 1000}), Error);
  EXPECT_THROW(ResNet(ResNetConfig{{1, 1, 1, 1}, 0, 10}), Error);
  EXPECT_THROW(ResNet(ResNetConfig{{1, 1, 1, 1}, 8, 0}), Error);
}

TEST(ResNet, TrainAndEvalSwitchMode) {
  ResNet model(tinyConfig());
  EXPECT_TRUE(model.isTraining());
  model.eval();
  EXPECT_FALSE(model.isTraining());
  EXPECT_FALSE(model.module().modules().back()->is_training());
  model.train();
  EXPECT_TRUE(model.isTraining());
}

TEST(ResNet, SeededInitialisationIsReproducibleAndLeavesTheGlobalSeedAlone) {
  ResNet a(tinyConfig()), b(tinyConfig()), c(tinyConfig());
  at::manual_seed(11);
  const at::Tensor expectedDraw = at::randn({4});
  at::manual_seed(11);
  model::initializeRandom(a, 42);
  EXPECT_TRUE(at::equal(at::randn({4}), expectedDraw));
  model::initializeRandom(b, 42);
  model::initializeRandom(c, 43);
  const StateDict da = a.stateDict(), db = b.stateDict(), dc = c.stateDict();
  bool anyDifferent = false;
  for (std::size_t i = 0; i < da.size(); ++i) {
    EXPECT_TRUE(at::equal(da[i].second, db[i].second)) << da[i].first;
    anyDifferent = anyDifferent || !at::equal(da[i].second, dc[i].second);
  }
  EXPECT_TRUE(anyDifferent);
  // torchvision's scheme: unit batch norms, Kaiming-normal fan-out convs.
  EXPECT_TRUE(at::equal(entry(da, "bn1.weight"), at::ones({tinyConfig().width})));
  const at::Tensor conv = entry(da, "layer4.0.conv2.weight");
  const double expectedStd = std::sqrt(2.0 / (conv.size(0) * 9));
  EXPECT_NEAR(conv.std().item<double>(), expectedStd, 0.05 * expectedStd);
}

TEST(ResNet, LoadsEveryTensorAndKeepsParametersTrainable) {
  ResNet model(tinyConfig());
  const StateDict file = model::readStateDict(modelData("tiny_resnet.pt"));
  model::loadTorchvisionWeights(model, modelData("tiny_resnet.pt"));
  const StateDict loaded = model.stateDict();
  ASSERT_EQ(loaded.size(), file.size());
  for (std::size_t i = 0; i < file.size(); ++i) {
    EXPECT_TRUE(at::equal(loaded[i].second, file[i].second)) << file[i].first;
  }
  for (const auto& p : model.module().parameters()) {
    EXPECT_TRUE(p.requires_grad());
    EXPECT_FALSE(p.grad_fn());
  }
}

TEST(ResNet, WrongHeadShapeIsAClearErrorAndLeavesTheModelUnchanged) {
  // The file's head has 10 classes; a 7-class model cannot take it unless told to keep its own.
  ResNetConfig config = tinyConfig();
  config.numClasses = 7;
  ResNet model(config);
  model::initializeRandom(model, 5);
  const at::Tensor before = entry(model.stateDict(), "layer1.0.conv1.weight").clone();
  const StateDict file = model::readStateDict(modelData("tiny_resnet.pt"));
  const std::string reason = loadError(model, file, HeadWeights::kLoad);
  EXPECT_NE(reason.find("wrong shapes: fc.weight is [10, 256] Float in the file but [7, 256]"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("fc.bias"), std::string::npos) << reason;
  EXPECT_TRUE(at::equal(entry(model.stateDict(), "layer1.0.conv1.weight"), before));
}

TEST(ResNet, NewHeadKeepsItsInitialisationAndTakesTheTrunk) {
  ResNetConfig config = tinyConfig();
  config.numClasses = 7;
  ResNet model(config);
  model::initializeRandom(model, 5);
  const at::Tensor head = entry(model.stateDict(), "fc.weight").clone();
  model::loadTorchvisionWeights(model, modelData("tiny_resnet_legacy.pt"),
                                HeadWeights::kKeepInitialized);
  const StateDict file = model::readStateDict(modelData("tiny_resnet_legacy.pt"));
  EXPECT_TRUE(at::equal(entry(model.stateDict(), "fc.weight"), head));
  EXPECT_TRUE(at::equal(entry(model.stateDict(), "layer4.0.bn3.running_var"),
                        entry(file, "layer4.0.bn3.running_var")));
}

TEST(ResNet, MissingUnexpectedAndMismatchedKeysAreListed) {
  ResNet model(tinyConfig());
  StateDict file = model::readStateDict(modelData("tiny_resnet.pt"));
  file.erase(file.begin() + 4);  // bn1.running_var
  file.emplace_back("layer9.0.conv1.weight", at::zeros({1}));
  for (auto& [name, tensor] : file) {
    if (name == "fc.weight") tensor = at::zeros({10, 255});
    if (name == "bn1.num_batches_tracked") tensor = at::zeros({}, at::kFloat);
  }
  const std::string reason = loadError(model, file, HeadWeights::kLoad);
  EXPECT_NE(reason.find("missing keys: bn1.running_var"), std::string::npos) << reason;
  EXPECT_NE(reason.find("unexpected keys: layer9.0.conv1.weight"), std::string::npos) << reason;
  EXPECT_NE(reason.find("fc.weight is [10, 255] Float in the file but [10, 256] Float"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("bn1.num_batches_tracked is [] Float in the file but [] Long"),
            std::string::npos)
      << reason;
}

TEST(ResNet, FilesWithoutBatchCountersLoadWithCountersAtZero) {
  ResNet model(tinyConfig());
  StateDict file = model::readStateDict(modelData("tiny_resnet.pt"));
  std::erase_if(file, [](const auto& item) {
    return item.first.find("num_batches_tracked") != std::string::npos;
  });
  model::loadStateDict(model, file, HeadWeights::kLoad, "old.pth");
  EXPECT_EQ(entry(model.stateDict(), "layer2.1.bn3.num_batches_tracked").item<std::int64_t>(), 0);
  EXPECT_TRUE(at::equal(entry(model.stateDict(), "layer2.1.bn3.running_mean"),
                        entry(file, "layer2.1.bn3.running_mean")));
}

TEST(ResNet, Resnet50RefusesTheSmallFileWithAReadableList) {
  ResNet model(ResNetConfig::resnet50());
  try {
    model::loadTorchvisionWeights(model, modelData("tiny_resnet.pt"));
    FAIL() << "a small network's weights loaded into resnet50";
  } catch (const InputError& e) {
    const std::string reason = e.reason();
    EXPECT_NE(reason.find("missing keys: layer1.1.conv1.weight"), std::string::npos) << reason;
    EXPECT_NE(reason.find("more)"), std::string::npos) << reason;
    EXPECT_LT(reason.size(), 2000u) << reason;
  }
}

}  // namespace
}  // namespace camlabel::test
