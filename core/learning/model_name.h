// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which model made a prediction or a heatmap, as data: the desktop app words it in the reader's
// language, describe() in English for the CLI, logs and tests. Torch-free.

#include <cstdint>
#include <string>

namespace camlabel::learning {

struct ModelName {
  enum class Kind {
    kImageNetRandom,  ///< the "before" model: ImageNet's architecture with seeded random weights
    kImageNet,        ///< the "before" model: ImageNet's weights, from `source`
    kTrained,         ///< the project's model: version vK (0: base) and `labels` learned since
    kVersion,         ///< a recorded version vK, which had learned `labels` in all
  };
  Kind kind = Kind::kTrained;
  std::string source;       ///< kImageNet: where the weights came from (a file name)
  int version = 0;          ///< kTrained, kVersion: K of vK; 0 is the base model
  std::int64_t labels = 0;  ///< see Kind

  /// "ImageNet architecture, random weights", "ImageNet model (resnet50.pt)", "v2 + 3 labels",
  /// "base", "v3 (30 labels)".
  [[nodiscard]] std::string describe() const;
  bool operator==(const ModelName&) const = default;
};

/// "base" for version 0, else "vK".
std::string versionName(int version);

}  // namespace camlabel::learning
