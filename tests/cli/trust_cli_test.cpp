// SPDX-License-Identifier: Apache-2.0
// camlabel-cli laterality on a trained demo project, checked against the left shares computed
// here from the same version's heatmaps.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "cli_runner.h"
#include "core/explain/cam.h"
#include "core/explain/cam_render.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/model/input_tensor.h"
#include "core/model/resnet.h"
#include "core/project/project.h"
#include "core/session/evaluation.h"
#include "test_support.h"

namespace camlabel {
namespace {

namespace fs = std::filesystem;
using test::runCli;

/// One side holds more than this share of a map: explain::DiagnosticThresholds' default.
constexpr double kOneSided = 0.85;

/// A demo of 10 labelled slices (one per pattern) trained into v1 and v2 with the tiny network.
fs::path makeLabelledDemo(const fs::path& dir) {
  const fs::path project = dir / "demo";
  const test::CliRun demo = runCli({"demo", project.string(), "--per-class", "2", "--size", "64",
                                    "--model-size", "64", "--snapshot-every", "5"});
  EXPECT_EQ(demo.exitCode, 0) << demo.output;
  const test::CliRun label =
      runCli({"label", project.string(), "--from", (project / "labels.csv").string(), "--network",
              "tiny", "--wait"});
  EXPECT_EQ(label.exitCode, 0) << label.output;
  return project;
}

struct Expected {
  int images = 0;
  int oneSided = 0;
  double leftSum = 0;
};

/// The left share of every labelled image's Grad-CAM map of its label, by class, computed
/// column by column rather than through explain::diagnoseHeatmap.
std::map<int, Expected> expectedByClass(const fs::path& dir, int version, Expected& all) {
  auto project = project::Project::open(dir);
  session::LoadedVersion model =
      session::loadVersion(*project, version, *model::namedNetwork("tiny"), c10::kCPU);
  imaging::ModelInputSpec spec;
  spec.size = project->settings().modelSize;
  std::map<int, Expected> byClass;
  project->forEachCurrentLabel([&](const project::ImageRecord& r, const project::CurrentLabel& l) {
    if (l.skipped) return;
    const imaging::CtImage image = imaging::readImage(project->resolveImage(r.id));
    const at::Tensor x = model::toInputTensor(
        imaging::preprocessForModel(image, imaging::defaultWindow(image.info), spec));
    explain::CamRequest request;
    request.classes = {l.classIndex};
    const explain::CamResult cam = explain::computeCam(*model.network, x, request).front();
    const cv::Mat map = explain::camToMat(
        explain::upsampleAndNormalize(cam.raw, image.values.rows, image.values.cols));
    ASSERT_EQ(map.cols % 2, 0);
    double left = 0, right = 0;
    for (int y = 0; y < map.rows; ++y)
      for (int x0 = 0; x0 < map.cols; ++x0)
        (x0 < map.cols / 2 ? left : right) += map.at<float>(y, x0);
    const double share = left + right > 0 ? left / (left + right) : 0.5;
    const bool oneSided = share > kOneSided || share < 1 - kOneSided;
    for (Expected* e : {&all, &byClass[l.classIndex]}) {
      ++e->images;
      e->oneSided += oneSided ? 1 : 0;
      e->leftSum += share;
    }
  });
  return byClass;
}

void expectSummary(const nlohmann::json& j, const Expected& e) {
  EXPECT_EQ(j.at("images").get<int>(), e.images);
  EXPECT_EQ(j.at("one_sided").get<int>(), e.oneSided);
  EXPECT_NEAR(j.at("one_sided_share").get<double>(), static_cast<double>(e.oneSided) / e.images,
              1e-12);
  EXPECT_NEAR(j.at("mean_left_share").get<double>(), e.leftSum / e.images, 1e-5);
  EXPECT_EQ(j.at("biased").get<bool>(), 2 * e.oneSided > e.images);
}

TEST(CliLaterality, MatchesTheLeftSharesOfTheVersionsHeatmaps) {
  test::TempDir dir;
  const fs::path project = makeLabelledDemo(dir.path());
  for (const std::string version : {"v1", "2"}) {
    const test::CliRun run = runCli(
        {"laterality", project.string(), "--version", version, "--network", "tiny", "--json"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const auto j = nlohmann::json::parse(run.out);
    const int k = version == "v1" ? 1 : 2;
    EXPECT_EQ(j.at("version").get<int>(), k);
    EXPECT_EQ(j.at("labels_seen").get<int>(), 5 * k);
    Expected all;
    const std::map<int, Expected> byClass = expectedByClass(project, k, all);
    EXPECT_EQ(all.images, 10);
    expectSummary(j, all);
    ASSERT_EQ(j.at("per_class").size(), byClass.size());
    for (const auto& c : j.at("per_class")) {
      SCOPED_TRACE(c.dump());
      expectSummary(c, byClass.at(c.at("class").get<int>()));
    }
    // Nothing names where the project lies (the folder could carry a patient's name).
    EXPECT_EQ(run.output.find(dir.path().string()), std::string::npos) << run.output;
  }

  // --limit takes the first N; the text report says the same.
  const test::CliRun text =
      runCli({"laterality", project.string(), "--network", "tiny", "--limit", "3"});
  ASSERT_EQ(text.exitCode, 0) << text.output;
  EXPECT_NE(text.out.find("model v2 (10 labels), gradcam heatmaps of the labelled class"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("all                     3"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("of 3) lie on one side"), std::string::npos) << text.out;
}

TEST(CliLaterality, ACsvListAndBadInput) {
  test::TempDir dir;
  const fs::path project = makeLabelledDemo(dir.path());
  // The held-out list: images outside the project, explained all the same; a missing file is
  // left out by its relative name.
  const fs::path held = project / "held_out" / "labels.csv";
  std::ifstream in(held);
  std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  csv.append("images/gone.png,3\n");
  std::ofstream(held, std::ios::trunc) << csv;
  const test::CliRun run = runCli(
      {"laterality", project.string(), "--labels", held.string(), "--network", "tiny", "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j.at("images").get<int>(), 10);
  EXPECT_EQ(j.at("left_out").get<int>(), 1);
  EXPECT_NE(run.err.find("left out: images/gone.png: "), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(dir.path().string()), std::string::npos) << run.err;

  std::ofstream(held, std::ios::trunc) << "file,label\nimages/a.png,12\n";
  const test::CliRun bad =
      runCli({"laterality", project.string(), "--labels", held.string(), "--network", "tiny"});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("line 2: class 12 is not in the scheme (0 to 9)"), std::string::npos)
      << bad.err;

  const test::CliRun version =
      runCli({"laterality", project.string(), "--version", "v7", "--network", "tiny"});
  EXPECT_EQ(version.exitCode, 1);
  EXPECT_NE(version.err.find("no model version v7"), std::string::npos) << version.err;

  const test::CliRun method =
      runCli({"laterality", project.string(), "--method", "nosuch", "--network", "tiny"});
  EXPECT_EQ(method.exitCode, 1);
  EXPECT_NE(method.err.find("nosuch"), std::string::npos) << method.err;
}

TEST(CliLaterality, AProjectWithoutLabelsSaysSo) {
  test::TempDir dir;
  const fs::path project = dir.path() / "demo";
  ASSERT_EQ(runCli({"demo", project.string(), "--per-class", "2", "--size", "64"}).exitCode, 0);
  const test::CliRun run = runCli({"laterality", project.string(), "--network", "tiny"});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("no labelled image yet"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace camlabel
