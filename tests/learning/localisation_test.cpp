// SPDX-License-Identifier: Apache-2.0
// Localisation must be real: a small ResNet trained on the phantom set explains its decisions
// with Grad-CAM maps whose peak lies on the lesion, and the same network untrained does not.

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <iostream>
#include <random>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/explain/cam.h"
#include "core/explain/cam_render.h"
#include "core/explain/diagnostics.h"
#include "core/imaging/phantom.h"
#include "core/imaging/window.h"
#include "core/model/input_tensor.h"
#include "core/model/resnet.h"
#include "test_support.h"

namespace camlabel::explain {
namespace {

/// 128 px is the smallest side at which the phantom's textures survive and a tiny ResNet's
/// layer2 map (16 x 16) can tell one lung region from another (measured: at 96 px the same
/// training points at fewer lesions, at 64 px layer4 maps are 2 x 2 and never hit).
constexpr int kSide = 128;
/// The pointing game of Zhang et al. (2016) counts a peak within 15 px of the object on images
/// of about 500 px: 3% of the side, here 4 px.
constexpr int kTolerance = 4;

struct Case {
  at::Tensor input;  ///< (1, 3, H, W), as the app feeds the model
  cv::Mat mask;      ///< 8-bit, nonzero on the lesion
  int label = 0;
};

std::vector<Case> phantoms(const std::filesystem::path& dir, int count, std::uint64_t seed) {
  imaging::PhantomSetOptions options;
  options.count = count;
  options.seed = seed;
  options.size = kSide;
  imaging::ModelInputSpec spec;
  spec.size = kSide;
  std::vector<Case> cases;
  for (const auto& entry : imaging::writePhantomSet(dir, options)) {
    const imaging::CtImage image = imaging::readImage(dir / entry.file);
    cases.push_back({model::toInputTensor(imaging::preprocessForModel(
                         image, imaging::defaultWindow(image.info), spec)),
                     cv::imread((dir / entry.maskFile).string(), cv::IMREAD_GRAYSCALE),
                     entry.label});
  }
  return cases;
}

struct PointingGame {
  int images = 0;
  int hits = 0;
  double energyInside = 0;  ///< mean share of the map's energy inside the mask
  double maskArea = 0;      ///< mean share of the image the mask covers: energy's chance level
  double reachArea = 0;     ///< mean share within kTolerance of the mask: the game's chance level
  double score() const { return images == 0 ? 0 : static_cast<double>(hits) / images; }
};

std::ostream& operator<<(std::ostream& out, const PointingGame& g) {
  return out << g.hits << "/" << g.images << " = " << g.score() << " (energy inside "
             << g.energyInside << ", mask area " << g.maskArea << "; chance of a hit "
             << g.reachArea << ")";
}

/// Grad-CAM of each lesion image's true class, scored against its mask.
PointingGame play(model::ResNet& net, const std::vector<Case>& cases, model::ResNetLayer layer) {
  net.eval();
  PointingGame game;
  for (const Case& c : cases) {
    if (cv::countNonZero(c.mask) == 0) continue;  // Normal: nothing to point at
    CamRequest request;
    request.method = CamMethod::GradCam;
    request.layer = layer;
    request.classes = {c.label};
    const CamResult r = computeCam(net, c.input, request).front();
    const cv::Mat map = camToMat(upsampleAndNormalize(r.raw, c.mask.rows, c.mask.cols));
    const Localisation l = localise(map, c.mask, kTolerance);
    ++game.images;
    game.hits += l.hit ? 1 : 0;
    game.energyInside += l.energyInside;
    game.maskArea += l.maskArea;
    game.reachArea += l.reachArea;
  }
  if (game.images > 0) {
    game.energyInside /= game.images;
    game.maskArea /= game.images;
    game.reachArea /= game.images;
  }
  return game;
}

TEST(Localisation, GradCamOfATrainedModelPointsAtTheLesions) {
  test::TempDir dir;
  const std::vector<Case> train = phantoms(dir.path() / "train", 800, 21);
  const std::vector<Case> heldOut = phantoms(dir.path() / "held_out", 60, 22);

  // A tiny ResNet (one bottleneck block per stage, width 8) learning all ten patterns from
  // torchvision-style random weights: Adam, 300 batches of 32 drawn with a fixed seed (the same
  // numbers on every run, also under load). Two threads: LibTorch's default is the physical
  // cores, one on the CI machine.
  at::set_num_threads(2);
  torch::manual_seed(5);
  model::ResNet net(model::ResNetConfig{{1, 1, 1, 1}, 8, imaging::kPhantomClassCount});
  model::initializeRandom(net, 5);
  const PointingGame before = play(net, heldOut, model::ResNetLayer::kLayer2);

  std::vector<at::Tensor> parameters;
  for (const auto& p : net.module().parameters())
    parameters.push_back(p);
  torch::optim::Adam adam(parameters, torch::optim::AdamOptions(3e-3));
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, train.size() - 1);
  net.train();
  for (int step = 0; step < 300; ++step) {
    std::vector<at::Tensor> inputs;
    std::vector<std::int64_t> labels;
    for (int i = 0; i < 32; ++i) {
      const Case& c = train[pick(rng)];
      inputs.push_back(c.input);
      labels.push_back(c.label);
    }
    adam.zero_grad();
    const at::Tensor loss = torch::nn::functional::cross_entropy(
        net.forward(torch::cat(inputs, 0)), torch::tensor(labels, torch::kLong));
    loss.backward();
    adam.step();
  }
  net.eval();
  int correct = 0;
  {
    torch::NoGradGuard noGrad;
    for (const Case& c : heldOut)
      correct += net.forward(c.input).argmax(1).item<std::int64_t>() == c.label ? 1 : 0;
  }
  const PointingGame after = play(net, heldOut, model::ResNetLayer::kLayer2);
  const PointingGame layer3 = play(net, heldOut, model::ResNetLayer::kLayer3);
  std::cout << "held-out accuracy " << static_cast<double>(correct) / heldOut.size()
            << " (chance 0.1)\npointing game, Grad-CAM layer2, " << kTolerance << " px: untrained "
            << before << ", trained " << after << "\nlayer3 (8 x 8), trained: " << layer3 << "\n";

  ASSERT_GE(after.images, 45);
  // "Most lesion images": the peak lands on the lesion (measured 37/54 = 0.69; untrained 0.24).
  EXPECT_GT(after.score(), 0.5);
  // Learned, not the anatomy: the untrained network's maps point at lesions far less often, and
  // the trained maps put several times the mask's area share of their energy inside it
  // (measured 0.152 against a mask area of 0.037, 4.1x; untrained 0.045, 1.2x).
  EXPECT_GT(after.score(), before.score() + 0.25);
  EXPECT_GT(after.score(), 4 * after.reachArea);  // hits far above a peak put at random
  EXPECT_GT(after.energyInside, 3 * after.maskArea);
  EXPECT_GT(after.energyInside, before.energyInside + 0.05);
}

}  // namespace
}  // namespace camlabel::explain
