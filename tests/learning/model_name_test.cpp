// SPDX-License-Identifier: Apache-2.0
// The English names of models (CLI output, logs); the GUI words the same data itself.

#include "core/learning/model_name.h"

#include <gtest/gtest.h>

namespace camlabel::learning {
namespace {

ModelName named(ModelName::Kind kind, int version = 0, std::int64_t labels = 0,
                std::string source = {}) {
  ModelName name;
  name.kind = kind;
  name.version = version;
  name.labels = labels;
  name.source = std::move(source);
  return name;
}

TEST(ModelName, SaysWhichModelInEnglish) {
  using Kind = ModelName::Kind;
  EXPECT_EQ(named(Kind::kTrained).describe(), "base");
  EXPECT_EQ(named(Kind::kTrained, 0, 1).describe(), "base + 1 label");
  EXPECT_EQ(named(Kind::kTrained, 2, 3).describe(), "v2 + 3 labels");
  EXPECT_EQ(named(Kind::kTrained, 12).describe(), "v12");
  EXPECT_EQ(named(Kind::kVersion, 3, 30).describe(), "v3 (30 labels)");
  EXPECT_EQ(named(Kind::kVersion, 1, 1).describe(), "v1 (1 label)");
  EXPECT_EQ(named(Kind::kImageNetRandom).describe(), "ImageNet architecture, random weights");
  EXPECT_EQ(named(Kind::kImageNet, 0, 0, "resnet50-11ad3fa6.pth").describe(),
            "ImageNet model (resnet50-11ad3fa6.pth)");
  EXPECT_EQ(versionName(0), "base");
  EXPECT_EQ(versionName(7), "v7");
}

}  // namespace
}  // namespace camlabel::learning
