// SPDX-License-Identifier: Apache-2.0
#pragma once

// Include only where tensors are used: this header brings in ATen.
#include <ATen/core/Tensor.h>

#include "core/imaging/preprocess.h"

namespace camlabel::model {

/// The preprocessed image as a contiguous float tensor of shape (1, C, H, W) that owns its data.
at::Tensor toInputTensor(const imaging::ModelInput& input);

}  // namespace camlabel::model
