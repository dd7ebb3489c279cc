// SPDX-License-Identifier: Apache-2.0
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/model/input_tensor.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

/// The same preprocessing written independently with ATen: torch's bilinear interpolation
/// (align_corners=False, no antialiasing) on the windowed image, then ImageNet normalisation.
at::Tensor referencePreprocess(const CtImage& image, Window window, const ModelInputSpec& spec) {
  cv::Mat windowed = applyWindow(image.values, window).clone();
  at::Tensor x = at::from_blob(windowed.data, {1, 1, windowed.rows, windowed.cols}, at::kFloat);
  x = at::upsample_bilinear2d(x, {spec.size, spec.size}, /*align_corners=*/false);
  x = x.expand({1, 3, spec.size, spec.size});
  const at::Tensor mean = at::tensor({spec.mean[0], spec.mean[1], spec.mean[2]}).view({1, 3, 1, 1});
  const at::Tensor stddev =
      at::tensor({spec.stddev[0], spec.stddev[1], spec.stddev[2]}).view({1, 3, 1, 1});
  return (x - mean) / stddev;
}

CtImage syntheticCt(int rows, int cols) {
  CtImage image;
  image.values.create(rows, cols, CV_32F);
  cv::RNG rng(7);
  rng.fill(image.values, cv::RNG::UNIFORM, -1100.0, 400.0);
  image.info.meaning = PixelMeaning::Hounsfield;
  image.info.width = cols;
  image.info.height = rows;
  return image;
}

struct Size {
  int rows;
  int cols;
  int target;
};

class Preprocess : public ::testing::TestWithParam<Size> {};

TEST_P(Preprocess, MatchesTorchBilinearAndImageNetNormalisation) {
  const Size s = GetParam();
  const CtImage image = syntheticCt(s.rows, s.cols);
  ModelInputSpec spec;
  spec.size = s.target;
  const ModelInput input = preprocessForModel(image, kLungWindow, spec);
  ASSERT_EQ(input.channels, 3);
  ASSERT_EQ(input.height, s.target);
  ASSERT_EQ(input.width, s.target);

  const at::Tensor ours = model::toInputTensor(input);
  ASSERT_EQ(ours.sizes(), (at::IntArrayRef{1, 3, s.target, s.target}));
  const at::Tensor reference = referencePreprocess(image, kLungWindow, spec);
  // Uniform noise is the worst case: OpenCV and ATen both compute source coordinates in float
  // (error ~6e-5 at x ~ 500), and neighbours differ by up to the full range. 1e-3 here is
  // 2.3e-4 of the windowed range, 0.06 of a gray level.
  const double maxDiff = (ours - reference).abs().max().item<double>();
  EXPECT_LT(maxDiff, 1e-3) << s.rows << "x" << s.cols << " -> " << s.target;
  EXPECT_LT((ours - reference).abs().mean().item<double>(), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Sizes, Preprocess,
                         ::testing::Values(Size{512, 512, 224}, Size{128, 128, 224},
                                           Size{100, 70, 224}, Size{224, 224, 224},
                                           Size{300, 300, 64}));

TEST(PreprocessInput, ChannelsAreTheSameGrayNormalisedPerChannel) {
  CtImage image = syntheticCt(32, 32);
  image.values.setTo(-600.0F);  // the lung window's centre: 0.5 after windowing
  const ModelInput input = preprocessForModel(image, kLungWindow, {});
  const std::size_t plane = 224 * 224;
  const ModelInputSpec spec;
  for (int c = 0; c < 3; ++c) {
    const float expected = (0.5F - spec.mean[c]) / spec.stddev[c];
    EXPECT_NEAR(input.chw[plane * c], expected, 1e-6);
    EXPECT_NEAR(input.chw[plane * c + plane - 1], expected, 1e-6);
  }
}

TEST(PreprocessInput, TensorOwnsItsData) {
  ModelInput input = preprocessForModel(syntheticCt(16, 16), kLungWindow, {});
  const at::Tensor tensor = model::toInputTensor(input);
  const float first = tensor[0][0][0][0].item<float>();
  input.chw.assign(input.chw.size(), 1000.0F);
  EXPECT_EQ(tensor[0][0][0][0].item<float>(), first);
  EXPECT_TRUE(tensor.is_contiguous());
}

}  // namespace
}  // namespace camlabel::imaging
