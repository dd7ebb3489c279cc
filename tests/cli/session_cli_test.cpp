// SPDX-License-Identifier: Apache-2.0
// A whole annotation session through the real camlabel-cli: demo, label (the same Session the
// GUI drives), eval; and a label process killed at random moments loses nothing.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/common/sha256.h"
#include "core/model/checkpoint.h"
#include "core/project/project.h"
#include "core/session/session.h"
#include "test_support.h"

namespace camlabel {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::runCli;

/// A small demo project: 10 patterns x 20 slices of 64 pixels, a 64-pixel model input.
fs::path makeDemo(const fs::path& dir, int perClass = 20, int snapshotEvery = 10) {
  const fs::path project = dir / "demo";
  const test::CliRun run =
      runCli({"demo", project.string(), "--per-class", std::to_string(perClass), "--size", "64",
              "--model-size", "64", "--snapshot-every", std::to_string(snapshotEvery)});
  EXPECT_EQ(run.exitCode, 0) << run.output;
  return project;
}

/// A small demo with two labels trained into version v1 (versions every 2 labels).
fs::path makeTrainedDemo(const fs::path& dir) {
  const fs::path project = makeDemo(dir, 2, 2);
  const fs::path csv = dir / "rows.csv";
  std::ofstream(csv) << "file,label\nphantom/phantom_0001.png,1\nphantom/phantom_0002.png,2\n";
  const test::CliRun run =
      runCli({"label", project.string(), "--from", csv.string(), "--network", "tiny", "--wait"});
  EXPECT_EQ(run.exitCode, 0) << run.output;
  return project;
}

double jsonAccuracy(const std::string& out) {
  const auto j = nlohmann::json::parse(out);
  return j.at("metrics").at("accuracy").get<double>();
}

TEST(CliSession, AReplayedSessionLearnsPatternsItHasNotSeen) {
  test::TempDir dir;
  const fs::path project = makeDemo(dir.path());
  const test::CliRun label =
      runCli({"label", project.string(), "--from", (project / "labels.csv").string(), "--network",
              "tiny", "--lockstep", "--wait", "--annotator", "replay"});
  ASSERT_EQ(label.exitCode, 0) << label.output;
  EXPECT_NE(label.out.find("labels given: 160"), std::string::npos) << label.out;
  EXPECT_NE(label.out.find("v16 (160)"), std::string::npos) << label.out;

  // Prequential accuracy of the last 50 labels, well above chance (0.1). The prediction shown is
  // the trainer's moving average, which trails the tiny network's fast steps by some 20 labels
  // here (0.24 against 0.38 for the last step's weights); with ResNet50 on the learning
  // benchmark the average's shown predictions are the better ones (0.84 against 0.70).
  const auto at = label.out.find("accuracy, last 50");
  ASSERT_NE(at, std::string::npos) << label.out;
  const double prequential = std::stod(label.out.substr(at + 17));
  std::cout << "prequential accuracy, last 50 labels: " << prequential << '\n';
  EXPECT_GE(prequential, 0.2);

  // project status shows the same learning curve, from the store.
  const test::CliRun status = runCli({"project", "status", project.string(), "--json"});
  ASSERT_EQ(status.exitCode, 0) << status.output;
  const auto prequentialJson = nlohmann::json::parse(status.out).at("prequential");
  EXPECT_NEAR(prequentialJson.at("window_accuracy").get<double>(), prequential, 1e-4);
  EXPECT_EQ(prequentialJson.at("evaluated"), 160);
  EXPECT_EQ(prequentialJson.at("curve").size(), 160U);

  // Held-out images never imported: the last version is far better than the first.
  const fs::path heldOut = project / "held_out" / "labels.csv";
  const test::CliRun first = runCli({"eval", project.string(), "--labels", heldOut.string(),
                                     "--network", "tiny", "--version", "v1", "--json"});
  const test::CliRun last = runCli(
      {"eval", project.string(), "--labels", heldOut.string(), "--network", "tiny", "--json"});
  ASSERT_EQ(first.exitCode, 0) << first.output;
  ASSERT_EQ(last.exitCode, 0) << last.output;
  const double before = jsonAccuracy(first.out);
  const double after = jsonAccuracy(last.out);
  std::cout << "held-out accuracy: v1 " << before << ", v16 " << after << '\n';
  EXPECT_GE(after, 0.3);
  EXPECT_GE(after, before + 0.15);
  EXPECT_EQ(nlohmann::json::parse(last.out).at("version"), 16);

  // Every label is in the store with the annotator and the prediction that was shown.
  auto p = project::Project::open(project);
  EXPECT_EQ(p->counts().labelled, 160);
  int withPrediction = 0;
  p->forEachCurrentLabel([&](const project::ImageRecord&, const project::CurrentLabel& l) {
    EXPECT_EQ(l.annotator, "replay");
    withPrediction += l.context.predictedClass.has_value() ? 1 : 0;
  });
  EXPECT_EQ(withPrediction, 160);
}

// Issue 18: names a spreadsheet would run, names with commas and names that are not UTF-8 go
// out in a valid UTF-8 export with no formula, and come back in through label --from.
TEST(CliSession, AnExportIsReadBackWhateverTheNamesAre) {
  test::TempDir dir;
  const fs::path images = dir.path() / "images";
  fs::create_directories(images);
  const std::vector<std::string> names{"=SUM(1).png", "two,parts.png",
                                       std::string("latin1_\xE9.png"), "plain.png"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    cv::Mat image(64, 64, CV_8UC1, cv::Scalar(static_cast<double>(40 * i + 10)));
    cv::randu(image, cv::Scalar(0), cv::Scalar(255));
    ASSERT_TRUE(cv::imwrite((images / names[i]).string(), image));
  }
  const fs::path first = dir.path() / "first";
  ASSERT_EQ(runCli({"project", "new", first.string(), "--images", images.string()}).exitCode, 0);
  const fs::path csv = dir.path() / "rows.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "file,label\n\"=SUM(1).png\",1\n\"two,parts.png\",2\nlatin1_\xE9.png,3\n";
  }
  const test::CliRun given = runCli(
      {"label", first.string(), "--from", csv.string(), "--network", "tiny", "--limit", "3"});
  ASSERT_EQ(given.exitCode, 0) << given.output;
  ASSERT_NE(given.out.find("labels given: 3"), std::string::npos) << given.out;

  const fs::path exported = dir.path() / "export.csv";
  ASSERT_EQ(runCli({"project", "export", first.string(), "--labels", exported.string()}).exitCode,
            0);
  const std::string text = test::readFile(exported);
  EXPECT_TRUE(isUtf8(text));
  EXPECT_NE(text.find("'=SUM(1).png"), std::string::npos) << text;
  EXPECT_NE(text.find("\"two,parts.png\""), std::string::npos) << text;
  EXPECT_NE(text.find("latin1_%E9.png"), std::string::npos) << text;
  const fs::path json = dir.path() / "export.json";
  const test::CliRun asJson =
      runCli({"project", "export", first.string(), "--labels", json.string()});
  ASSERT_EQ(asJson.exitCode, 0) << asJson.output;
  const auto parsed = nlohmann::json::parse(test::readFile(json));
  EXPECT_EQ(parsed["labels"].size(), 3U);

  // A colleague's project of the same folder takes the export as it is.
  const fs::path second = dir.path() / "second";
  ASSERT_EQ(runCli({"project", "new", second.string(), "--images", images.string()}).exitCode, 0);
  const test::CliRun back = runCli(
      {"label", second.string(), "--from", exported.string(), "--network", "tiny", "--limit", "3"});
  ASSERT_EQ(back.exitCode, 0) << back.output;
  EXPECT_NE(back.out.find("labels given: 3"), std::string::npos) << back.out;
  EXPECT_EQ(back.err.find("not in the project"), std::string::npos) << back.err;
}

TEST(CliSession, RowsOutsideTheProjectAreReportedAndBadRowsRefused) {
  test::TempDir dir;
  const fs::path project = makeDemo(dir.path(), 2);
  // The README's first command run twice: the demo is reused, not refused or rewritten.
  const test::CliRun again = runCli({"demo", project.string()});
  EXPECT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.out.find("already holds a camlabel project"), std::string::npos) << again.out;
  const fs::path csv = dir.path() / "rows.csv";
  std::ofstream(csv) << "file,label\nphantom/phantom_0001.png,3\nnowhere/missing.png,1\n";
  const test::CliRun run =
      runCli({"label", project.string(), "--from", csv.string(), "--network", "tiny", "--wait"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.err.find("not in the project, skipped: nowhere/missing.png (line 3)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("labels given: 1 (1 rows not in the project)"), std::string::npos)
      << run.out;

  std::ofstream(csv) << "file,label\nphantom/phantom_0001.png,12\n";
  const test::CliRun bad =
      runCli({"label", project.string(), "--from", csv.string(), "--network", "tiny"});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("line 2: class 12 is not in the scheme 'pattern' (0 to 9)"),
            std::string::npos)
      << bad.err;

  const test::CliRun noVersion =
      runCli({"eval", project.string(), "--labels", (project / "held_out" / "labels.csv").string(),
              "--network", "tiny", "--version", "v7"});
  EXPECT_EQ(noVersion.exitCode, 1);
  EXPECT_NE(noVersion.err.find("no model version"), std::string::npos) << noVersion.err;

  // A project trained with the tiny network refuses to resume with another one rather than
  // silently starting over.
  std::ofstream(csv) << "file,label\n";
  for (int i = 1; i <= 12; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "phantom/phantom_%04d.png,%d\n", i, i % 10);
    std::ofstream(csv, std::ios::app) << name;
  }
  ASSERT_EQ(
      runCli({"label", project.string(), "--from", csv.string(), "--network", "tiny", "--wait"})
          .exitCode,
      0);
  const test::CliRun other =
      runCli({"label", project.string(), "--from", csv.string(), "--limit", "0"});
  EXPECT_EQ(other.exitCode, 1);
  EXPECT_NE(other.err.find("network it was trained with"), std::string::npos) << other.err;
}

// Issue 14, point 3: what `phantom` writes is a dataset to use as it is: its slices (not the masks)
// become the project, its labels.csv names every one of them, and localise finds the masks.
TEST(CliSession, APhantomFolderIsADatasetAsItIs) {
  test::TempDir dir;
  const fs::path out = dir.path() / "out";
  ASSERT_EQ(
      runCli({"phantom", out.string(), "--count", "12", "--seed", "5", "--size", "64"}).exitCode,
      0);
  const fs::path project = dir.path() / "p";
  const test::CliRun created =
      runCli({"project", "new", project.string(), "--images", out.string()});
  ASSERT_EQ(created.exitCode, 0) << created.output;
  EXPECT_NE(created.out.find("added 12,"), std::string::npos) << created.out;
  EXPECT_NE(created.out.find("not the lesion masks in masks/"), std::string::npos) << created.out;
  const test::CliRun label = runCli({"label", project.string(), "--from",
                                     (out / "labels.csv").string(), "--network", "tiny", "--wait"});
  ASSERT_EQ(label.exitCode, 0) << label.output;
  EXPECT_NE(label.out.find("labels given: 12"), std::string::npos) << label.out;
  EXPECT_EQ(label.err.find("not in the project"), std::string::npos) << label.err;
  const test::CliRun localise =
      runCli({"localise", project.string(), "--labels", (out / "labels.csv").string(), "--network",
              "tiny", "--json"});
  ASSERT_EQ(localise.exitCode, 0) << localise.output;
  EXPECT_FALSE(nlohmann::json::parse(localise.out).at("scores").empty());
}

TEST(CliSession, LocaliseScoresHeatmapsAgainstLesionMasks) {
  test::TempDir dir;
  const fs::path project = makeTrainedDemo(dir.path());
  const fs::path heldOut = project / "held_out";
  const test::CliRun run = runCli(
      {"localise", project.string(), "--labels", (heldOut / "labels.csv").string(), "--masks",
       (heldOut / "masks").string(), "--network", "tiny", "--method", "gradcam,eigencam", "--layer",
       "layer3", "--json", "--csv", (dir.path() / "each.csv").string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j.at("version"), 1);

  // The images scored are the held-out ones with a lesion; chance is their mean mask area,
  // computed here from the mask files themselves.
  int lesions = 0;
  double area = 0;
  for (const auto& entry : fs::directory_iterator(heldOut / "masks")) {
    const cv::Mat mask = cv::imread(entry.path().string(), cv::IMREAD_GRAYSCALE);
    if (cv::countNonZero(mask) == 0) continue;
    ++lesions;
    area += static_cast<double>(cv::countNonZero(mask)) / static_cast<double>(mask.total());
  }
  ASSERT_GT(lesions, 0);
  ASSERT_EQ(j.at("scores").size(), 2U);
  for (const auto& score : j.at("scores")) {
    EXPECT_EQ(score.at("images"), lesions);
    EXPECT_NEAR(score.at("mask_area").get<double>(), area / lesions, 1e-9);
    EXPECT_NEAR(score.at("pointing_game").get<double>(), score.at("hits").get<double>() / lesions,
                1e-12);
    const double inside = score.at("energy_inside").get<double>();
    EXPECT_GE(inside, 0.0);
    EXPECT_LE(inside, 1.0);
  }
  EXPECT_EQ(j.at("scores")[1].at("method"), "eigencam");

  // --csv: a row per method and image; each row's hit agrees with its peak's place in the mask
  // file, and with its distance from the lesion; the hits add up to the summary's.
  const std::vector<csv::Record> rows = csv::readFile(dir.path() / "each.csv");
  ASSERT_EQ(rows.size(), 1U + 2U * static_cast<std::size_t>(lesions));
  EXPECT_EQ(rows[0].fields.at(6), "peak_distance_px");
  std::map<std::string, int> hits;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::vector<std::string>& f = rows[r].fields;
    ASSERT_EQ(f.size(), 9U);
    const cv::Mat mask =
        cv::imread((heldOut / "masks" / fs::path(f[1]).filename()).string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(mask.empty()) << f[1];
    const cv::Point peak(std::stoi(f[4]), std::stoi(f[5]));
    ASSERT_TRUE(cv::Rect(0, 0, mask.cols, mask.rows).contains(peak)) << f[1];
    const bool hit = f[3] == "1";
    EXPECT_EQ(hit, mask.at<std::uint8_t>(peak) != 0) << f[1];
    EXPECT_EQ(hit, std::stod(f[6]) == 0) << f[1];
    hits[f[0]] += hit ? 1 : 0;
  }
  EXPECT_EQ(hits["gradcam"], j.at("scores")[0].at("hits").get<int>());
  EXPECT_EQ(hits["eigencam"], j.at("scores")[1].at("hits").get<int>());

  const test::CliRun bad = runCli(
      {"localise", project.string(), "--labels", (heldOut / "labels.csv").string(), "--masks",
       (heldOut / "masks").string(), "--network", "tiny", "--method", "gradcam,magic"});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("magic"), std::string::npos) << bad.err;
}

// Issue 14: "base" names the model before any label wherever a version is taken; it is the
// model the session starts from (its prediction is the one shown with the first label).
TEST(CliSession, BaseNamesTheModelBeforeAnyLabel) {
  test::TempDir dir;
  const fs::path project = makeDemo(dir.path(), 2, 2);
  // Before any label there is no version: the current one is refused, with the way out; base
  // works, for figures too.
  const fs::path heldOut = project / "held_out" / "labels.csv";
  const test::CliRun none =
      runCli({"eval", project.string(), "--labels", heldOut.string(), "--network", "tiny"});
  EXPECT_EQ(none.exitCode, 1);
  EXPECT_NE(none.err.find("or use version base"), std::string::npos) << none.err;
  const fs::path png = dir.path() / "base.png";
  const test::CliRun figure =
      runCli({"figure", project.string(), "--images", "phantom/phantom_0002.png", "--network",
              "tiny", "--version", "base", "--out", png.string()});
  EXPECT_EQ(figure.exitCode, 0) << figure.output;
  EXPECT_TRUE(fs::exists(png));

  const fs::path rows = dir.path() / "rows.csv";
  std::ofstream(rows) << "file,label\nphantom/phantom_0001.png,1\n";
  ASSERT_EQ(
      runCli({"label", project.string(), "--from", rows.string(), "--network", "tiny", "--wait"})
          .exitCode,
      0);
  int shown = -1;
  fs::path file;
  {
    auto p = project::Project::open(project);
    p->forEachCurrentLabel([&](const project::ImageRecord& image, const project::CurrentLabel& l) {
      shown = l.context.predictedClass.value_or(-1);
      file = p->resolveImage(image.id);
    });
  }
  ASSERT_GE(shown, 0);
  const fs::path asShown = dir.path() / "as_shown.csv";
  std::ofstream(asShown) << "file,label\n" << file.string() << ',' << shown << '\n';

  const test::CliRun base = runCli({"eval", project.string(), "--labels", asShown.string(),
                                    "--network", "tiny", "--version", "base", "--json"});
  ASSERT_EQ(base.exitCode, 0) << base.output;
  const auto j = nlohmann::json::parse(base.out);
  EXPECT_EQ(j.at("version"), 0);
  EXPECT_EQ(j.at("labels_seen"), 0);
  EXPECT_DOUBLE_EQ(j.at("metrics").at("accuracy").get<double>(), 1.0)
      << "base predicts what the window showed before any label";
  // predict and cam name the same model with --project: the scheme's classes, --class indexes it.
  const test::CliRun predict = runCli({"predict", file.string(), "--project", project.string(),
                                       "--version", "base", "--network", "tiny", "--json"});
  ASSERT_EQ(predict.exitCode, 0) << predict.output;
  const auto top = nlohmann::json::parse(predict.out);
  EXPECT_EQ(top.at("top").at(0).at("index"), shown);
  EXPECT_EQ(top.at("model").at("classes"), 10);
  EXPECT_EQ(top.at("model").at("source"), "project version base (0 labels)");
  const fs::path overlay = dir.path() / "overlay.png";
  EXPECT_EQ(
      runCli({"cam", file.string(), "--method", "gradcam", "--project", project.string(),
              "--version", "base", "--network", "tiny", "--class", "9", "--out", overlay.string()})
          .exitCode,
      0);
  const test::CliRun outside =
      runCli({"cam", file.string(), "--method", "gradcam", "--project", project.string(),
              "--network", "tiny", "--class", "10", "--out", overlay.string()});
  EXPECT_EQ(outside.exitCode, 1);
  EXPECT_NE(outside.err.find("the model has 10 classes"), std::string::npos) << outside.err;
  EXPECT_EQ(
      runCli({"predict", file.string(), "--project", project.string(), "--weights", file.string()})
          .exitCode,
      2)
      << "--project and --weights name two models";

  const test::CliRun text = runCli({"eval", project.string(), "--labels", asShown.string(),
                                    "--network", "tiny", "--version", "base"});
  EXPECT_EQ(text.out.rfind("model base (0 labels) on 1 held-out images", 0), 0U) << text.out;

  const test::CliRun zero = runCli({"eval", project.string(), "--labels", asShown.string(),
                                    "--network", "tiny", "--version", "v0"});
  EXPECT_EQ(zero.exitCode, 1);
  EXPECT_NE(zero.err.find("versions start at v1; base is the model before any label"),
            std::string::npos)
      << zero.err;
}

// Issue 15: readers taking turns replay the same list; a second reader's labels that agree with
// the first's are theirs to give (an agreement needs them), and a replay skips only what the same
// reader already said.
TEST(CliSession, ASecondReaderIsRecordedWhereTheFirstAgrees) {
  test::TempDir dir;
  const fs::path project = makeDemo(dir.path(), 2, 100);
  const fs::path csv = dir.path() / "rows.csv";
  std::ofstream(csv) << "file,label\nphantom/phantom_0001.png,1\nphantom/phantom_0002.png,2\n"
                        "phantom/phantom_0003.png,3\n";
  auto label = [&](const std::string& reader) {
    return runCli({"label", project.string(), "--from", csv.string(), "--network", "tiny",
                   "--annotator", reader});
  };
  const test::CliRun a = label("dr.a");
  ASSERT_EQ(a.exitCode, 0) << a.output;
  const test::CliRun b = label("dr.b");
  ASSERT_EQ(b.exitCode, 0) << b.output;
  EXPECT_NE(b.out.find("labels given: 3"), std::string::npos) << b.out;
  EXPECT_EQ(b.out.find("already labelled"), std::string::npos) << b.out;
  const test::CliRun again = label("dr.a");
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.out.find("3 already labelled as the file says"), std::string::npos) << again.out;
  const test::CliRun agreement = runCli({"project", "agreement", project.string(), "--json"});
  ASSERT_EQ(agreement.exitCode, 0) << agreement.output;
  const auto j = nlohmann::json::parse(agreement.out);
  ASSERT_EQ(j.at("pairs").size(), 1U);
  EXPECT_EQ(j.at("pairs").at(0).at("slices"), 3);
  EXPECT_DOUBLE_EQ(j.at("pairs").at(0).at("kappa").get<double>(), 1.0);
}

// Issue 14: a model version file scores, predicts, explains (figure) and is checked for position
// bias (laterality) on its own, as its project's version does, with the classes and input size
// it was trained with; --project names a project as DIR does.
TEST(CliSession, AVersionFileIsAModelOnItsOwn) {
  test::TempDir dir;
  const fs::path project = makeTrainedDemo(dir.path());
  const fs::path version = project / "models" / "pattern_v1.pt";
  ASSERT_TRUE(fs::exists(version));
  const fs::path heldOut = project / "held_out" / "labels.csv";
  const test::CliRun fromProject =
      runCli({"eval", "--project", project.string(), "--version", "v1", "--labels",
              heldOut.string(), "--network", "tiny", "--json"});
  ASSERT_EQ(fromProject.exitCode, 0) << fromProject.output;
  const test::CliRun fromFile =
      runCli({"eval", "--weights", version.string(), "--labels", heldOut.string(), "--json"});
  ASSERT_EQ(fromFile.exitCode, 0) << fromFile.output;
  const auto a = nlohmann::json::parse(fromProject.out);
  const auto b = nlohmann::json::parse(fromFile.out);
  EXPECT_EQ(b.at("version"), 1);
  EXPECT_EQ(b.at("labels_seen"), 2);
  EXPECT_EQ(a.at("metrics"), b.at("metrics")) << "the same model, the same 64-pixel inputs";
  const test::CliRun text =
      runCli({"eval", "--weights", version.string(), "--labels", heldOut.string()});
  EXPECT_EQ(text.out.rfind("model pattern_v1.pt (2 labels) on ", 0), 0U) << text.out;

  const test::CliRun localise =
      runCli({"localise", "--weights", version.string(), "--labels", heldOut.string(), "--json"});
  ASSERT_EQ(localise.exitCode, 0) << localise.output;
  const test::CliRun localiseProject =
      runCli({"localise", project.string(), "--version", "v1", "--labels", heldOut.string(),
              "--network", "tiny", "--json"});
  ASSERT_EQ(localiseProject.exitCode, 0) << localiseProject.output;
  EXPECT_EQ(nlohmann::json::parse(localise.out).at("scores"),
            nlohmann::json::parse(localiseProject.out).at("scores"));

  std::string image;
  {
    std::ifstream rows(heldOut);
    std::string line;
    std::getline(rows, line);
    std::getline(rows, line);
    image = (heldOut.parent_path() / line.substr(0, line.find(','))).string();
  }
  const test::CliRun predict = runCli({"predict", image, "--weights", version.string(), "--json"});
  ASSERT_EQ(predict.exitCode, 0) << predict.output;
  const auto top = nlohmann::json::parse(predict.out);
  EXPECT_EQ(top.at("model").at("classes"), 10);
  EXPECT_EQ(top.at("model").at("source"), "model version file pattern_v1.pt (2 labels)");

  // figure and laterality take the file too, and give what they give for the project's v1.
  const fs::path projectImage = project / "images" / "phantom" / "phantom_0001.png";
  const fs::path csvFromFile = dir.path() / "figure_file.csv";
  const test::CliRun figure =
      runCli({"figure", "--weights", version.string(), "--images", projectImage.string(), "--out",
              (dir.path() / "figure_file.png").string(), "--csv", csvFromFile.string()});
  ASSERT_EQ(figure.exitCode, 0) << figure.output;
  EXPECT_NE(figure.out.find("row 1: phantom_0001.png"), std::string::npos) << figure.out;
  EXPECT_TRUE(fs::exists(dir.path() / "figure_file.png"));
  const fs::path csvFromProject = dir.path() / "figure_project.csv";
  const test::CliRun figureProject =
      runCli({"figure", project.string(), "--version", "v1", "--network", "tiny", "--images",
              "phantom/phantom_0001.png", "--out", (dir.path() / "figure_project.png").string(),
              "--csv", csvFromProject.string()});
  ASSERT_EQ(figureProject.exitCode, 0) << figureProject.output;
  auto slurp = [](const fs::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(slurp(csvFromFile), slurp(csvFromProject))
      << "the same model and image: the same numbers, the image named by its hash";
  EXPECT_FALSE(slurp(csvFromFile).empty());
  const test::CliRun laterality =
      runCli({"laterality", "--weights", version.string(), "--labels", heldOut.string(), "--json"});
  ASSERT_EQ(laterality.exitCode, 0) << laterality.output;
  const test::CliRun lateralityProject =
      runCli({"laterality", project.string(), "--version", "v1", "--network", "tiny", "--labels",
              heldOut.string(), "--json"});
  ASSERT_EQ(lateralityProject.exitCode, 0) << lateralityProject.output;
  const auto l = nlohmann::json::parse(laterality.out);
  const auto lp = nlohmann::json::parse(lateralityProject.out);
  EXPECT_EQ(l.at("per_class"), lp.at("per_class"));
  EXPECT_EQ(l.at("images"), lp.at("images"));
  EXPECT_GT(l.at("images").get<int>(), 0);
  const test::CliRun noList = runCli({"laterality", "--weights", version.string()});
  EXPECT_EQ(noList.exitCode, 1);
  EXPECT_NE(noList.err.find("with --weights, name the images and their labels with --labels"),
            std::string::npos)
      << noList.err;

  // A torchvision-style file is not a class scheme's model; two models at once are refused.
  const fs::path notAVersion = dir.path() / "resnet50.pth";
  std::ofstream(notAVersion, std::ios::binary) << "PK\x03\x04 not a version";
  const test::CliRun foreign =
      runCli({"eval", "--weights", notAVersion.string(), "--labels", heldOut.string()});
  EXPECT_EQ(foreign.exitCode, 1);
  EXPECT_NE(foreign.err.find("not a camlabel model version"), std::string::npos) << foreign.err;
  EXPECT_EQ(runCli({"eval", project.string(), "--weights", version.string(), "--labels",
                    heldOut.string()})
                .exitCode,
            2);
  // A version file from outside may say anything about its input size: refused in a sentence,
  // not taken as a side of a billion pixels nor passed on as the JSON library's exception.
  for (const nlohmann::json& bad : {nlohmann::json("224"), nlohmann::json(1000000000)}) {
    model::CheckpointInfo info = model::readCheckpointInfo(version);
    info.metrics["input_size"] = bad;
    model::ResNet net(info.config);
    const fs::path crafted = dir.path() / "crafted_v1.pt";
    model::writeCheckpoint(crafted, net, nullptr, info);
    const test::CliRun refused =
        runCli({"eval", "--weights", crafted.string(), "--labels", heldOut.string()});
    EXPECT_EQ(refused.exitCode, 1) << bad;
    EXPECT_NE(refused.err.find("its input size is not a side of 32 to 1024 pixels"),
              std::string::npos)
        << refused.err;
  }
  const test::CliRun neither = runCli({"eval", "--labels", heldOut.string()});
  EXPECT_EQ(neither.exitCode, 1);
  EXPECT_NE(neither.err.find("--weights"), std::string::npos) << neither.err;
}

TEST(CliSession, AFigureIsWrittenAsPdfPngAndCsvWithoutNamesOrPaths) {
  test::TempDir dir;
  const fs::path project = makeTrainedDemo(dir.path());
  const fs::path pdf = dir.path() / "figure.pdf";
  const fs::path numbers = dir.path() / "figure.csv";
  const test::CliRun run = runCli(
      {"figure", project.string(), "--images", "phantom/phantom_0001.png,real/CT_small.dcm",
       "--network", "tiny", "--version", "1", "--out", pdf.string(), "--csv", numbers.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const std::string bytes = test::readFile(pdf);
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  // Nothing in the file names the images, the project or where it lives.
  for (const std::string& secret :
       {project.string(), std::string("phantom_0001"), std::string("CT_small")})
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  const std::string table = test::readFile(numbers);
  std::istringstream lines(table);
  std::string header, first, second, extra;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, extra) && !extra.empty());
  EXPECT_EQ(header.rfind("row,sha256,predicted_index", 0), 0U) << header;
  // Images are identified by content hash only; the real slice's is the test data's.
  EXPECT_EQ(second.rfind("2," + sha256File(test::dataDir() / "CT_small.dcm") + ",", 0), 0U)
      << second;
  EXPECT_NE(first.find(",gradcam,layer3,1,"), std::string::npos) << first;
  EXPECT_EQ(table.find("phantom_0001"), std::string::npos);

  const fs::path png = dir.path() / "figure.png";
  ASSERT_EQ(runCli({"figure", project.string(), "--images", "phantom/phantom_0002.png", "--network",
                    "tiny", "--out", png.string()})
                .exitCode,
            0);
  EXPECT_EQ(cv::imread(png.string(), cv::IMREAD_UNCHANGED).channels(), 3);

  const test::CliRun missing = runCli({"figure", project.string(), "--images", "nope.png",
                                       "--network", "tiny", "--out", png.string()});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("'nope.png' is not an image of the project"), std::string::npos)
      << missing.err;
  const test::CliRun format =
      runCli({"figure", project.string(), "--images", "phantom/phantom_0002.png", "--network",
              "tiny", "--out", (dir.path() / "figure.svg").string()});
  EXPECT_EQ(format.exitCode, 1);
  EXPECT_NE(format.err.find("use .png or .pdf"), std::string::npos) << format.err;
}

/// A running camlabel-cli whose stdout is read line by line.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 2);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv;
      std::string exe = CAMLABEL_CLI;
      argv.push_back(exe.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(exe.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  ~ChildProcess() {
    if (pid_ > 0) kill();
    if (out_ != nullptr) fclose(out_);
  }
  /// The next line of stdout, without the newline; false at end of output.
  bool readLine(std::string& line) {
    line.clear();
    for (int c = fgetc(out_); c != EOF; c = fgetc(out_)) {
      if (c == '\n') return true;
      line += static_cast<char>(c);
    }
    return false;
  }
  void kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

TEST(CliSession, KilledAtRandomMomentsItLosesNoAcknowledgedLabelAndResumes) {
  test::TempDir dir;
  // Versions every 2 labels, so that kills also land in checkpoint writes.
  const fs::path project = makeDemo(dir.path(), 4, 2);
  std::mt19937 rng(20261201);
  std::map<std::string, int> acknowledged;  // relative path -> class
  for (int round = 0; round < 3; ++round) {
    ChildProcess child({"label", project.string(), "--from", (project / "labels.csv").string(),
                        "--network", "tiny", "--annotator", "round" + std::to_string(round)});
    const int killAfter = std::uniform_int_distribution<int>(2, 12)(rng);
    std::string line;
    int seen = 0;
    while (seen < killAfter && child.readLine(line)) {
      if (line.rfind("labelled ", 0) != 0) continue;
      std::istringstream fields(line.substr(9));
      std::string file;
      int cls = -1;
      fields >> file >> cls;
      acknowledged[file] = cls;
      ++seen;
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 150)(rng)));
    child.kill();

    // Every acknowledged label is there, and the database is sound.
    {
      auto p = project::Project::open(project);
      auto check = p->database().prepare("PRAGMA integrity_check");
      ASSERT_TRUE(check.step());
      EXPECT_EQ(check.columnText(0), "ok");
      for (const auto& [file, cls] : acknowledged) {
        const auto image = p->findImage(file);
        ASSERT_TRUE(image.has_value()) << file;
        const auto current = p->currentLabel(image->id);
        ASSERT_TRUE(current.has_value()) << file << " lost after a kill in round " << round;
        EXPECT_EQ(current->classIndex, cls) << file;
      }
    }
    // The session resumes: newest sound version, later labels trained again, nothing missing.
    session::SessionOptions options;
    options.config = model::ResNetConfig{{1, 1, 1, 1}, 8, 10};
    auto s = session::Session::open(project, options);
    const session::ResumeReport& report = s->resumeReport();
    EXPECT_GE(report.labelsInStore, static_cast<std::int64_t>(acknowledged.size()));
    // It resumed from the newest version file that verifies, independently checked here.
    std::optional<int> newestSound;
    for (const auto& [version, file] : session::findVersionFiles(project / "models", "pattern")) {
      try {
        model::readCheckpointInfo(file);
        newestSound = version;
        break;
      } catch (const InputError&) {
        EXPECT_FALSE(report.skippedCheckpoints.empty()) << file << " is torn but was not reported";
      }
    }
    EXPECT_EQ(report.version, newestSound);
    // Labels given after that version are trained again; then every stored label is learned.
    ASSERT_TRUE(s->waitForTraining(60s));
    EXPECT_GE(s->snapshot()->labelsSeen, report.labelsInStore);
    EXPECT_EQ(s->trainerStatus().queued, 0U);
    EXPECT_TRUE(report.position.has_value());
    s->close();
  }
}

// --pace gives each label a reader's time: the replay takes it, and the model keeps learning from
// the labels given so far meanwhile. With --lockstep each label is its own round (6 steps), so
// any step beyond 6 was taken between labels, however little CPU the niced trainer gets.
TEST(CliSession, APacedReplayLearnsBetweenLabels) {
  test::TempDir dir;
  const fs::path project = makeDemo(dir.path(), 2, 5);
  const auto start = std::chrono::steady_clock::now();
  const test::CliRun label =
      runCli({"label", project.string(), "--from", (project / "labels.csv").string(), "--network",
              "tiny", "--limit", "6", "--lockstep", "--pace", "0.3", "--wait"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(label.exitCode, 0) << label.output;
  EXPECT_NE(label.out.find("labels given: 6"), std::string::npos) << label.out;
  EXPECT_GE(seconds, 1.8);
  const auto at = label.out.find("trained: 6 labels, ");
  ASSERT_NE(at, std::string::npos) << label.out;
  const int steps = std::stoi(label.out.substr(at + 19));
  EXPECT_GT(steps, 6) << "no step between labels: " << label.out;
}

// --order uncertain: the replay asks the session for each next slice, as the window does, and the
// CSV answers with its label. A second run in file order records nothing twice.
TEST(CliSession, AReplayInTheModelsOrderSaysWhyAndIsNotRecordedTwice) {
  test::TempDir dir;
  const fs::path project = makeDemo(dir.path(), 2, 5);
  const fs::path csv = project / "labels.csv";
  std::vector<std::string> fileOrder;
  {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line))
      fileOrder.push_back(line.substr(0, line.find(',')));
  }
  ASSERT_GT(fileOrder.size(), 8U);
  const test::CliRun run = runCli({"label", project.string(), "--from", csv.string(), "--network",
                                   "tiny", "--order", "uncertain", "--limit", "8", "--lockstep"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("order: the model's choice; scoring " + std::to_string(fileOrder.size()) +
                         " slices first"),
            std::string::npos)
      << run.out;
  std::vector<std::string> taken;
  std::vector<std::string> reasons;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("labelled ", 0) != 0) continue;
    taken.push_back(line.substr(9, line.find(' ', 9) - 9));
    const auto why = line.find(" | chosen: ");
    reasons.push_back(why == std::string::npos ? "" : line.substr(why + 11));
  }
  ASSERT_EQ(taken.size(), 8U) << run.out;
  EXPECT_NE(taken, std::vector<std::string>(fileOrder.begin(), fileOrder.begin() + 8))
      << "the model's order is the file's";
  // Before any label there is no model: the first choice is by likeness; once two classes are
  // learned, by the model's doubt.
  EXPECT_EQ(reasons.front(), "the least like the slices labelled so far (no model yet)");
  EXPECT_TRUE(std::any_of(reasons.begin(), reasons.end(), [](const std::string& r) {
    return r.rfind("unsure between ", 0) == 0;
  })) << run.out;

  const test::CliRun rest =
      runCli({"label", project.string(), "--from", csv.string(), "--network", "tiny"});
  ASSERT_EQ(rest.exitCode, 0) << rest.output;
  EXPECT_NE(rest.out.find("8 already labelled as the file says: not recorded again"),
            std::string::npos)
      << rest.out;
  EXPECT_NE(rest.out.find("labels given: " + std::to_string(fileOrder.size() - 8)),
            std::string::npos)
      << rest.out;
  for (const std::string& file : taken)
    EXPECT_EQ(rest.out.find("labelled " + file + ' '), std::string::npos) << file << " again";
}

}  // namespace
}  // namespace camlabel
