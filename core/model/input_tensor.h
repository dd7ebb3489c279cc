// SPDX-License-Identifier: Apache-2.0
#pragma once

// Include only where tensors are used: this header brings in ATen.
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <optional>

#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"

namespace camlabel::model {

/// The preprocessed image as a contiguous float tensor of shape (1, C, H, W) that owns its data.
at::Tensor toInputTensor(const imaging::ModelInput& input);

/// A slice as the network takes it: windowed (`window`, else the image's default window),
/// preprocessed to `spec` and placed on `device`. The one road from a slice to the network,
/// for prediction, training, evaluation and explanations alike.
at::Tensor modelInput(const imaging::CtImage& image, const imaging::ModelInputSpec& spec,
                      std::optional<imaging::Window> window = std::nullopt,
                      c10::Device device = c10::kCPU);

}  // namespace camlabel::model
