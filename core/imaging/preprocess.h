// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <vector>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// How a slice becomes model input. Defaults are torchvision's ImageNet convention.
struct ModelInputSpec {
  int size = 224;  ///< square side in pixels
  std::array<float, 3> mean{0.485F, 0.456F, 0.406F};
  std::array<float, 3> stddev{0.229F, 0.224F, 0.225F};
};

/// A normalised image in channel-major (C, H, W) order, ready to wrap as a tensor.
struct ModelInput {
  int channels = 3;
  int height = 0;
  int width = 0;
  std::vector<float> chw;
};

/// The one preprocessing every caller uses: window to [0, 1] -> bilinear resize to
/// spec.size x spec.size (half-pixel centres, no antialiasing: OpenCV INTER_LINEAR, identical to
/// torch's interpolate(mode="bilinear", align_corners=False)) -> the gray value copied to three
/// channels -> (v - mean[c]) / stddev[c].
ModelInput preprocessForModel(const CtImage& image, Window window, const ModelInputSpec& spec = {});

}  // namespace camlabel::imaging
