// SPDX-License-Identifier: Apache-2.0
#pragma once

// Include only where tensors are used: this header brings in ATen's Tensor (not all of torch).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace camlabel::model {

/// A state_dict as saved by PyTorch: (name, tensor) pairs in the file's order.
using StateDict = std::vector<std::pair<std::string, at::Tensor>>;

/// Reads a state_dict written by Python's torch.save, in the zip format (the default since
/// PyTorch 1.6) or the legacy non-zip format, such as torchvision's resnet50-*.pth files.
/// Tensors come back on the CPU with the file's dtype, shape, strides and storage offset; views of
/// one storage share memory. Only the objects such files hold are accepted (an (Ordered)dict of
/// tensors); anything else, and any truncated, foreign or inconsistent file, throws
/// camlabel::InputError naming the file and the reason. Never aborts.
StateDict readStateDict(const std::filesystem::path& path);

}  // namespace camlabel::model
