// SPDX-License-Identifier: Apache-2.0
#include "core/learning/model_name.h"

namespace camlabel::learning {

namespace {

// Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "v" + std::string.
std::string labelCount(std::int64_t n) {
  std::string text = std::to_string(n);
  text.append(n == 1 ? " label" : " labels");
  return text;
}

}  // namespace

std::string versionName(int version) {
  if (version == 0) return "base";
  std::string name("v");
  name.append(std::to_string(version));
  return name;
}

std::string ModelName::describe() const {
  switch (kind) {
    case Kind::kImageNetRandom:
      return "ImageNet architecture, random weights";
    case Kind::kImageNet:
      return std::string("ImageNet model (").append(source).append(")");
    case Kind::kVersion:
      return versionName(version).append(" (").append(labelCount(labels)).append(")");
    case Kind::kTrained:
      break;
  }
  std::string text = versionName(version);
  if (labels > 0) text.append(" + ").append(labelCount(labels));
  return text;
}

}  // namespace camlabel::learning
