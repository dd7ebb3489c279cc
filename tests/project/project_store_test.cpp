#include "core/project/project.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/version.h"
#include "project_test_support.h"

namespace camlabel::project {
namespace {

namespace fs = std::filesystem;

struct Fixture {
  test::TempDir tmp;
  fs::path images = tmp / "images";
  fs::path dir = tmp / "proj";

  explicit Fixture(const std::vector<std::string>& names) {
    int seed = 1;
    for (const auto& name : names)
      test::writeTestPng(images / name, seed++);
  }
  std::unique_ptr<Project> create(ProjectSettings settings = {}) {
    settings.imageRoot = images;
    return Project::create(dir, std::move(settings));
  }
};

std::vector<std::string> orderedPaths(Project& project) {
  std::vector<std::string> paths;
  for (std::int64_t i = 0;; ++i) {
    auto image = project.imageAt(i);
    if (!image) break;
    paths.push_back(image->relativePath);
  }
  return paths;
}

TEST(ProjectStore, CreateStoresSettingsAndReopenReadsThem) {
  Fixture f({"a.png"});
  ProjectSettings settings;
  settings.scheme = builtinScheme("features");
  settings.snapshotEvery = 7;
  settings.seed = 42;
  { f.create(settings); }
  auto project = Project::open(f.dir);
  EXPECT_EQ(project->settings().scheme.name, "features");
  EXPECT_EQ(project->settings().snapshotEvery, 7);
  EXPECT_EQ(project->settings().trainingMode, "layer4");
  EXPECT_EQ(project->settings().modelSize, 224);
  EXPECT_EQ(project->settings().seed, 42);
  EXPECT_EQ(project->settings().createdByVersion, kVersion);
  EXPECT_EQ(project->settings().imageRoot, fs::canonical(f.images));
  EXPECT_TRUE(fs::is_directory(f.dir / "models"));
  EXPECT_EQ(project->database().queryInt("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(project->database().queryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(project->database().queryInt("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(project->database().queryInt("PRAGMA foreign_keys"), 1);
}

TEST(ProjectStore, CreateRefusesAnExistingProject) {
  Fixture f({"a.png"});
  { f.create(); }
  EXPECT_THROW(f.create(), Error);
}

TEST(ProjectStore, ImportKeepsNaturalOrderSkipsDuplicatesAndReportsUnreadableFiles) {
  Fixture f({"img10.png", "img2.png", "sub/IMG1.png"});
  test::writeFile(f.images / "broken.png", "this is not a PNG");
  fs::copy_file(f.images / "img2.png", f.images / "zz_copy_of_img2.png");
  auto project = f.create();
  const ImportReport report = project->importImages();
  EXPECT_EQ(report.added, 3);
  EXPECT_EQ(report.duplicates, 1);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].path, "broken.png");
  EXPECT_FALSE(report.failures[0].reason.empty());
  EXPECT_EQ(orderedPaths(*project),
            (std::vector<std::string>{"img2.png", "img10.png", "sub/IMG1.png"}));
  const ImageRecord first = *project->imageAt(0);
  EXPECT_EQ(first.format, "PNG");
  EXPECT_EQ(first.width, 16);
  EXPECT_EQ(first.sha256.size(), 64u);

  // Re-import finds only what is new.
  test::writeTestPng(f.images / "img3.png", 99);
  const ImportReport again = project->importImages();
  EXPECT_EQ(again.added, 1);
  EXPECT_EQ(again.alreadyImported, 3);
  EXPECT_EQ(orderedPaths(*project),
            (std::vector<std::string>{"img2.png", "img3.png", "img10.png", "sub/IMG1.png"}));
}

TEST(ProjectStore, ImportRefusesAFolderOutsideTheImageRoot) {
  Fixture f({"a.png"});
  auto project = f.create();
  EXPECT_THROW(project->importImages(f.tmp.path()), Error);
}

class CancelAt : public ProgressDelegate {
 public:
  bool update(double fraction, std::string_view) override { return fraction < 0.5; }
};

TEST(ProjectStore, CancelledImportThrowsAndKeepsTheProjectUsable) {
  std::vector<std::string> names;
  for (int i = 0; i < 10; ++i)
    names.push_back(std::to_string(i) + "i.png");
  Fixture f(names);
  auto project = f.create();
  CancelAt cancel;
  EXPECT_THROW(project->importImages(std::nullopt, &cancel), Cancelled);
  EXPECT_EQ(project->imageCount(), 0);  // the open batch was rolled back
  EXPECT_EQ(project->importImages().added, 10);
}

TEST(ProjectStore, CurrentLabelIsTheLatestRowAndUndoRevertsIt) {
  Fixture f({"a.png", "b.png"});
  auto project = f.create();
  project->importImages();
  const std::int64_t a = project->imageAt(0)->id;
  const std::int64_t b = project->imageAt(1)->id;

  EXPECT_FALSE(project->currentLabel(a));
  project->label(a, 1, "dr", {3, 2, 0.75});
  project->label(a, 4, "dr");  // relabel
  EXPECT_EQ(project->currentLabel(a)->classIndex, 4);
  project->skip(b, "dr");
  EXPECT_TRUE(project->currentLabel(b)->skipped);

  EXPECT_EQ(project->undo("dr"), b);  // the skip
  EXPECT_FALSE(project->currentLabel(b));
  EXPECT_EQ(project->undo("dr"), a);  // the relabel: the first label is current again
  const CurrentLabel back = *project->currentLabel(a);
  EXPECT_EQ(back.classIndex, 1);
  EXPECT_EQ(back.context.modelVersion, 3);
  EXPECT_EQ(back.context.predictedClass, 2);
  EXPECT_DOUBLE_EQ(*back.context.probability, 0.75);
  EXPECT_EQ(project->undo("dr"), a);
  EXPECT_FALSE(project->undo("dr"));
  EXPECT_FALSE(project->currentLabel(a));

  // Every action is a row; nothing was rewritten.
  EXPECT_EQ(project->database().queryInt("SELECT COUNT(*) FROM labels"), 6);
  EXPECT_THROW(project->label(a, 10, "dr"), Error);
  EXPECT_THROW(project->label(12345, 0, "dr"), Error);
}

TEST(ProjectStore, LabelsCannotBeUpdatedOrDeleted) {
  Fixture f({"a.png"});
  auto project = f.create();
  project->importImages();
  project->label(project->imageAt(0)->id, 2, "dr");
  EXPECT_THROW(project->database().exec("UPDATE labels SET class_index = 3"), Error);
  EXPECT_THROW(project->database().exec("DELETE FROM labels"), Error);
  EXPECT_EQ(project->currentLabel(project->imageAt(0)->id)->classIndex, 2);
}

TEST(ProjectStore, NextUnlabelledCountsAndPositionSurviveReopen) {
  Fixture f({"s1.png", "s2.png", "s3.png", "s4.png"});
  {
    auto project = f.create();
    project->importImages();
    const auto id = [&](int i) { return project->imageAt(i)->id; };
    EXPECT_EQ(project->nextUnlabelled(), id(0));
    project->label(id(0), 1, "dr");
    project->skip(id(1), "dr");
    project->label(id(3), 1, "dr");
    EXPECT_EQ(project->nextUnlabelled(), id(2));
    EXPECT_EQ(project->nextUnlabelled(id(2)), std::nullopt);
    EXPECT_EQ(project->nextUnlabelled(id(0)), id(2));
    project->setPosition(id(2));
    project->addModelVersion({1, "v1.pt", std::string(64, 'a'), 3, "", R"({"loss":0.5})", false});
    project->addModelVersion({2, "v2.pt", std::string(64, 'b'), 6, "", "{}", false});
  }
  auto project = Project::open(f.dir);
  const ProjectCounts counts = project->counts();
  EXPECT_EQ(counts.images, 4);
  EXPECT_EQ(counts.labelled, 2);
  EXPECT_EQ(counts.skipped, 1);
  EXPECT_EQ(counts.unlabelled, 1);
  EXPECT_EQ(counts.perClass[1], 2);
  EXPECT_EQ(counts.perClass[0], 0);
  EXPECT_EQ(project->position(), project->imageAt(2)->id);
  const auto versions = project->modelVersions();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_FALSE(versions[0].isCurrent);
  EXPECT_TRUE(versions[1].isCurrent);
  EXPECT_EQ(versions[0].metricsJson, R"({"loss":0.5})");
}

TEST(ProjectStore, MissingImageFileIsAClearError) {
  Fixture f({"gone.png"});
  auto project = f.create();
  project->importImages();
  const std::int64_t id = project->imageAt(0)->id;
  EXPECT_EQ(project->resolveImage(id), fs::canonical(f.images) / "gone.png");
  fs::remove(f.images / "gone.png");
  try {
    project->resolveImage(id);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'gone.png' is missing"), std::string::npos) << e.what();
  }
}

TEST(ProjectStore, NaturalSortKeyOrdersNumbersByValue) {
  EXPECT_LT(naturalSortKey("img2"), naturalSortKey("img10"));
  EXPECT_LT(naturalSortKey("IMG9.png"), naturalSortKey("img10.png"));
  EXPECT_LT(naturalSortKey("a/b2/c"), naturalSortKey("a/b10/a"));
  EXPECT_EQ(naturalSortKey("x007"), naturalSortKey("x7"));
}

}  // namespace
}  // namespace camlabel::project
