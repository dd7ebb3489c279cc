// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "core/model/resnet.h"

namespace camlabel::test {

/// tests/data/explain/cam_reference.json, written by tests/reference/cam_reference.py.
const nlohmann::json& camReference();

/// Reference input i, (1, 3, 96, 96) float32.
at::Tensor camInput(int index);

/// The tiny ResNet with the fixture weights (tests/data/model/tiny_resnet.pt), in eval().
model::ResNet tinyModel();

/// Pearson correlation of two tensors of the same number of elements, in float64.
double pearson(const at::Tensor& a, const at::Tensor& b);

/// A flat JSON array of numbers as a float64 tensor of the given shape.
at::Tensor jsonTensor(const nlohmann::json& values, at::IntArrayRef shape);

}  // namespace camlabel::test
