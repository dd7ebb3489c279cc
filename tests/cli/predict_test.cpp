// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "core/model/class_names.h"
#include "test_support.h"

namespace camlabel {
namespace {

namespace fs = std::filesystem;
using test::dataDir;
using test::TempDir;

using PredictRun = test::CliRun;

PredictRun predict(std::vector<std::string> args) {
  args.insert(args.begin(), "predict");
  return test::runCli(args);
}

TEST(CliPredict, UntrainedJsonOnTheRealChestCt) {
  const PredictRun run = predict({(dataDir() / "CT_small.dcm").string(), "--json", "--seed", "5"});
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  const auto json = nlohmann::json::parse(run.out);
  ASSERT_EQ(json.size(), 2U) << json.dump();
  EXPECT_EQ(
      run.out.rfind("{\n  \"model\": {\n    \"architecture\": \"resnet50\",\n    \"source\"", 0),
      0U)
      << "keys in the documented order:\n"
      << run.out;
  const auto& info = json.at("model");
  EXPECT_EQ(info.size(), 5U) << info.dump();
  EXPECT_EQ(info.at("architecture"), "resnet50");
  EXPECT_EQ(info.at("source"), "untrained (seed 5)");
  EXPECT_EQ(info.at("untrained"), true);
  EXPECT_EQ(info.at("classes"), 1000);
  EXPECT_EQ(info.at("device"), "cpu");

  const auto& top = json.at("top");
  ASSERT_TRUE(top.is_array());
  ASSERT_EQ(top.size(), 5U) << "top 5 by default";
  const auto& names = model::imagenetClassNames();
  std::set<int> indices;
  double previous = 1.0;
  for (const auto& entry : top) {
    EXPECT_EQ(entry.size(), 3U) << entry.dump();
    const int index = entry.at("index").get<int>();
    ASSERT_GE(index, 0);
    ASSERT_LT(index, 1000);
    indices.insert(index);
    EXPECT_EQ(entry.at("name"), names[static_cast<std::size_t>(index)]);
    const double p = entry.at("probability").get<double>();
    EXPECT_GT(p, 0.0);
    EXPECT_LE(p, previous) << "sorted, most probable first";
    previous = p;
  }
  EXPECT_EQ(indices.size(), 5U);
}

TEST(CliPredict, TextSaysTheModelIsUntrained) {
  const PredictRun run =
      predict({(dataDir() / "CT_small.dcm").string(), "--top", "3", "--window", "lung"});
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("model: untrained ResNet50 (random weights, seed 0): predictions are "
                         "meaningless\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\n  1. "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n  3. "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("\n  4. "), std::string::npos) << run.out;
}

TEST(CliPredict, ErrorsAreClearAndExitOne) {
  TempDir dir;
  test::writeFile(dir / "weights.txt", "these are not weights\n");
  const PredictRun badWeights =
      predict({(dataDir() / "CT_small.dcm").string(), "--weights", (dir / "weights.txt").string()});
  EXPECT_EQ(badWeights.exitCode, 1);
  EXPECT_NE(badWeights.err.find("error: cannot read '" + (dir / "weights.txt").string() + "'"),
            std::string::npos)
      << badWeights.err;

  const PredictRun badImage = predict({(dir / "weights.txt").string()});
  EXPECT_EQ(badImage.exitCode, 1);
  EXPECT_NE(badImage.err.find("error: cannot read"), std::string::npos) << badImage.err;

  const PredictRun badDevice = predict({(dataDir() / "CT_small.dcm").string(), "--device", "tpu"});
  EXPECT_EQ(badDevice.exitCode, 1);
  EXPECT_NE(badDevice.err.find("unknown device 'tpu'"), std::string::npos) << badDevice.err;

  EXPECT_EQ(predict({(dataDir() / "CT_small.dcm").string(), "--top", "0"}).exitCode, 2);
}

}  // namespace
}  // namespace camlabel
