// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "test_support.h"

namespace camlabel {
namespace {

namespace fs = std::filesystem;
using test::dataDir;
using test::TempDir;

using test::CliRun;

CliRun cli(const std::vector<std::string>& args) {
  return test::runCli(args);
}

TEST(Cli, VersionAndHelp) {
  const CliRun version = cli({"--version"});
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_NE(version.output.find("camlabel-cli 0."), std::string::npos) << version.output;
  const CliRun help = cli({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  for (const char* command : {"info", "render", "phantom"})
    EXPECT_NE(help.output.find(command), std::string::npos) << command << "\n" << help.output;
  EXPECT_EQ(cli({}).exitCode, 2) << "a subcommand is required";
  EXPECT_EQ(cli({"frobnicate"}).exitCode, 2);
}

// Issue 14: camlabel-cli starts without LibTorch and hands the commands that run a model to
// camlabel-cli-model beside it: their help, output and exit codes are that program's; without it
// they say what is missing, and the commands that need no model still run.
TEST(Cli, ModelCommandsAreHandedToTheModelProgram) {
  const CliRun help = cli({"--help"});
  for (const char* command : {"predict", "cam", "label", "eval", "laterality", "project"})
    EXPECT_NE(help.out.find(command), std::string::npos) << command << "\n" << help.out;
  const CliRun predictHelp = cli({"predict", "--help"});
  EXPECT_EQ(predictHelp.exitCode, 0) << predictHelp.output;
  EXPECT_NE(predictHelp.out.find("Usage: camlabel-cli predict"), std::string::npos)
      << predictHelp.out;
  EXPECT_NE(predictHelp.out.find("--weights"), std::string::npos) << predictHelp.out;
  EXPECT_EQ(cli({"predict"}).exitCode, 2) << "IMAGE is required, as the model program says";
  EXPECT_EQ(cli({"predict", "/nonexistent.dcm"}).exitCode, 1);

  TempDir dir;
  const fs::path alone = dir / "camlabel-cli";
  fs::copy_file(CAMLABEL_CLI, alone);
  fs::permissions(alone, fs::perms::owner_all);
  const std::string ct = (dataDir() / "CT_small.dcm").string();
  auto run = [&](const char* command, std::string& output) {
    std::string line;
    line.append("'").append(alone.string()).append("' ").append(command);
    line.append(" '").append(ct).append("' 2>&1");
    output.clear();
    FILE* pipe = popen(line.c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[512];
    for (std::size_t n = 0; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;)
      output.append(buffer, n);
    return WEXITSTATUS(pclose(pipe));
  };
  std::string output;
  EXPECT_EQ(run("predict", output), 1) << output;
  EXPECT_NE(output.find("camlabel-cli-model is missing"), std::string::npos) << output;
  EXPECT_EQ(run("info", output), 0) << output;
  EXPECT_NE(output.find("CT"), std::string::npos) << output;
}

TEST(Cli, InfoJsonOnTheRealChestCt) {
  const CliRun run = cli({"info", (dataDir() / "CT_small.dcm").string(), "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto info = nlohmann::json::parse(run.output);
  EXPECT_EQ(info["format"], "DICOM");
  EXPECT_EQ(info["modality"], "CT");
  EXPECT_EQ(info["width"], 128);
  EXPECT_EQ(info["values"], "hounsfield");
  EXPECT_EQ(info["hu_range"][0],
            -896.0);  // pydicom's min and max (tests/data/dicom_reference.json)
  EXPECT_EQ(info["hu_range"][1], 1167.0);
  EXPECT_DOUBLE_EQ(info["pixel_spacing_mm"][0].get<double>(), 0.661468);
  EXPECT_EQ(run.output.find("CompressedSamples"), std::string::npos) << "patient name leaked";
}

TEST(Cli, InfoTextWarnsAboutNonCt) {
  const CliRun run = cli({"info", (dataDir() / "MR_small.dcm").string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("modality:       MR"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("warning:        modality is MR, not CT"), std::string::npos);
  EXPECT_EQ(run.output.find("CompressedSamples"), std::string::npos) << "patient name leaked";
}

TEST(Cli, RenderWritesTheWindowedSlice) {
  TempDir dir;
  const fs::path out = dir / "lung.png";
  const CliRun run = cli(
      {"render", (dataDir() / "CT_small.dcm").string(), "--window", "lung", "--out", out.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const cv::Mat png = cv::imread(out.string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(png.type(), CV_8UC1);
  ASSERT_EQ(png.size(), cv::Size(128, 128));
  // pydicom: HU -849 at (0, 0), 1167 max somewhere; lung window [-1350, 150].
  EXPECT_EQ(png.at<uchar>(0, 0), cvRound((-849.0 + 1350.0) / 1500.0 * 255.0));

  const fs::path custom = dir / "custom.png";
  ASSERT_EQ(cli({"render", (dataDir() / "CT_small.dcm").string(), "--window", "-849,2", "--out",
                 custom.string()})
                .exitCode,
            0);
  EXPECT_EQ(cv::imread(custom.string(), cv::IMREAD_UNCHANGED).at<uchar>(0, 0), 128);
}

// `render` writes its PNG through libpng: OpenCV's codec module (some 130 libraries, 70 ms) and
// libpq are not loaded (issue 14: commands without a model start within 2x of dcmdump). The dynamic
// loader's own trace says what was loaded.
TEST(Cli, RenderDoesNotLoadTheCodecModule) {
  TempDir dir;
  const fs::path out = dir / "slice.png";
  ::setenv("LD_DEBUG", "files", 1);
  const CliRun run = cli({"render", (dataDir() / "CT_small.dcm").string(), "--out", out.string()});
  ::unsetenv("LD_DEBUG");
  ASSERT_EQ(run.exitCode, 0) << run.output;
  ASSERT_NE(run.err.find("libdcmdata"), std::string::npos) << "no loader trace:\n" << run.err;
  EXPECT_EQ(run.err.find("camlabel_codecs"), std::string::npos);
  EXPECT_EQ(run.err.find("opencv_imgcodecs"), std::string::npos);
  // Nor PostgreSQL's client, which only a team project's server needs (and its Kerberos/LDAP).
  EXPECT_EQ(run.err.find("libpq"), std::string::npos);
  const cv::Mat png = cv::imread(out.string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(png.type(), CV_8UC1);
  EXPECT_EQ(png.size(), cv::Size(128, 128));
}

TEST(Cli, ErrorsAreClearAndNonZero) {
  TempDir dir;
  const CliRun badWindow = cli({"render", (dataDir() / "CT_small.dcm").string(), "--window",
                                "lungs", "--out", (dir / "x.png").string()});
  EXPECT_EQ(badWindow.exitCode, 1);
  EXPECT_NE(badWindow.output.find("unknown window 'lungs'"), std::string::npos) << badWindow.output;
  EXPECT_FALSE(fs::exists(dir / "x.png"));

  const CliRun j2k = cli({"info", (dataDir() / "J2K_pixelrep_mismatch.dcm").string()});
  EXPECT_EQ(j2k.exitCode, 1);
  EXPECT_NE(j2k.output.find("error: cannot read"), std::string::npos) << j2k.output;
  EXPECT_NE(j2k.output.find("JPEG 2000"), std::string::npos) << j2k.output;

  const CliRun unwritable = cli({"render", (dataDir() / "CT_small.dcm").string(), "--out",
                                 (dir / "no" / "such" / "dir.png").string()});
  EXPECT_EQ(unwritable.exitCode, 1);
  EXPECT_NE(unwritable.output.find("cannot write"), std::string::npos) << unwritable.output;
}

TEST(Cli, PhantomWritesALabelledSetThatInfoReadsAsCt) {
  TempDir dir;
  const fs::path out = dir / "phantoms";
  const CliRun run = cli({"phantom", out.string(), "--count", "12", "--seed", "5", "--size", "64"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  std::ifstream labels(out / "labels.csv");
  std::string line;
  std::getline(labels, line);
  EXPECT_EQ(line, "file,label");
  int rows = 0;
  while (std::getline(labels, line)) {
    ++rows;
    const std::string file = line.substr(0, line.find(','));
    ASSERT_TRUE(fs::exists(out / file)) << file;
    const CliRun info = cli({"info", (out / file).string(), "--json"});
    ASSERT_EQ(info.exitCode, 0) << info.output;
    EXPECT_EQ(nlohmann::json::parse(info.output)["values"], "hounsfield");
  }
  EXPECT_EQ(rows, 12);
  const CliRun again =
      cli({"phantom", (dir / "again").string(), "--count", "12", "--seed", "5", "--size", "64"});
  ASSERT_EQ(again.exitCode, 0);
  EXPECT_EQ(test::readFile(out / "labels.csv"), test::readFile(dir / "again" / "labels.csv"));
  EXPECT_EQ(cli({"phantom", (dir / "bad").string(), "--size", "10"}).exitCode, 2);
}

}  // namespace
}  // namespace camlabel
