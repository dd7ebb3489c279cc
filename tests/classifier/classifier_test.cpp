// SPDX-License-Identifier: Apache-2.0
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/model/class_names.h"
#include "core/model/classifier.h"
#include "core/model/input_tensor.h"
#include "model_test_support.h"
#include "test_support.h"

namespace camlabel::test {
namespace {

// The tiny network of the fixtures takes 64 x 64 input (tests/data/model/README.md).
constexpr int kTinySide = 64;

model::ClassifierOptions tinyOptions() {
  model::ClassifierOptions options;
  options.config = tinyConfig();
  options.inputSpec.size = kTinySide;
  return options;
}

/// A synthetic CT slice: a disc of soft tissue in air with a bright spot, in Hounsfield units.
imaging::CtImage syntheticSlice(int side = 96) {
  imaging::CtImage image;
  image.values.create(side, side, CV_32FC1);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const double dx = x - side / 2.0;
      const double dy = y - side / 2.0;
      const double r = std::sqrt(dx * dx + dy * dy);
      float hu = r < side * 0.4 ? 40.0F : -1000.0F;
      if (std::abs(dx - 10) < 6 && std::abs(dy + 8) < 6) hu = 700.0F;
      image.values.at<float>(y, x) = hu;
    }
  }
  image.info.width = side;
  image.info.height = side;
  image.info.meaning = imaging::PixelMeaning::Hounsfield;
  image.info.minValue = -1000;
  image.info.maxValue = 700;
  return image;
}

void expectSortedProbabilities(const model::Prediction& prediction) {
  for (std::size_t i = 0; i < prediction.top.size(); ++i) {
    EXPECT_GT(prediction.top[i].probability, 0.0);
    EXPECT_LE(prediction.top[i].probability, 1.0);
    if (i > 0) {
      EXPECT_GE(prediction.top[i - 1].probability, prediction.top[i].probability);
    }
  }
}

TEST(ImagenetClassNames, AreTorchvisionsThousandInOrder) {
  const auto& names = model::imagenetClassNames();
  ASSERT_EQ(names.size(), 1000U);
  EXPECT_EQ(names[0], "tench");
  EXPECT_EQ(names[1], "goldfish");
  EXPECT_EQ(names[111], "nematode");
  EXPECT_EQ(names[712], "Petri dish");
  EXPECT_EQ(names[999], "toilet tissue");
  for (const std::string& name : names) {
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(name.find_first_of("\r\n"), std::string::npos) << name;
  }
  EXPECT_EQ(&names, &model::imagenetClassNames()) << "built once";
}

// Logits path: the fixture's preprocessed input through the tiny torchvision network, against
// softmax of the logits Python torchvision computed (tests/reference/resnet_reference.py).
TEST(Classifier, TinyWeightsPredictWhatTorchvisionPredicts) {
  model::ClassifierOptions options = tinyOptions();
  options.weights = modelData("tiny_resnet.pt");
  model::Classifier classifier(options);
  EXPECT_FALSE(classifier.info().untrained);
  EXPECT_FALSE(classifier.info().headUntrained);
  EXPECT_EQ(classifier.info().source, "torchvision weights tiny_resnet.pt");
  EXPECT_EQ(classifier.info().numClasses, 10);

  const auto logits = tinyReference()["logits"].get<std::vector<double>>();
  ASSERT_EQ(logits.size(), 10U);
  const double maxLogit = *std::max_element(logits.begin(), logits.end());
  double total = 0;
  for (double l : logits)
    total += std::exp(l - maxLogit);
  std::vector<int> order(logits.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return logits[a] > logits[b]; });

  const model::Prediction prediction = classifier.predictInput(tinyInput(), 10);
  EXPECT_FALSE(prediction.untrained);
  ASSERT_EQ(prediction.top.size(), 10U);
  for (std::size_t i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(prediction.top[i].index, order[i]);
    EXPECT_EQ(prediction.top[i].name, "class " + std::to_string(order[i]));
    const double expected = std::exp(logits[order[i]] - maxLogit) / total;
    EXPECT_NEAR(prediction.top[i].probability, expected, 1e-5);
  }
  EXPECT_EQ(classifier.predictInput(tinyInput(), 3).top.size(), 3U);
}

// Image path: predict() is exactly preprocessForModel -> toInputTensor -> the logits path.
TEST(Classifier, PredictPreprocessesLikePreprocessForModel) {
  model::ClassifierOptions options = tinyOptions();
  options.weights = modelData("tiny_resnet.pt");
  model::Classifier classifier(options);
  const imaging::CtImage image = syntheticSlice();
  const imaging::Window window{-600, 1500};
  imaging::ModelInputSpec spec;
  spec.size = kTinySide;
  const auto viaImage = classifier.predict(image, window, 10);
  const auto viaTensor = classifier.predictInput(
      model::toInputTensor(imaging::preprocessForModel(image, window, spec)), 10);
  ASSERT_EQ(viaImage.top.size(), 10U);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(viaImage.top[i].index, viaTensor.top[i].index);
    EXPECT_DOUBLE_EQ(viaImage.top[i].probability, viaTensor.top[i].probability);
  }
  // Another window is another input: the probabilities move.
  const auto otherWindow = classifier.predict(image, imaging::Window{40, 400}, 10);
  double diff = 0;
  for (std::size_t i = 0; i < 10; ++i)
    diff += std::abs(otherWindow.top[i].probability - viaImage.top[i].probability);
  EXPECT_GT(diff, 1e-6);
}

// The whole image path against Python: window, torch's bilinear resize, ImageNet normalisation,
// torchvision's network and softmax (tests/reference/classifier_reference.py, same slice).
TEST(Classifier, TinyWeightsOnASliceMatchTorchvisionEndToEnd) {
  std::ifstream in(modelData("tiny_predict_reference.json"));
  ASSERT_TRUE(in) << "missing tiny_predict_reference.json";
  const nlohmann::json reference = nlohmann::json::parse(in);
  const auto expected = reference["probabilities"].get<std::vector<double>>();
  ASSERT_EQ(expected.size(), 10U);
  ASSERT_EQ(reference["input_size"], kTinySide);

  model::ClassifierOptions options = tinyOptions();
  options.weights = modelData("tiny_resnet.pt");
  model::Classifier classifier(options);
  const imaging::Window window{reference["window"]["center"].get<double>(),
                               reference["window"]["width"].get<double>()};
  const model::Prediction prediction =
      classifier.predict(syntheticSlice(reference["image"]["side"].get<int>()), window, 10);
  ASSERT_EQ(prediction.top.size(), 10U);
  const int top1 =
      static_cast<int>(std::max_element(expected.begin(), expected.end()) - expected.begin());
  EXPECT_EQ(prediction.top[0].index, top1);
  double maxDiff = 0;
  for (const auto& score : prediction.top)
    maxDiff = std::max(
        maxDiff, std::abs(score.probability - expected[static_cast<std::size_t>(score.index)]));
  std::cout << "max |C++ - torchvision| over probabilities (image path) = " << maxDiff << "\n";
  EXPECT_LT(maxDiff, 1e-4);
}

TEST(Classifier, ProbabilitiesSumToOneAndAreSorted) {
  model::Classifier classifier(tinyOptions());
  const model::Prediction all = classifier.predict(syntheticSlice(), {-600, 1500}, 100);
  ASSERT_EQ(all.top.size(), 10U) << "topK is clamped to the number of classes";
  double sum = 0;
  std::set<int> seen;
  for (const auto& score : all.top) {
    sum += score.probability;
    seen.insert(score.index);
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_EQ(seen.size(), 10U);
  expectSortedProbabilities(all);
  EXPECT_THROW(classifier.predict(syntheticSlice(), {-600, 1500}, 0), Error);
}

TEST(Classifier, WithoutWeightsEveryPredictionIsFlaggedUntrained) {
  model::ClassifierOptions options = tinyOptions();
  options.seed = 42;
  model::Classifier classifier(options);
  EXPECT_TRUE(classifier.info().untrained);
  EXPECT_EQ(classifier.info().source, "untrained (seed 42)");
  EXPECT_EQ(classifier.info().device, "cpu");
  EXPECT_TRUE(classifier.predict(syntheticSlice(), {-600, 1500}).untrained);
}

TEST(Classifier, SameSeedSamePredictionOtherSeedOther) {
  const imaging::CtImage image = syntheticSlice();
  auto probabilities = [&](std::uint64_t seed) {
    model::ClassifierOptions options = tinyOptions();
    options.seed = seed;
    model::Classifier classifier(options);
    std::vector<double> p(10);
    for (const auto& score : classifier.predict(image, {-600, 1500}, 10).top)
      p[static_cast<std::size_t>(score.index)] = score.probability;
    return p;
  };
  const auto a = probabilities(7);
  EXPECT_EQ(a, probabilities(7));
  const auto b = probabilities(8);
  double diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff += std::abs(a[i] - b[i]);
  EXPECT_GT(diff, 1e-4);
}

TEST(Classifier, HeadReplacementKeepsTheTrunk) {
  model::ClassifierOptions full = tinyOptions();
  full.weights = modelData("tiny_resnet.pt");
  model::Classifier original(full);
  model::ClassifierOptions scheme = full;
  scheme.classNames = {"normal", "emphysema", "fibrosis"};
  model::Classifier replaced(scheme);

  EXPECT_EQ(replaced.info().numClasses, 3);
  EXPECT_TRUE(replaced.info().headUntrained);
  EXPECT_FALSE(replaced.info().untrained);
  EXPECT_EQ(replaced.classNames(), scheme.classNames);

  torch::NoGradGuard noGrad;
  const at::Tensor before = original.network().features(tinyInput(), model::ResNetLayer::kLayer4);
  const at::Tensor after = replaced.network().features(tinyInput(), model::ResNetLayer::kLayer4);
  EXPECT_TRUE(at::equal(before, after)) << "the trunk comes from the file";
  EXPECT_GT(before.abs().sum().item<double>(), 0.0);

  const model::Prediction prediction = replaced.predictInput(tinyInput(), 5);
  EXPECT_TRUE(prediction.untrained) << "a new head is not trained yet";
  ASSERT_EQ(prediction.top.size(), 3U);
  double sum = 0;
  for (const auto& score : prediction.top) {
    sum += score.probability;
    EXPECT_EQ(score.name, scheme.classNames[static_cast<std::size_t>(score.index)]);
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);

  model::ClassifierOptions tooMany = full;
  tooMany.classNames = std::vector<std::string>(11, "x");
  EXPECT_THROW(model::Classifier{tooMany}, Error);
  model::ClassifierOptions one = full;
  one.classNames = {"only"};
  EXPECT_THROW(model::Classifier{one}, Error);
}

TEST(Classifier, BadWeightsFileIsAnInputErrorNamingIt) {
  TempDir dir;
  writeFile(dir / "notes.pth", "not a weights file\n");
  model::ClassifierOptions options = tinyOptions();
  options.weights = dir / "notes.pth";
  try {
    model::Classifier classifier(options);
    FAIL() << "accepted a text file as weights";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("notes.pth"), std::string::npos) << e.what();
  }
  // A file of another architecture (10-class head) does not load into ImageNet's resnet50.
  model::ClassifierOptions resnet50;
  resnet50.weights = modelData("tiny_resnet.pt");
  EXPECT_THROW(model::Classifier{resnet50}, InputError);
}

TEST(ParseDevice, AcceptsCpuAndExplainsEverythingElse) {
  EXPECT_EQ(model::parseDevice("cpu"), c10::Device(c10::kCPU));
  for (const char* bad : {"", "gpu", "CPU", "cuda:", "cuda:x", "cuda:-1", "cuda:0:1"}) {
    SCOPED_TRACE(bad);
    try {
      model::parseDevice(bad);
      FAIL() << "accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("use cpu, cuda or cuda:N"), std::string::npos)
          << e.what();
    }
  }
  if (torch::cuda::is_available()) {
    EXPECT_EQ(model::parseDevice("cuda"), c10::Device(c10::kCUDA, 0));
    EXPECT_THROW(model::parseDevice("cuda:99"), Error);
  } else {
    try {
      model::parseDevice("cuda");
      FAIL() << "accepted cuda without CUDA";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("CUDA is not available"), std::string::npos) << e.what();
    }
  }
}

// The real size: one full resnet50 forward on CPU (~1 s), ImageNet names on the output.
TEST(Classifier, UntrainedResnet50PredictsImagenetClasses) {
  model::ClassifierOptions options;
  options.seed = 3;
  model::Classifier classifier(options);
  EXPECT_EQ(classifier.info().architecture, "resnet50");
  EXPECT_EQ(classifier.info().numClasses, 1000);
  EXPECT_EQ(classifier.classNames(), model::imagenetClassNames());
  const auto start = std::chrono::steady_clock::now();
  const model::Prediction prediction = classifier.predict(syntheticSlice(256), {-600, 1500}, 5);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const auto warmStart = std::chrono::steady_clock::now();
  const model::Prediction again = classifier.predict(syntheticSlice(256), {-600, 1500}, 5);
  const double warmMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - warmStart)
          .count();
  std::cout << "resnet50 predict (preprocess + forward, 224x224, CPU): first " << ms
            << " ms, second " << warmMs << " ms\n";
  RecordProperty("resnet50_predict_ms", std::to_string(ms));
  RecordProperty("resnet50_predict_warm_ms", std::to_string(warmMs));
  ASSERT_EQ(again.top.size(), 5U);
  EXPECT_EQ(again.top[0].index, prediction.top[0].index) << "eval mode: deterministic";
  EXPECT_TRUE(prediction.untrained);
  ASSERT_EQ(prediction.top.size(), 5U);
  expectSortedProbabilities(prediction);
  for (const auto& score : prediction.top)
    EXPECT_EQ(score.name, model::imagenetClassNames()[static_cast<std::size_t>(score.index)]);
}

// Each gtest case runs in its own process (gtest_discover_tests), so changing the thread count
// here changes nothing elsewhere.
TEST(Threads, EveryProcessorUnlessTheUserSetOmpNumThreads) {
  ASSERT_EQ(setenv("OMP_NUM_THREADS", "1", 1), 0);
  at::set_num_threads(1);
  EXPECT_EQ(model::useAllProcessors(), 1) << "the user's choice stands";
  ASSERT_EQ(unsetenv("OMP_NUM_THREADS"), 0);
  const int processors = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(model::useAllProcessors(), std::max(1, processors));
  EXPECT_EQ(at::get_num_threads(), std::max(1, processors));
}

}  // namespace
}  // namespace camlabel::test
