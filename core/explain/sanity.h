// SPDX-License-Identifier: Apache-2.0
#pragma once
// The model-randomisation sanity check (Adebayo et al., "Sanity Checks for Saliency Maps",
// NeurIPS 2018): randomise the network's layers from the top down and measure how much the
// explanation changes. A method whose map survives a random network explains the image, not the
// model, and is flagged.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <opencv2/core/mat.hpp>

#include "core/explain/cam.h"
#include "core/model/resnet.h"

namespace camlabel::explain {

/// Spearman's rank correlation of two maps of equal size (ties get their mean rank).
double spearman(const cv::Mat& a, const cv::Mat& b);
/// Structural similarity (Wang et al. 2004: Gaussian window 11, sigma 1.5, K1 0.01, K2 0.03) of
/// two maps in [0, 1], averaged over the image.
double ssim(const cv::Mat& a, const cv::Mat& b);

struct RandomisationStep {
  std::string randomised;  ///< the layers randomised so far, e.g. "fc, layer4"
  double spearman = 0;     ///< |rank correlation| with the original map
  double ssim = 0;
};

struct RandomisationCheck {
  std::vector<RandomisationStep> steps;  ///< fc, then + layer4, ... down to the stem
  /// True when, with every layer random, the map still correlates with the original above the
  /// threshold: the method does not depend on what the model learned.
  bool insensitive = false;
  double threshold = 0.5;
  std::string message;
};

inline constexpr std::uint64_t kRandomisationSeed = 0x5EED5A4E17C4ECULL;

/// An explanation of one fixed input and class by a model, as a CV_32FC1 map in [0, 1].
using Explainer = std::function<cv::Mat(model::ResNet&)>;

/// Runs `explain` on a copy of `model` whose layers are replaced, cumulatively from the top
/// (fc, layer4, layer3, layer2, layer1, conv1/bn1), by freshly initialised ones (torchvision's
/// initialisation, seeded), comparing each map with the unrandomised copy's. `model` itself is not
/// changed. Maps are compared at 64 x 64. The default seed differs from the seeds camlabel uses
/// for untrained models (small integers), so the fresh layers are never the model's own.
RandomisationCheck randomisationCheck(const model::ResNet& model, const Explainer& explain,
                                      std::uint64_t seed = kRandomisationSeed,
                                      double threshold = 0.5);

/// The same for a CAM request: the class is fixed to the original model's target (top-1 unless
/// the request names one), so every step explains the same class.
RandomisationCheck randomisationCheck(const model::ResNet& model, const at::Tensor& input,
                                      const CamRequest& request,
                                      std::uint64_t seed = kRandomisationSeed,
                                      double threshold = 0.5);

}  // namespace camlabel::explain
