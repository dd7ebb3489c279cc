// SPDX-License-Identifier: Apache-2.0
#pragma once
// The most probable classes of one softmax, as every prediction shows them.

#include <string>
#include <vector>

#include "core/model/classifier.h"

namespace camlabel::model {

/// The topK most probable classes (fewer when there are fewer), most probable first, named from
/// `names` by index. `probabilities` is one image's softmax (1-D, any device and float type).
std::vector<ClassScore> topClasses(const at::Tensor& probabilities,
                                   const std::vector<std::string>& names, int topK);

}  // namespace camlabel::model
