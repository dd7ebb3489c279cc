// SPDX-License-Identifier: Apache-2.0
#pragma once

// Include only where tensors are used: this header brings in ATen's Tensor, not all of torch.
#include <string_view>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/model/resnet.h"

namespace camlabel::explain {

/// Class activation map methods, with pytorch-grad-cam's conventions (the class score is the
/// logit, before softmax; every map goes through a ReLU).
enum class CamMethod { GradCam, HiResCam, GradCamPlusPlus, XGradCam, LayerCam, EigenCam, ScoreCam };

/// "gradcam", "hirescam", "gradcam++", "xgradcam", "layercam", "eigencam", "scorecam".
/// Throws camlabel::Error listing the accepted names on anything else.
CamMethod parseCamMethod(std::string_view name);
std::string_view camMethodName(CamMethod method);
/// A comma-separated list of method names ("gradcam,scorecam"), or "all" for every method in
/// the order above. Throws as parseCamMethod for an unknown name.
std::vector<CamMethod> parseCamMethods(std::string_view list);

/// The layer a heatmap comes from unless the user picks another, in the window, the CLI and the
/// trust tools alike: layer3 (14 x 14 cells for ResNet50 at 224 px). layer4's 7 x 7 grid is too
/// coarse for lesions covering a few percent of a slice: the peak of an upsampled map lies on a
/// cell centre, and on the learning benchmark's held-out phantoms no layer4 centre falls inside
/// the lesion for 11% and 19% of the slices (seeds 2002 and 1001); measured on a trained model,
/// Grad-CAM at layer3 pointed at the lesion twice as often (docs/explanations.md).
inline constexpr model::ResNetLayer kDefaultCamLayer = model::ResNetLayer::kLayer3;

struct CamRequest {
  CamMethod method = CamMethod::GradCam;
  model::ResNetLayer layer = kDefaultCamLayer;
  /// Explicit target classes, in the order wanted. Empty: the topK classes by logit.
  std::vector<int> classes;
  int topK = 1;
  /// Score-CAM only. 0: exact (every channel of the layer). N > 0: fast mode, the N channels with
  /// the largest mean activation (all of them when N >= the channel count).
  int scoreCamChannels = 0;
  /// Score-CAM only: masked images per forward pass. Results do not depend on it; speed does. 4
  /// (with channels-last batches) was fastest for ResNet50 at 224 px on 2 CPU cores in
  /// `camlabel_model_bench 2 3 --sweep-scorecam`, but that machine was busy: see
  /// docs/benchmarks.md before trusting it.
  int scoreCamBatchSize = 4;
};

struct CamResult {
  int classIndex = 0;
  float logit = 0;
  float probability = 0;  ///< softmax over the model's classes
  /// The softmax over every class (1-D float32, CPU), the same tensor in each result of one
  /// call: the prediction that goes with the heatmaps, from the same forward pass.
  at::Tensor probabilities;
  /// (h, w) float32 at the layer's resolution, after ReLU, before any normalisation: comparable
  /// across models and inputs.
  at::Tensor raw;
  /// (H, W) float32 at the input's resolution, in [0, 1]: raw upsampled first (bilinear,
  /// align_corners=False), then min-max normalised, (x - min) / (max - min + 1e-7).
  /// pytorch-grad-cam normalises before resizing; upsampling first makes the shown map span [0, 1]
  /// exactly.
  at::Tensor normalized;
};

/// Explains `input`, a normalised (1, 3, H, W) float batch on the model's device. The model must
/// be in eval() mode (throws camlabel::Error otherwise, as for a bad request: unknown class,
/// topK < 1, batch size < 1, a batch other than 1). The trunk below the layer runs without
/// autograd; gradients are taken with respect to the layer's activation only, so no parameter's
/// grad() is ever written. One result per target class, in request order (top-k: by logit,
/// descending).
std::vector<CamResult> computeCam(model::ResNet& model, const at::Tensor& input,
                                  const CamRequest& request);

/// The normalized map of a raw one: bilinear (align_corners=False) to height x width, then
/// min-max to [0, 1] with eps 1e-7. A map that is zero everywhere stays zero.
at::Tensor upsampleAndNormalize(const at::Tensor& raw, int height, int width);

}  // namespace camlabel::explain
