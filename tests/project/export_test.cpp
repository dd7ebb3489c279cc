// SPDX-License-Identifier: Apache-2.0
#include "core/project/export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/project/project.h"
#include "core/session/label_csv.h"
#include "project_test_support.h"

namespace camlabel::project {
namespace {

namespace fs = std::filesystem;

struct Exported {
  test::TempDir tmp;
  std::unique_ptr<Project> project;

  Exported() {
    test::writeTestPng(tmp / "images/p10.png", 1);
    test::writeTestPng(tmp / "images/p2.png", 2);
    test::writeTestPng(tmp / "images/p3,odd.png", 3);
    test::writeTestPng(tmp / "images/p4.png", 4);
    ProjectSettings settings;
    settings.imageRoot = tmp / "images";
    project = Project::create(tmp / "proj", settings);
    project->importImages();
    project->label(project->imageAt(0)->id, 1, "dr a", {2, 1, 0.5});  // p2
    project->skip(project->imageAt(1)->id, "dr a");                   // p3,odd
    project->label(project->imageAt(3)->id, 3, "dr a");               // p10
    project->label(project->imageAt(3)->id, 9, "dr b");               // relabel wins
  }
};

TEST(Export, CsvHasOneRowPerDecidedImageInNaturalOrder) {
  Exported e;
  EXPECT_EQ(exportLabels(*e.project, e.tmp / "labels.csv", "en"), 3u);
  const std::string csv = test::readFile(e.tmp / "labels.csv");
  const std::string root = fs::canonical(e.tmp / "images").string();
  EXPECT_EQ(csv.find(root), std::string::npos) << "absolute path leaked";
  const auto p2 = csv.find("\np2.png,");
  const auto odd = csv.find("\n\"p3,odd.png\",");
  const auto p10 = csv.find("\np10.png,");
  ASSERT_NE(p2, std::string::npos) << csv;
  ASSERT_NE(odd, std::string::npos) << csv;
  ASSERT_NE(p10, std::string::npos) << csv;
  EXPECT_LT(p2, odd);
  EXPECT_LT(odd, p10);
  EXPECT_EQ(csv.find("p4.png"), std::string::npos);
  EXPECT_NE(csv.find(",labelled,1,UIP/P,dr a,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",2,1,UIP/P,0.5\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",skipped,,,dr a,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",labelled,9,Unclassifiable,dr b,"), std::string::npos) << csv;
}

TEST(Export, JsonInJapaneseCarriesTheSameFacts) {
  Exported e;
  exportLabels(*e.project, e.tmp / "labels.json", "ja");
  const auto json = nlohmann::json::parse(test::readFile(e.tmp / "labels.json"));
  EXPECT_EQ(json["scheme"], "pattern");
  ASSERT_EQ(json["labels"].size(), 3u);
  const auto& first = json["labels"][0];
  EXPECT_EQ(first["path"], "p2.png");
  EXPECT_EQ(first["label_index"], 1);
  EXPECT_EQ(first["label_name"], "通常型間質性肺炎パターン (UIP/P)");
  EXPECT_EQ(first["model_version"], 2);
  EXPECT_DOUBLE_EQ(first["probability"].get<double>(), 0.5);
  EXPECT_EQ(first["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(first["time"].get<std::string>().back(), 'Z');
  EXPECT_EQ(json["labels"][1]["status"], "skipped");
  EXPECT_TRUE(json["labels"][1]["label_index"].is_null());
  EXPECT_EQ(json["labels"][2]["label_name"], "分類不能");
}

// CSV injection (OWASP): names from a colleague's folder that a spreadsheet would run as
// formulas are written as text, and the project reads its own export back to the same names.
TEST(Export, NamesThatLookLikeFormulasStayTextAndReadBackExactly) {
  test::TempDir tmp;
  const std::vector<std::string> names{"=HYPERLINK(\"evil.example\",\"open\").png",
                                       "+1.png",
                                       "-cmd.png",
                                       "@SUM(A1).png",
                                       "'quoted.png",
                                       "two\nlines, \"quoted\".png"};
  for (std::size_t i = 0; i < names.size(); ++i)
    test::writeTestPng(tmp / "images" / names[i], static_cast<int>(i) + 1);
  ProjectSettings settings;
  settings.imageRoot = tmp / "images";
  auto project = Project::create(tmp / "proj", settings);
  project->importImages();
  ASSERT_EQ(project->imageCount(), static_cast<std::int64_t>(names.size()));
  std::map<std::string, int> given;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const ImageRecord image = *project->imageAt(static_cast<std::int64_t>(i));
    const int label = static_cast<int>(i) % 10;
    project->label(image.id, label, "=cmd|' /C calc'!A0");
    given[image.relativePath] = label;
  }
  ASSERT_EQ(exportLabels(*project, tmp / "labels.csv", "en"), names.size());

  const std::vector<csv::Record> records = csv::readFile(tmp / "labels.csv");
  ASSERT_EQ(records.size(), names.size() + 1);
  for (const csv::Record& record : records) {
    for (const std::string& cell : record.fields) {
      if (cell.empty()) continue;
      EXPECT_EQ(std::string("=+@\t\r").find(cell.front()), std::string::npos)
          << "line " << record.line << ": a spreadsheet would evaluate " << cell;
      // A cell starting with '-' is a formula unless it is a plain number.
      if (cell.front() == '-') ADD_FAILURE() << "line " << record.line << ": " << cell;
    }
  }
  std::map<std::string, int> readBack;
  for (const auto& row : session::readLabelCsv(tmp / "labels.csv"))
    readBack[row.file] = row.label;
  EXPECT_EQ(readBack, given);
}

TEST(Export, RefusesUnknownFormatOrLanguage) {
  Exported e;
  EXPECT_THROW(exportLabels(*e.project, e.tmp / "labels.txt", "en"), Error);
  EXPECT_THROW(exportLabels(*e.project, e.tmp / "labels.csv", "fr"), Error);
  EXPECT_FALSE(fs::exists(e.tmp / "labels.txt"));
}

}  // namespace
}  // namespace camlabel::project
