// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "core/explain/cam.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/preprocess.h"
#include "core/imaging/window.h"
#include "core/model/classifier.h"
#include "core/model/input_tensor.h"
#include "test_support.h"

namespace camlabel {
namespace {

namespace fs = std::filesystem;
using test::dataDir;
using test::TempDir;

// The CLI and this process compute the same map on the same CPU; only the order of floating-point
// reductions may differ (thread count), so normalised values agree far better than this.
constexpr double kHeatmapTolerance = 1e-4;

test::CliRun cam(std::vector<std::string> args) {
  args.insert(args.begin(), "cam");
  return test::runCli(args);
}

fs::path chestCt() {
  return dataDir() / "CT_small.dcm";  // 128 x 128
}

// What `cam` must have computed, done here with core directly: the untrained ResNet50 of seed 0,
// the image's default window, preprocessing, computeCam, then the map brought to the image's
// resolution with torch's bilinear interpolation (independent of the OpenCV resize the CLI uses).
std::vector<explain::CamResult> expectedCams(const explain::CamRequest& request) {
  model::Classifier classifier;
  const imaging::CtImage image = imaging::readImage(chestCt());
  const imaging::Window window = imaging::defaultWindow(image.info);
  const at::Tensor input =
      model::toInputTensor(imaging::preprocessForModel(image, window, classifier.inputSpec()));
  return explain::computeCam(classifier.network(), input, request);
}

at::Tensor atImageSize(const at::Tensor& normalized, int height, int width) {
  return at::upsample_bilinear2d(normalized.view({1, 1, normalized.size(0), normalized.size(1)}),
                                 {height, width}, false)[0][0];
}

at::Tensor readTiff(const fs::path& path) {
  const cv::Mat tiff = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  EXPECT_EQ(tiff.type(), CV_32FC1) << path;
  if (tiff.type() != CV_32FC1) return {};
  return at::from_blob(tiff.data, {tiff.rows, tiff.cols}, at::kFloat).clone();
}

void expectOverlay(const fs::path& path) {
  const cv::Mat overlay = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(overlay.empty()) << path << " does not decode";
  EXPECT_EQ(overlay.rows, 128);
  EXPECT_EQ(overlay.cols, 128);
  EXPECT_EQ(overlay.type(), CV_8UC3);
}

TEST(CliCam, GradCamOverlayAndHeatmapMatchCore) {
  TempDir dir;
  const test::CliRun run =
      cam({chestCt().string(), "--method", "gradcam", "--out", (dir / "overlay.png").string(),
           "--heatmap-out", (dir / "heat.tiff").string(), "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  expectOverlay(dir / "overlay.png");

  const auto expected = expectedCams(explain::CamRequest{});
  ASSERT_EQ(expected.size(), 1U);
  const at::Tensor heat = readTiff(dir / "heat.tiff");
  ASSERT_TRUE(heat.defined());
  ASSERT_EQ(heat.sizes().vec(), (std::vector<std::int64_t>{128, 128}));
  EXPECT_GE(heat.min().item<double>(), 0.0);
  EXPECT_LE(heat.max().item<double>(), 1.0);
  EXPECT_GT(heat.max().item<double>(), 0.9) << "a normalised map, not a blank one";
  const double diff =
      (heat - atImageSize(expected[0].normalized, 128, 128)).abs().max().item<double>();
  EXPECT_LT(diff, kHeatmapTolerance);

  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json.at("model").at("untrained"), true);
  EXPECT_EQ(json.at("model").at("architecture"), "resnet50");
  EXPECT_EQ(json.at("method"), "gradcam");
  // The default layer is the window's (explain::kDefaultCamLayer): 14 x 14 cells at 224 px.
  EXPECT_EQ(json.at("layer"), "layer3");
  EXPECT_EQ(json.at("map_size"), nlohmann::json::array({14, 14}));
  EXPECT_FALSE(json.contains("scorecam"));
  const auto& maps = json.at("maps");
  ASSERT_EQ(maps.size(), 1U);
  EXPECT_EQ(maps[0].at("index").get<int>(), expected[0].classIndex);
  EXPECT_NEAR(maps[0].at("probability").get<double>(), expected[0].probability, 1e-5);
  EXPECT_EQ(maps[0].at("overlay"), (dir / "overlay.png").string());
  EXPECT_EQ(maps[0].at("heatmap"), (dir / "heat.tiff").string());
}

TEST(CliCam, TopKWritesOneNumberedOverlayPerClass) {
  TempDir dir;
  const test::CliRun run =
      cam({chestCt().string(), "--method", "hirescam", "--top", "3", "--layer", "layer3",
           "--colormap", "viridis", "--opacity", "0.7", "--out", (dir / "overlay.png").string(),
           "--heatmap-out", (dir / "heat.tif").string()});
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  EXPECT_FALSE(fs::exists(dir / "overlay.png"));
  EXPECT_NE(run.out.find("untrained ResNet50"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("method: hirescam\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("layer: layer3 (14x14 map)\n"), std::string::npos) << run.out;

  explain::CamRequest request;
  request.method = explain::CamMethod::HiResCam;
  request.layer = model::ResNetLayer::kLayer3;
  request.topK = 3;
  const auto expected = expectedCams(request);
  ASSERT_EQ(expected.size(), 3U);
  for (int rank = 1; rank <= 3; ++rank) {
    SCOPED_TRACE(std::string("rank ").append(std::to_string(rank)));
    const std::string suffix = std::string("_top").append(std::to_string(rank));
    const fs::path overlay = dir / std::string("overlay").append(suffix).append(".png");
    expectOverlay(overlay);
    const at::Tensor heat = readTiff(dir / std::string("heat").append(suffix).append(".tif"));
    ASSERT_TRUE(heat.defined());
    const auto& want = expected[static_cast<std::size_t>(rank - 1)];
    EXPECT_LT((heat - atImageSize(want.normalized, 128, 128)).abs().max().item<double>(),
              kHeatmapTolerance);
    const std::string line = std::string("(")
                                 .append(std::to_string(want.classIndex))
                                 .append(") -> ")
                                 .append(overlay.string());
    EXPECT_NE(run.out.find(line), std::string::npos) << run.out;
  }
  EXPECT_FALSE(fs::exists(dir / "overlay_top4.png"));
}

TEST(CliCam, ScoreCamFastModeReportsChannelsAndMatchesCore) {
  TempDir dir;
  const test::CliRun run = cam({chestCt().string(), "--method", "scorecam", "--class", "7",
                                "--scorecam-channels", "4", "--out", (dir / "overlay.png").string(),
                                "--heatmap-out", (dir / "heat.tiff").string(), "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  expectOverlay(dir / "overlay.png");
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json.at("method"), "scorecam");
  EXPECT_EQ(json.at("scorecam").at("mode"), "fast");
  EXPECT_EQ(json.at("scorecam").at("channels"), 4);
  EXPECT_EQ(json.at("scorecam").at("layer_channels"), 1024);  // layer3, the default
  ASSERT_EQ(json.at("maps").size(), 1U);
  EXPECT_EQ(json.at("maps")[0].at("index"), 7);

  explain::CamRequest request;
  request.method = explain::CamMethod::ScoreCam;
  request.classes = {7};
  request.scoreCamChannels = 4;
  const at::Tensor heat = readTiff(dir / "heat.tiff");
  ASSERT_TRUE(heat.defined());
  EXPECT_LT((heat - atImageSize(expectedCams(request)[0].normalized, 128, 128))
                .abs()
                .max()
                .item<double>(),
            kHeatmapTolerance);
}

TEST(CliCam, EachMapCarriesDiagnosticsAndTheSanityCheckRandomisesTheModel) {
  TempDir dir;
  const test::CliRun run =
      // layer4: at layer3 an untrained network's maps follow the image's edges whatever its
      // random weights (rank correlation about 0.5 after randomising), so the check's verdict
      // on them says little; layer4's change.
      cam({chestCt().string(), "--method", "gradcam", "--layer", "layer4", "--out",
           (dir / "overlay.png").string(), "--json", "--sanity-check", "--threshold",
           "uniform_entropy=0"});
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  const auto j = nlohmann::json::parse(run.out);
  const auto& d = j.at("maps")[0].at("diagnostics");
  // The user's threshold applies: every map with any spread is now "too even".
  EXPECT_NE(d.at("warnings").dump().find("uniform"), std::string::npos) << d.dump();
  for (const char* key : {"border_share", "corner_share", "entropy", "left_share"}) {
    EXPECT_GE(d.at(key).get<double>(), 0.0) << key;
    EXPECT_LE(d.at(key).get<double>(), 1.0) << key;
  }
  EXPECT_TRUE(d.at("warnings").is_array());
  // CT_small is a CT in HU: the body measure applies.
  EXPECT_TRUE(d.at("outside_body").is_number());
  const auto& sanity = j.at("sanity_check");
  ASSERT_EQ(sanity.at("steps").size(), 6U);
  EXPECT_EQ(sanity.at("steps")[5].at("randomised"), "fc, layer4, layer3, layer2, layer1, stem");
  // The untrained model's own seed must not be the one the check randomises with: Grad-CAM of a
  // different random network is a different map.
  EXPECT_FALSE(sanity.at("insensitive").get<bool>()) << sanity.dump();
  EXPECT_LT(sanity.at("steps")[0].at("spearman").get<double>(), 0.99);
}

TEST(CliGrid, ImagesAreRowsAndMethodsAreColumnsOfOneFigure) {
  TempDir dir;
  const fs::path mr = dataDir() / "MR_small.dcm";
  const test::CliRun one = test::runCli({"grid", chestCt().string(), "--methods", "gradcam",
                                         "--cell", "96", "--out", (dir / "one.png").string()});
  ASSERT_EQ(one.exitCode, 0) << one.output;
  const test::CliRun two =
      test::runCli({"grid", chestCt().string(), mr.string(), "--methods", "gradcam,eigencam",
                    "--cell", "96", "--out", (dir / "two.png").string()});
  ASSERT_EQ(two.exitCode, 0) << two.output;
  const cv::Mat a = cv::imread((dir / "one.png").string(), cv::IMREAD_UNCHANGED);
  const cv::Mat b = cv::imread((dir / "two.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b.channels(), 3);
  EXPECT_EQ(b.cols - a.cols, 96 + 8);  // one more column: a cell and its gap
  EXPECT_GT(b.rows - a.rows, 96);      // one more row
  // File names go to the terminal, the figure numbers its rows.
  EXPECT_NE(two.out.find("row 2: MR_small.dcm"), std::string::npos) << two.out;
  EXPECT_NE(two.out.find("2 rows, 3 columns"), std::string::npos) << two.out;

  const test::CliRun bad = test::runCli({"grid", chestCt().string(), "--methods", "gradcam,fog",
                                         "--out", (dir / "bad.png").string()});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("scorecam"), std::string::npos) << bad.err;  // lists the methods
}

TEST(CliCam, UsageErrorsExitTwoWithAClearMessage) {
  TempDir dir;
  const std::string out = (dir / "overlay.png").string();
  const test::CliRun classRange =
      cam({chestCt().string(), "--method", "gradcam", "--class", "1000", "--out", out});
  EXPECT_EQ(classRange.exitCode, 2);
  EXPECT_NE(classRange.err.find("--class"), std::string::npos) << classRange.err;
  EXPECT_NE(classRange.err.find("999"), std::string::npos) << classRange.err;

  const test::CliRun method = cam({chestCt().string(), "--method", "gradcam+", "--out", out});
  EXPECT_EQ(method.exitCode, 2);
  EXPECT_NE(method.err.find("unknown CAM method 'gradcam+' (accepted: gradcam, hirescam, "
                            "gradcam++, xgradcam, layercam, eigencam, scorecam)"),
            std::string::npos)
      << method.err;

  EXPECT_EQ(
      cam({chestCt().string(), "--method", "gradcam", "--class", "3", "--top", "2", "--out", out})
          .exitCode,
      2);
  const test::CliRun layer =
      cam({chestCt().string(), "--method", "gradcam", "--layer", "layer5", "--out", out});
  EXPECT_EQ(layer.exitCode, 2);
  EXPECT_NE(layer.err.find("layer5"), std::string::npos) << layer.err;
  const test::CliRun channels =
      cam({chestCt().string(), "--method", "gradcam", "--scorecam-channels", "8", "--out", out});
  EXPECT_EQ(channels.exitCode, 2);
  EXPECT_NE(channels.err.find("scorecam only"), std::string::npos) << channels.err;
  EXPECT_EQ(
      cam({chestCt().string(), "--method", "gradcam", "--opacity", "1.5", "--out", out}).exitCode,
      2);
  EXPECT_EQ(cam({chestCt().string(), "--method", "gradcam", "--colormap", "rainbow", "--out", out})
                .exitCode,
            2);
  const test::CliRun heatmap = cam({chestCt().string(), "--method", "gradcam", "--out", out,
                                    "--heatmap-out", (dir / "heat.png").string()});
  EXPECT_EQ(heatmap.exitCode, 2);
  EXPECT_NE(heatmap.err.find(".tif"), std::string::npos) << heatmap.err;
  EXPECT_EQ(cam({chestCt().string(), "--method", "gradcam"}).exitCode, 2) << "--out is required";
  const test::CliRun threshold = cam(
      {chestCt().string(), "--method", "gradcam", "--out", out, "--threshold", "corner_share=2"});
  EXPECT_EQ(threshold.exitCode, 2);
  EXPECT_NE(threshold.err.find("corner_share must be a number from 0 to 1"), std::string::npos)
      << threshold.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliCam, BadImageExitsOneNamingTheFile) {
  TempDir dir;
  test::writeFile(dir / "slice.png", "not a png at all\n");
  const test::CliRun run = cam({(dir / "slice.png").string(), "--method", "gradcam", "--out",
                                (dir / "overlay.png").string()});
  EXPECT_EQ(run.exitCode, 1);
  const std::string message =
      std::string("camlabel-cli: error: cannot read '").append((dir / "slice.png").string()) + "'";
  EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir / "overlay.png"));
}

}  // namespace
}  // namespace camlabel
