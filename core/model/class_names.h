// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace camlabel::model {

/// ImageNet-1k's 1000 class names in torchvision's index order (0 = "tench", 111 = "nematode",
/// 712 = "Petri dish"), compiled in from resources/imagenet_classes.txt.
const std::vector<std::string>& imagenetClassNames();

}  // namespace camlabel::model
