// SPDX-License-Identifier: Apache-2.0
// `camlabel-cli project new/import/status/export` end to end, through the real binary.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "core/project/project.h"
#include "dicom_cd.h"
#include "test_support.h"

namespace camlabel {
namespace {

namespace fs = std::filesystem;
using test::CliRun;
using test::TempDir;

/// A small 8-bit PNG whose content depends on seed, so distinct seeds hash differently.
void writePng(const fs::path& path, int seed) {
  fs::create_directories(path.parent_path());
  cv::Mat image(16, 16, CV_8UC1);
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x)
      image.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>((x * 5 + y * 11 + seed * 37) % 256);
  image.at<std::uint8_t>(0, 0) = static_cast<std::uint8_t>(seed);
  ASSERT_TRUE(cv::imwrite(path.string(), image));
}

struct Folders {
  TempDir tmp;
  fs::path images = tmp / "images";
  fs::path proj = tmp / "proj";
};

CliRun cli(const std::vector<std::string>& args) {
  return test::runCli(args);
}

nlohmann::json statusOf(const fs::path& proj) {
  const CliRun run = cli({"project", "status", proj.string(), "--json"});
  EXPECT_EQ(run.exitCode, 0) << run.output;
  return nlohmann::json::parse(run.out);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

std::vector<std::string> classNames(const nlohmann::json& status, const char* language) {
  std::vector<std::string> names;
  for (const auto& c : status["classes"])
    names.push_back(c[language].get<std::string>());
  return names;
}

TEST(ProjectCli, NewAcceptsEachSchemeForm) {
  Folders f;
  writePng(f.images / "a.png", 1);

  ASSERT_EQ(
      cli({"project", "new", (f.tmp / "p1").string(), "--images", f.images.string()}).exitCode, 0);
  const nlohmann::json pattern = statusOf(f.tmp / "p1");
  EXPECT_EQ(pattern["scheme"], "pattern") << "the default scheme";
  EXPECT_EQ(classNames(pattern, "en"),
            (std::vector<std::string>{"Normal", "UIP/P", "NSIP/P", "BIP", "COP", "RBILD", "MIP/DIP",
                                      "PPFE", "AIP", "Unclassifiable"}));
  EXPECT_EQ(pattern["snapshot_every"], 10);

  ASSERT_EQ(cli({"project", "new", (f.tmp / "p2").string(), "--images", f.images.string(),
                 "--scheme", "features", "--snapshot-every", "25"})
                .exitCode,
            0);
  const nlohmann::json features = statusOf(f.tmp / "p2");
  EXPECT_EQ(features["scheme"], "features");
  EXPECT_EQ(features["classes"][4]["en"], "honeycombing");
  EXPECT_EQ(features["classes"][4]["ja"], "蜂巣肺");
  EXPECT_EQ(features["snapshot_every"], 25);

  test::writeFile(f.tmp / "fibrosis.json", R"({"name": "fibrosis", "classes": [
      {"en": "none", "ja": "なし"}, {"en": "mild", "ja": "軽度"}, {"en": "severe", "ja": "高度"}]})");
  const CliRun custom = cli({"project", "new", (f.tmp / "p3").string(), "--images",
                             f.images.string(), "--scheme", (f.tmp / "fibrosis.json").string()});
  ASSERT_EQ(custom.exitCode, 0) << custom.output;
  const nlohmann::json fibrosis = statusOf(f.tmp / "p3");
  EXPECT_EQ(fibrosis["scheme"], "fibrosis");
  EXPECT_EQ(classNames(fibrosis, "en"), (std::vector<std::string>{"none", "mild", "severe"}));
  EXPECT_EQ(classNames(fibrosis, "ja"), (std::vector<std::string>{"なし", "軽度", "高度"}));
  EXPECT_EQ(fibrosis["images"], 1);
}

TEST(ProjectCli, BadSchemesAreRefusedClearlyAndLeaveNoProject) {
  Folders f;
  writePng(f.images / "a.png", 1);
  struct Case {
    const char* file;
    const char* content;
    const char* expected;
  };
  const Case cases[] = {
      {"broken.json", R"({"name": "x", "classes": [)", "is not valid JSON"},
      {"one.json", R"({"name": "one", "classes": [{"en": "a", "ja": "あ"}]})",
       "2 to 10 classes, this one has 1"},
      {"dup.json",
       R"({"name": "dup", "classes": [{"en": "a", "ja": "あ"}, {"en": "a", "ja": "い"}]})",
       "the English name 'a' is used by two classes"},
  };
  for (const Case& c : cases) {
    const fs::path scheme = f.tmp / c.file;
    test::writeFile(scheme, c.content);
    const fs::path proj = f.tmp / (std::string("p_") + c.file);
    const CliRun run = cli({"project", "new", proj.string(), "--images", f.images.string(),
                            "--scheme", scheme.string()});
    EXPECT_EQ(run.exitCode, 1) << c.file << "\n" << run.output;
    EXPECT_NE(run.err.find("camlabel-cli: error: "), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(scheme.string()), std::string::npos) << "names the file: " << run.err;
    EXPECT_NE(run.err.find(c.expected), std::string::npos) << run.err;
    EXPECT_FALSE(fs::exists(proj / "project.sqlite")) << c.file;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
  const CliRun unknown = cli({"project", "new", (f.tmp / "p").string(), "--images",
                              f.images.string(), "--scheme", "shapes"});
  EXPECT_EQ(unknown.exitCode, 1) << unknown.output;
  EXPECT_NE(unknown.err.find("shapes"), std::string::npos) << unknown.err;
}

TEST(ProjectCli, ACdFolderImportsItsSlicesAndSaysWhatItSkipped) {
  Folders f;
  const test::CdFolder cd = test::writeCdFolder(f.images);
  const CliRun created = cli({"project", "new", f.proj.string(), "--images", f.images.string()});
  ASSERT_EQ(created.exitCode, 0) << created.output;
  EXPECT_EQ(created.out, "added " + std::to_string(cd.slicesInOrder.size()) +
                             ", duplicates 0, already imported 0, unreadable 0\n"
                             "skipped, not slices to label: 1 DICOMDIR, 1 structured report, "
                             "1 localizer\n");
  const CliRun status = cli({"project", "status", f.proj.string(), "--json"});
  ASSERT_EQ(status.exitCode, 0) << status.output;
  for (const std::string& identifier : cd.identifiers) {
    EXPECT_EQ(created.output.find(identifier), std::string::npos) << identifier;
    EXPECT_EQ(status.output.find(identifier), std::string::npos) << identifier;
  }

  const fs::path empty = f.tmp / "empty";
  fs::create_directories(empty);
  test::writeFile(empty / "notes.txt", "nothing to see");
  const CliRun none =
      cli({"project", "new", (f.tmp / "proj2").string(), "--images", empty.string()});
  ASSERT_EQ(none.exitCode, 0) << none.output;
  EXPECT_NE(none.out.find("no image file was found"), std::string::npos) << none.out;
}

TEST(ProjectCli, ImportReportsAddedDuplicatesAndUnreadableFilesByName) {
  Folders f;
  writePng(f.images / "img2.png", 2);
  writePng(f.images / "img10.png", 10);
  writePng(f.images / "sub/img1.png", 1);
  fs::copy_file(f.images / "img2.png", f.images / "sub/copy_of_img2.png");
  test::writeFile(f.images / "sub/notes.png", "a text file named like an image");

  const CliRun created = cli({"project", "new", f.proj.string(), "--images", f.images.string()});
  ASSERT_EQ(created.exitCode, 0) << created.output;
  EXPECT_EQ(created.out, "added 3, duplicates 1, already imported 0, unreadable 1\n");
  EXPECT_NE(created.err.find("unreadable: sub/notes.png: not an image"), std::string::npos)
      << created.err;
  EXPECT_EQ(created.err.find(fs::canonical(f.images).string()), std::string::npos)
      << "failures name paths relative to the image folder: " << created.err;

  // Re-import finds only what is new; a sub-folder can be imported alone.
  writePng(f.images / "img3.png", 3);
  writePng(f.images / "sub/deeper/img4.png", 4);
  const CliRun sub = cli({"project", "import", f.proj.string(), (f.images / "sub").string()});
  ASSERT_EQ(sub.exitCode, 0) << sub.output;
  EXPECT_EQ(sub.out, "added 1, duplicates 1, already imported 1, unreadable 1\n");
  const CliRun all = cli({"project", "import", f.proj.string()});
  ASSERT_EQ(all.exitCode, 0) << all.output;
  EXPECT_EQ(all.out, "added 1, duplicates 1, already imported 4, unreadable 1\n");

  const nlohmann::json status = statusOf(f.proj);
  EXPECT_EQ(status["images"], 5);
  EXPECT_EQ(status["next_unlabelled"], "img2.png") << "natural order: img2 before img3, img10";

  const CliRun outside = cli({"project", "import", f.proj.string(), f.tmp.path().string()});
  EXPECT_EQ(outside.exitCode, 1) << outside.output;
  EXPECT_NE(outside.err.find("is not inside the project's image folder"), std::string::npos)
      << outside.err;
}

/// img1..img4 imported by the CLI, then decisions written through the store in this process.
struct LabelledProject : Folders {
  std::vector<std::int64_t> ids;  // in natural order

  LabelledProject() {
    for (int i = 1; i <= 4; ++i)
      writePng(images / ("img" + std::to_string(i) + ".png"), i);
    writePng(images / "img10.png", 10);
    const CliRun run = cli({"project", "new", proj.string(), "--images", images.string()});
    EXPECT_EQ(run.exitCode, 0) << run.output;
    auto p = project::Project::open(proj);
    for (std::int64_t i = 0; i < p->imageCount(); ++i)
      ids.push_back(p->imageAt(i)->id);
    p->label(ids[0], 1, "dr.a", {2, 3, 0.625});  // img1: UIP/P, the model said BIP at 0.625
    p->label(ids[1], 2, "dr.a");                 // img2: NSIP/P
    p->label(ids[1], 4, "dr.b");                 // relabelled COP
    p->skip(ids[2], "dr.a");                     // img3: skipped
    p->label(ids[3], 9, "dr.a");                 // img4: labelled, then undone
    p->undo("dr.a");
    p->setPosition(ids[3]);
    p->addModelVersion({1, "v0001.pt", std::string(64, 'a'), 2, "", R"({"loss": 0.5})", false});
    p->addModelVersion({2, "v0002.pt", std::string(64, 'b'), 3, "", "{}", false});
  }
};

TEST(ProjectCli, StatusJsonHasCountsPositionAndModelVersions) {
  LabelledProject f;
  const CliRun run = cli({"project", "status", f.proj.string(), "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const nlohmann::json s = nlohmann::json::parse(run.out);  // stdout is JSON and nothing else
  EXPECT_EQ(s["images"], 5);
  EXPECT_EQ(s["labelled"], 2);
  EXPECT_EQ(s["skipped"], 1);
  EXPECT_EQ(s["unlabelled"], 2);
  ASSERT_EQ(s["classes"].size(), 10U);
  std::vector<int> perClass;
  for (const auto& c : s["classes"])
    perClass.push_back(c["count"].get<int>());
  EXPECT_EQ(perClass, (std::vector<int>{0, 1, 0, 0, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(s["classes"][4]["en"], "COP");
  EXPECT_EQ(s["position"], "img4.png");
  EXPECT_EQ(s["next_unlabelled"], "img4.png") << "the undone label left img4 unlabelled";
  ASSERT_EQ(s["model_versions"].size(), 2U);
  EXPECT_EQ(s["model_versions"][0]["version"], 1);
  EXPECT_EQ(s["model_versions"][0]["labels_seen"], 2);
  EXPECT_EQ(s["model_versions"][0]["metrics"]["loss"], 0.5);
  EXPECT_EQ(s["model_versions"][0]["current"], false);
  EXPECT_EQ(s["model_versions"][1]["file"], "v0002.pt");
  EXPECT_EQ(s["model_versions"][1]["current"], true);

  const CliRun text = cli({"project", "status", f.proj.string()});
  ASSERT_EQ(text.exitCode, 0) << text.output;
  EXPECT_NE(text.out.find("images: 5 (labelled 2, skipped 1, unlabelled 2)"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  4 COP: 1"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("v2 v0002.pt (3 labels) current"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("position: img4.png"), std::string::npos) << text.out;
}

// dr.a: img1 UIP/P, img2 NSIP/P, img3 skipped, img4 labelled then undone; dr.b: img2 COP. Each
// reader's own label counts (dr.b's later label does not replace dr.a's), skips and undone labels
// do not.
TEST(ProjectCli, AgreementComparesEachReadersOwnLabels) {
  LabelledProject f;
  {
    auto p = project::Project::open(f.proj);
    p->label(f.ids[0], 1, "dr.b");  // img1: both say UIP/P
    p->label(f.ids[4], 3, "dr.b");  // img10: dr.b alone
  }
  const fs::path csv = f.tmp / "agreement.csv";
  const CliRun run =
      cli({"project", "agreement", f.proj.string(), "--json", "--csv", csv.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const nlohmann::json a = nlohmann::json::parse(run.out);  // stdout is JSON and nothing else
  ASSERT_EQ(a["readers"].size(), 2U);
  EXPECT_EQ(a["readers"][0]["reader"], "dr.a");
  EXPECT_EQ(a["readers"][0]["slices"], 2);  // img1, img2
  EXPECT_EQ(a["readers"][1]["slices"], 3);  // img1, img2, img10
  EXPECT_EQ(a["shared_slices"], 2);
  EXPECT_EQ(a["skips_left_out"], 1);
  ASSERT_EQ(a["pairs"].size(), 1U);
  const auto& pair = a["pairs"][0];
  EXPECT_EQ(pair["slices"], 2);
  EXPECT_DOUBLE_EQ(pair["observed"].get<double>(), 0.5);
  // Table: (UIP/P, UIP/P), (NSIP/P, COP): po 0.5, pe 0.25 from the marginals, kappa 1/3.
  EXPECT_NEAR(pair["kappa"].get<double>(), 1.0 / 3.0, 1e-9);
  EXPECT_EQ(pair["confusion"][2][4], 1);
  EXPECT_EQ(pair["per_class"][1]["name"], "UIP/P");
  EXPECT_DOUBLE_EQ(pair["per_class"][1]["kappa"].get<double>(), 1.0);
  EXPECT_EQ(a["all"]["slices"], 2);
  EXPECT_NE(test::readFile(csv).find("pair,dr.a,dr.b,,2,0.5,"), std::string::npos)
      << test::readFile(csv);

  const CliRun text = cli({"project", "agreement", f.proj.string()});
  ASSERT_EQ(text.exitCode, 0) << text.output;
  EXPECT_NE(text.out.find("Cohen's kappa dr.a / dr.b: 0.333"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("skipped slices, left out: 1"), std::string::npos) << text.out;
}

TEST(ProjectCli, ExportWritesCsvAndJsonRowsWithoutAbsolutePaths) {
  LabelledProject f;
  const fs::path csv = f.tmp / "out/labels.csv";
  fs::create_directories(csv.parent_path());
  const CliRun run = cli({"project", "export", f.proj.string(), "--labels", csv.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("exported 3 labels"), std::string::npos) << run.out;
  const std::string csvText = test::readFile(csv);
  const std::vector<std::string> rows = lines(csvText);
  ASSERT_EQ(rows.size(), 4U) << csvText;
  EXPECT_EQ(rows[0],
            "path,sha256,status,label_index,label_name,annotator,time,model_version,"
            "predicted_index,predicted_name,probability");
  auto project = project::Project::open(f.proj);
  const std::string hash1 = project->image(f.ids[0]).sha256;
  const std::string time1 = project->currentLabel(f.ids[0])->time;
  const std::string time2 = project->currentLabel(f.ids[1])->time;
  project.reset();
  EXPECT_EQ(rows[1], "img1.png," + hash1 + ",labelled,1,UIP/P,dr.a," + time1 + ",2,3,BIP,0.625");
  EXPECT_EQ(rows[2].substr(0, 9), "img2.png,");
  EXPECT_NE(rows[2].find(",labelled,4,COP,dr.b," + time2 + ",,,,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find("img3.png,"), std::string::npos);
  EXPECT_NE(rows[3].find(",skipped,,,dr.a,"), std::string::npos) << rows[3];

  const fs::path json = f.tmp / "labels.json";
  ASSERT_EQ(
      cli({"project", "export", f.proj.string(), "--labels", json.string(), "--language", "ja"})
          .exitCode,
      0);
  const std::string jsonText = test::readFile(json);
  const nlohmann::json doc = nlohmann::json::parse(jsonText);
  EXPECT_EQ(doc["scheme"], "pattern");
  EXPECT_EQ(doc["language"], "ja");
  ASSERT_EQ(doc["labels"].size(), 3U);
  EXPECT_EQ(doc["labels"][0]["path"], "img1.png");
  EXPECT_EQ(doc["labels"][0]["sha256"], hash1);
  EXPECT_EQ(doc["labels"][0]["label_index"], 1);
  EXPECT_EQ(doc["labels"][0]["label_name"], "通常型間質性肺炎パターン (UIP/P)");
  EXPECT_EQ(doc["labels"][0]["model_version"], 2);
  EXPECT_EQ(doc["labels"][0]["predicted_index"], 3);
  EXPECT_EQ(doc["labels"][0]["probability"], 0.625);
  EXPECT_EQ(doc["labels"][1]["annotator"], "dr.b");
  EXPECT_TRUE(doc["labels"][1]["model_version"].is_null());
  EXPECT_EQ(doc["labels"][2]["status"], "skipped");
  EXPECT_TRUE(doc["labels"][2]["label_index"].is_null());

  // Exports travel: no absolute path of the image folder, the project or the temp dir.
  for (const std::string& text : {csvText, jsonText}) {
    for (const fs::path& where : {fs::canonical(f.images), f.images, f.tmp.path()})
      EXPECT_EQ(text.find(where.string()), std::string::npos) << where << " in\n" << text;
    EXPECT_EQ(text.find("\"/"), std::string::npos) << text;
    EXPECT_EQ(text.find(",/"), std::string::npos) << text;
  }

  const CliRun badName =
      cli({"project", "export", f.proj.string(), "--labels", (f.tmp / "labels.txt").string()});
  EXPECT_EQ(badName.exitCode, 1);
  EXPECT_NE(badName.err.find("must end in .csv or .json"), std::string::npos) << badName.err;
  EXPECT_FALSE(fs::exists(f.tmp / "labels.txt"));
}

TEST(ProjectCli, ASecondProcessOnAnOpenProjectIsRefused) {
  LabelledProject f;
  {
    auto holder = project::Project::open(f.proj);  // as the GUI would hold it
    const std::vector<std::vector<std::string>> commands = {
        {"project", "status", f.proj.string()},
        {"project", "import", f.proj.string()},
        {"project", "export", f.proj.string(), "--labels", (f.tmp / "l.csv").string()}};
    for (const auto& command : commands) {
      const CliRun run = cli(command);
      EXPECT_EQ(run.exitCode, 1) << command[1] << "\n" << run.output;
      EXPECT_NE(run.err.find("is open in another window or process"), std::string::npos) << run.err;
      EXPECT_TRUE(run.out.empty()) << run.out;
    }
    EXPECT_FALSE(fs::exists(f.tmp / "l.csv"));
    EXPECT_EQ(holder->counts().labelled, 2) << "the holder's project is untouched";
  }
  EXPECT_EQ(cli({"project", "status", f.proj.string()}).exitCode, 0) << "free once closed";
}

TEST(ProjectCli, CommandsOnAFolderThatIsNoProjectFailClearly) {
  TempDir tmp;
  const CliRun run = cli({"project", "status", tmp.path().string()});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("is not a camlabel project"), std::string::npos) << run.err;
  EXPECT_EQ(cli({"project", "status"}).exitCode, 2) << "DIR is required";
  EXPECT_EQ(cli({"project", "new", (tmp / "p").string()}).exitCode, 2) << "--images is required";
}

}  // namespace
}  // namespace camlabel
