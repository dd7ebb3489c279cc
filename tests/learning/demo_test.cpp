// SPDX-License-Identifier: Apache-2.0
#include "core/session/demo.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/phantom.h"
#include "core/project/project.h"
#include "test_support.h"

namespace camlabel::session {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

constexpr int kPerClass = 2;
constexpr int kSize = 64;
constexpr std::uint64_t kSeed = 5;

DemoOptions smallDemo() {
  DemoOptions options;
  options.perClass = kPerClass;
  options.size = kSize;
  options.seed = kSeed;
  return options;
}

/// The rows of a "file,label" CSV, in order.
std::vector<std::pair<std::string, int>> readCsv(const fs::path& path) {
  std::istringstream in(test::readFile(path));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "file,label") << path;
  std::vector<std::pair<std::string, int>> rows;
  while (std::getline(in, line)) {
    const auto comma = line.rfind(',');
    EXPECT_NE(comma, std::string::npos) << line;
    rows.emplace_back(line.substr(0, comma), std::stoi(line.substr(comma + 1)));
  }
  return rows;
}

/// Every file under dir (relative, generic form) with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      files[entry.path().lexically_relative(dir).generic_string()] = test::readFile(entry.path());
  return files;
}

/// The phantom set the demo draws from, written independently by the generator itself: its
/// labels.csv is the truth the demo's CSVs must agree with.
std::map<std::string, std::pair<int, std::string>> referenceSet(const fs::path& dir) {
  imaging::PhantomSetOptions set;
  set.count = kPerClass * imaging::kPhantomClassCount;
  set.seed = kSeed;
  set.size = kSize;
  std::map<std::string, std::pair<int, std::string>> byName;  // name -> (label, PNG bytes)
  for (const imaging::PhantomSetEntry& e : imaging::writePhantomSet(dir, set))
    byName[fs::path(e.file).filename().string()] = {e.label, test::readFile(dir / e.file)};
  return byName;
}

TEST(Demo, SmallDemoIsAReadyProjectWithCorrectLabels) {
  TempDir tmp;
  const fs::path dir = tmp / "demo";
  const DemoReport report = createDemoProject(dir, smallDemo());
  const int phantoms = kPerClass * imaging::kPhantomClassCount;
  EXPECT_EQ(report.projectDir, dir);
  EXPECT_EQ(report.labelsCsv, dir / "labels.csv");
  EXPECT_EQ(report.heldOutCsv, dir / "held_out" / "labels.csv");
  // Two per pattern and a 20% share: one of each pattern to label, one held out.
  EXPECT_EQ(report.phantomImages, phantoms / 2);
  EXPECT_EQ(report.heldOutImages, phantoms / 2);
  EXPECT_EQ(report.realImages, 1);
  EXPECT_EQ(report.import.added, phantoms / 2 + 1);
  EXPECT_TRUE(report.import.failures.empty());

  const auto reference = referenceSet(tmp / "reference");
  ASSERT_EQ(reference.size(), static_cast<std::size_t>(phantoms));

  auto project = project::Project::open(dir);
  EXPECT_EQ(project->settings().scheme.name, "pattern");
  EXPECT_EQ(project->settings().imageRoot, fs::canonical(dir / "images"));
  EXPECT_EQ(project->imageCount(), report.phantomImages + 1);
  EXPECT_EQ(project->counts().labelled, 0);
  std::map<std::string, project::ImageRecord> images;
  for (std::int64_t i = 0; i < project->imageCount(); ++i) {
    const auto record = project->imageAt(i);
    ASSERT_TRUE(record);
    images[record->relativePath] = *record;
  }

  // labels.csv: every row names a project image (relative to the image root) and the class the
  // generator drew for exactly those pixels; every pattern occurs.
  const auto rows = readCsv(report.labelsCsv);
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(report.phantomImages));
  std::set<std::string> labelledNames;
  std::set<int> labelledClasses;
  for (const auto& [file, label] : rows) {
    ASSERT_TRUE(images.count(file)) << file << " is not a project image";
    EXPECT_EQ(project->resolveImage(images[file].id), project->settings().imageRoot / file);
    const std::string name = fs::path(file).filename().string();
    ASSERT_TRUE(reference.count(name)) << name;
    EXPECT_EQ(label, reference.at(name).first) << file;
    EXPECT_EQ(test::readFile(dir / "images" / file), reference.at(name).second) << file;
    EXPECT_TRUE(fs::is_regular_file(dir / "masks" / name)) << name;
    labelledNames.insert(name);
    labelledClasses.insert(label);
  }
  EXPECT_EQ(labelledClasses.size(), static_cast<std::size_t>(imaging::kPhantomClassCount));
  EXPECT_EQ(labelledNames.size(), rows.size());

  // held_out/labels.csv: relative to its own folder, right classes, no image shared with the
  // project (by name or by content), together with labels.csv the whole generated set.
  const auto heldOut = readCsv(report.heldOutCsv);
  ASSERT_EQ(heldOut.size(), static_cast<std::size_t>(report.heldOutImages));
  std::set<std::string> projectHashes;
  for (const auto& [path, record] : images)
    projectHashes.insert(record.sha256);
  std::set<int> heldOutClasses;
  for (const auto& [file, label] : heldOut) {
    const fs::path path = dir / "held_out" / file;
    ASSERT_TRUE(fs::is_regular_file(path)) << file;
    const std::string name = path.filename().string();
    EXPECT_FALSE(labelledNames.count(name)) << name << " is both labelled and held out";
    ASSERT_TRUE(reference.count(name)) << name;
    EXPECT_EQ(label, reference.at(name).first) << file;
    EXPECT_EQ(test::readFile(path), reference.at(name).second) << file;
    EXPECT_TRUE(fs::is_regular_file(dir / "held_out" / "masks" / name)) << name;
    heldOutClasses.insert(label);
    for (const auto& [rel, record] : images)
      EXPECT_NE(fs::path(rel).filename(), name);
  }
  EXPECT_EQ(heldOutClasses.size(), static_cast<std::size_t>(imaging::kPhantomClassCount));
  EXPECT_EQ(labelledNames.size() + heldOut.size(), reference.size());

  // The real slice: in the project, unlabelled, byte for byte pydicom's file, readable.
  ASSERT_TRUE(images.count("real/CT_small.dcm"));
  EXPECT_EQ(images["real/CT_small.dcm"].modality, "CT");
  const std::string original = test::readFile(test::dataDir() / "CT_small.dcm");
  ASSERT_FALSE(original.empty());
  EXPECT_TRUE(demoCtSlice() == original);
  EXPECT_TRUE(test::readFile(dir / "images" / "real" / "CT_small.dcm") == original);
  const imaging::CtImage ct = imaging::readImage(dir / "images" / "real" / "CT_small.dcm");
  EXPECT_EQ(ct.info.format, imaging::ImageFormat::Dicom);
  EXPECT_EQ(ct.info.width, 128);
  EXPECT_EQ(ct.info.height, 128);
  EXPECT_EQ(ct.info.meaning, imaging::PixelMeaning::Hounsfield);

  // Nothing left over from building it.
  EXPECT_FALSE(fs::exists(dir / ".demo-staging"));
}

TEST(Demo, SecondDemoInTheSameFolderFailsWithoutDamage) {
  TempDir tmp;
  const fs::path dir = tmp / "demo";
  createDemoProject(dir, smallDemo());
  const auto before = snapshot(dir);
  try {
    createDemoProject(dir, smallDemo());
    FAIL() << "a second demo was created over the first";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("already holds a camlabel project"), std::string::npos) << what;
    EXPECT_NE(what.find(dir.string()), std::string::npos) << what;
  }
  EXPECT_EQ(snapshot(dir), before);
  EXPECT_EQ(project::Project::open(dir)->imageCount(), kPerClass * 10 / 2 + 1);
}

TEST(Demo, RefusesAFolderWithOtherContent) {
  TempDir tmp;
  const fs::path dir = tmp / "notes";
  fs::create_directories(dir);
  test::writeFile(dir / "todo.txt", "keep me");
  try {
    createDemoProject(dir, smallDemo());
    FAIL() << "a demo was created in a folder with other files";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not empty"), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot(dir), (std::map<std::string, std::string>{{"todo.txt", "keep me"}}));

  test::writeFile(tmp / "file", "x");
  EXPECT_THROW(createDemoProject(tmp / "file", smallDemo()), Error);
  EXPECT_EQ(test::readFile(tmp / "file"), "x");
}

TEST(Demo, AnEmptyExistingFolderIsUsed) {
  TempDir tmp;
  const DemoReport report = createDemoProject(tmp.path(), smallDemo());
  EXPECT_EQ(report.import.added, kPerClass * 10 / 2 + 1);
  EXPECT_EQ(project::Project::open(tmp.path())->imageCount(), kPerClass * 10 / 2 + 1);
}

TEST(Demo, SameOptionsGiveTheSameDemoAndTheSeedChangesIt) {
  TempDir tmp;
  createDemoProject(tmp / "a", smallDemo());
  createDemoProject(tmp / "b", smallDemo());
  DemoOptions other = smallDemo();
  other.seed = kSeed + 1;
  createDemoProject(tmp / "c", other);
  for (const char* name : {"labels.csv", "held_out/labels.csv"})
    EXPECT_EQ(test::readFile(tmp / "a" / name), test::readFile(tmp / "b" / name)) << name;
  auto images = [](const fs::path& dir) {
    auto all = snapshot(dir);
    std::erase_if(all, [](const auto& kv) { return kv.first.rfind("images/", 0) != 0; });
    return all;
  };
  EXPECT_EQ(images(tmp / "a"), images(tmp / "b"));
  EXPECT_NE(images(tmp / "a"), images(tmp / "c"));
}

TEST(Demo, HeldOutShareIsPerPattern) {
  TempDir tmp;
  DemoOptions options = smallDemo();
  options.perClass = 5;
  options.heldOutShare = 0.4;
  const DemoReport report = createDemoProject(tmp / "demo", options);
  EXPECT_EQ(report.heldOutImages, 20);
  EXPECT_EQ(report.phantomImages, 30);
  std::map<int, int> perClass;
  for (const auto& [file, label] : readCsv(report.heldOutCsv))
    ++perClass[label];
  ASSERT_EQ(perClass.size(), 10u);
  for (const auto& [label, n] : perClass)
    EXPECT_EQ(n, 2) << "pattern " << label;
}

class CancelAfter : public ProgressDelegate {
 public:
  explicit CancelAfter(int calls) : left_(calls) {}
  bool update(double fraction, std::string_view) override {
    fractions.push_back(fraction);
    return --left_ > 0;
  }
  std::vector<double> fractions;

 private:
  int left_;
};

TEST(Demo, ProgressRisesToOneAndCancellingRemovesEverything) {
  TempDir tmp;
  CancelAfter never(1 << 30);
  createDemoProject(tmp / "full", smallDemo(), &never);
  ASSERT_FALSE(never.fractions.empty());
  EXPECT_TRUE(std::is_sorted(never.fractions.begin(), never.fractions.end()));
  EXPECT_GE(never.fractions.front(), 0.0);
  EXPECT_DOUBLE_EQ(never.fractions.back(), 1.0);

  // Cancelled while drawing the slices, and while importing: a folder it created is gone, a
  // folder that was empty is empty again.
  const int calls = static_cast<int>(never.fractions.size());
  for (int cancelAt : {3, calls - 2}) {
    CancelAfter cancel(cancelAt);
    EXPECT_THROW(createDemoProject(tmp / "cancelled", smallDemo(), &cancel), Cancelled);
    EXPECT_FALSE(fs::exists(tmp / "cancelled")) << cancelAt;
    fs::create_directory(tmp / "empty");
    CancelAfter again(cancelAt);
    EXPECT_THROW(createDemoProject(tmp / "empty", smallDemo(), &again), Cancelled);
    EXPECT_TRUE(fs::is_empty(tmp / "empty")) << cancelAt;
  }
}

TEST(Demo, RejectsBadOptionsBeforeWritingAnything) {
  TempDir tmp;
  auto refused = [&](DemoOptions options, const std::string& why) {
    EXPECT_THROW(createDemoProject(tmp / "demo", options), Error) << why;
    EXPECT_FALSE(fs::exists(tmp / "demo")) << why;
  };
  DemoOptions o = smallDemo();
  o.perClass = 1;
  refused(o, "one slice per pattern");
  o = smallDemo();
  o.heldOutShare = 0;
  refused(o, "no held-out share");
  o.heldOutShare = 1;
  refused(o, "everything held out");
  o = smallDemo();
  o.size = 32;
  refused(o, "too small");
  o = smallDemo();
  o.project.scheme = project::builtinScheme("features");
  refused(o, "the features scheme");
}

}  // namespace
}  // namespace camlabel::session
