// SPDX-License-Identifier: Apache-2.0
// The model-randomisation sanity check: a CAM depends on the model, an input-only "explanation"
// does not and is flagged; the rank correlation and SSIM match hand-worked values.

#include "core/explain/sanity.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <opencv2/imgproc.hpp>

#include "core/explain/cam_render.h"
#include "explain_test_support.h"

namespace camlabel::explain {
namespace {

TEST(Spearman, MatchesHandWorkedRanksWithTies) {
  // Ranks of a: 1, 2.5, 2.5, 4; of b: 1, 3, 2, 4 -> 4.5 / sqrt(4.5 * 5) = 0.948683.
  const cv::Mat a = (cv::Mat_<float>(1, 4) << 1, 2, 2, 3);
  const cv::Mat b = (cv::Mat_<float>(1, 4) << 1, 3, 2, 4);
  EXPECT_NEAR(spearman(a, b), 0.948683, 1e-6);
  EXPECT_NEAR(spearman(a, a), 1.0, 1e-12);
  const cv::Mat reversed = (cv::Mat_<float>(1, 4) << 4, 3, 2, 1);
  const cv::Mat increasing = (cv::Mat_<float>(1, 4) << 1, 5, 7, 9);
  EXPECT_NEAR(spearman(increasing, reversed), -1.0, 1e-12);
}

TEST(Ssim, IsOneForEqualMapsAndFallsWithDamage) {
  // Three blobs: a map with structure, as CAMs have.
  cv::Mat map(64, 64, CV_32F);
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x)
      map.at<float>(y, x) =
          static_cast<float>(std::exp(-((x - 16) * (x - 16) + (y - 20) * (y - 20)) / 50.0) +
                             0.7 * std::exp(-((x - 45) * (x - 45) + (y - 40) * (y - 40)) / 80.0) +
                             0.4 * std::exp(-((x - 20) * (x - 20) + (y - 50) * (y - 50)) / 30.0));
  EXPECT_NEAR(ssim(map, map), 1.0, 1e-9);
  cv::Mat noise(64, 64, CV_32F);
  cv::randn(noise, 0, 0.05);
  const double slightly = ssim(map, map + noise);
  cv::randn(noise, 0, 0.3);
  const double badly = ssim(map, map + noise);
  EXPECT_LT(slightly, 1.0);
  EXPECT_LT(badly, slightly);
  EXPECT_LT(ssim(map, 1 - map), 0.0);  // inverted structure
}

TEST(RandomisationCheck, GradCamDependsOnTheModelAndTheModelIsLeftAlone) {
  model::ResNet model = test::tinyModel();
  const at::Tensor input = test::camInput(0);
  const at::Tensor before = model.stateDict().front().second.clone();
  CamRequest request;
  request.method = CamMethod::GradCam;
  request.layer = model::ResNetLayer::kLayer3;  // 6 x 6 on the 96-pixel input
  const RandomisationCheck check = randomisationCheck(model, input, request, 3);
  ASSERT_EQ(check.steps.size(), 6U);
  EXPECT_EQ(check.steps.front().randomised, "fc");
  EXPECT_EQ(check.steps.back().randomised, "fc, layer4, layer3, layer2, layer1, stem");
  for (const auto& step : check.steps)
    std::cout << step.randomised << ": rank correlation " << step.spearman << ", SSIM " << step.ssim
              << '\n';
  EXPECT_FALSE(check.insensitive) << check.message;
  EXPECT_LT(check.steps.back().spearman, 0.5);
  EXPECT_TRUE(model.stateDict().front().second.equal(before));
}

TEST(RandomisationCheck, AnExplanationThatIgnoresTheModelIsFlagged) {
  // Edge strength of the input: a "saliency map" that never looks at the model.
  const at::Tensor input = test::camInput(1);
  const cv::Mat gray = camToMat(input[0][0].contiguous());
  cv::Mat gx, gy, edges;
  cv::Sobel(gray, gx, CV_32F, 1, 0);
  cv::Sobel(gray, gy, CV_32F, 0, 1);
  cv::magnitude(gx, gy, edges);
  cv::normalize(edges, edges, 0, 1, cv::NORM_MINMAX);
  const RandomisationCheck check = randomisationCheck(
      test::tinyModel(), [&](model::ResNet&) { return edges.clone(); }, 3);
  EXPECT_TRUE(check.insensitive);
  EXPECT_NEAR(check.steps.back().spearman, 1.0, 1e-9);
  EXPECT_NE(check.message.find("does not show what the model learned"), std::string::npos);
}

}  // namespace
}  // namespace camlabel::explain
