// SPDX-License-Identifier: Apache-2.0
#include "core/project/project.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/version.h"
#include "core/imaging/ct_image.h"
#include "dicom_cd.h"
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
  EXPECT_EQ(project->settings().trainingMode, "auto");
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

TEST(ProjectStore, AModelSizeOutsideWhatANetworkTakesIsRefused) {
  Fixture f({"a.png"});
  ProjectSettings chosen;
  chosen.modelSize = 96;
  EXPECT_EQ(f.create(chosen)->settings().modelSize, 96);
  fs::remove_all(f.dir);
  ProjectSettings tiny;
  tiny.modelSize = 16;
  EXPECT_THROW(f.create(tiny), Error);
  EXPECT_FALSE(fs::exists(f.dir / "project.sqlite"));
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

TEST(ProjectStore, ACdImportsEverySliceSeriesBySeriesHeadFirstAndCountsWhatItSkips) {
  Fixture f({});
  const test::CdFolder cd = test::writeCdFolder(f.images);
  test::writeTestPng(f.images / "DICOM" / "a_viewer_icon.png", 7);
  test::writeTestPng(f.images / "other" / "slice.png", 8);
  auto project = f.create();
  const ImportReport report = project->importImages();
  EXPECT_TRUE(report.failures.empty()) << report.failures.front().reason;
  EXPECT_EQ(report.added, static_cast<int>(cd.slicesInOrder.size()) + 2);
  EXPECT_EQ(report.skipped[static_cast<int>(imaging::NotASlice::StructuredReport)],
            cd.structuredReports);
  EXPECT_EQ(report.skipped[static_cast<int>(imaging::NotASlice::Localizer)], cd.localizers);
  EXPECT_EQ(report.skipped[static_cast<int>(imaging::NotASlice::DicomDirectory)],
            cd.dicomDirectories);
  EXPECT_EQ(describeSkipped(report), "1 DICOMDIR, 1 structured report, 1 localizer");
  EXPECT_EQ(whyNothingAdded(report), "");
  // The DICOM slices of a top-level folder first, in anatomical order, then its other images;
  // top-level folders keep their natural order.
  std::vector<std::string> expected = cd.slicesInOrder;
  expected.push_back("DICOM/a_viewer_icon.png");
  expected.push_back("other/slice.png");
  EXPECT_EQ(orderedPaths(*project), expected);
  // No identifier reaches the database: series are hashes, not UIDs; names are never read.
  project->database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const std::string stored = test::readFile(f.dir / "project.sqlite");
  for (const std::string& identifier : cd.identifiers)
    EXPECT_EQ(stored.find(identifier), std::string::npos) << identifier;
  EXPECT_EQ(stored.find("1.2.276.0.7230010"), std::string::npos) << "a DCMTK UID";

  // Where each slice lies, and its neighbours within its series only.
  auto idOf = [&](const char* path) { return project->findImage(path).value().id; };
  const auto top = project->sliceLocation(idOf("DICOM/ST0/SE0/IM3"));
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->seriesIndex, 0);
  EXPECT_EQ(top->seriesCount, 2);
  EXPECT_EQ(top->sliceIndex, 0);
  EXPECT_EQ(top->sliceCount, 3);
  EXPECT_EQ(top->seriesNumber, 2);
  EXPECT_DOUBLE_EQ(top->positionMm.value(), 0.0);
  const auto last = project->sliceLocation(idOf("DICOM/ST0/SE1/IM2"));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->seriesIndex, 1);
  EXPECT_EQ(last->sliceIndex, 1);
  EXPECT_EQ(last->sliceCount, 2);
  EXPECT_DOUBLE_EQ(last->positionMm.value(), -15.0);
  EXPECT_EQ(project->sliceLocation(idOf("other/slice.png")), std::nullopt);
  EXPECT_EQ(project->neighbourInSeries(idOf("DICOM/ST0/SE0/IM3"), 1)->relativePath,
            "DICOM/ST0/SE0/IM2");
  EXPECT_EQ(project->neighbourInSeries(idOf("DICOM/ST0/SE0/IM3"), 2)->relativePath,
            "DICOM/ST0/SE0/IM1");
  EXPECT_EQ(project->neighbourInSeries(idOf("DICOM/ST0/SE0/IM1"), -1)->relativePath,
            "DICOM/ST0/SE0/IM2");
  EXPECT_FALSE(project->neighbourInSeries(idOf("DICOM/ST0/SE0/IM3"), -1).has_value());
  EXPECT_FALSE(project->neighbourInSeries(idOf("DICOM/ST0/SE0/IM1"), 1).has_value())
      << "a step never leaves the series";
  EXPECT_FALSE(project->neighbourInSeries(idOf("other/slice.png"), 1).has_value());

  // Imported again: nothing added, and the report says why.
  const ImportReport again = project->importImages();
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.alreadyImported, report.added);
  EXPECT_EQ(whyNothingAdded(again),
            "nothing was added: " + std::to_string(report.added) +
                " already in the project; skipped as not slices to label: 1 DICOMDIR, 1 "
                "structured report, 1 localizer.");
}

TEST(ProjectStore, AnImportThatFindsNoImageSaysWhatItLooksFor) {
  Fixture f({});
  fs::create_directories(f.images);
  test::writeFile(f.images / "notes.txt", "no images here");
  auto project = f.create();
  const ImportReport report = project->importImages();
  EXPECT_EQ(report.added, 0);
  EXPECT_NE(whyNothingAdded(report).find("no image file was found"), std::string::npos);
  EXPECT_NE(whyNothingAdded(report).find("by their content"), std::string::npos);
}

TEST(ProjectStore, ImportSortKeyOrdersPositionsHeadFirstWithinASeries) {
  imaging::SlicePlacement a;
  a.studyKey = "aaaaaaaaaaaa";
  a.seriesKey = "bbbbbbbbbbbb";
  a.seriesNumber = 2;
  a.positionMm = 10.5;
  imaging::SlicePlacement b = a;
  b.positionMm = -300.25;
  imaging::SlicePlacement laterSeries = a;
  laterSeries.seriesNumber = 10;
  laterSeries.positionMm = 500;
  EXPECT_LT(importSortKey("x/IM9", a), importSortKey("x/IM1", b));
  EXPECT_LT(importSortKey("x/IM9", b), importSortKey("x/IM1", laterSeries));
  imaging::SlicePlacement negative = a;
  negative.seriesNumber = -1;
  EXPECT_LT(importSortKey("x/IM1", negative), importSortKey("x/IM1", a));
  // Without a position, instance numbers decide; without anything, the name.
  imaging::SlicePlacement first = a, second = a;
  first.positionMm = second.positionMm = std::nullopt;
  first.instanceNumber = 9;
  second.instanceNumber = 10;
  EXPECT_LT(importSortKey("x/b", first), importSortKey("x/a", second));
  EXPECT_EQ(importSortKey("x/a.png", {}), naturalSortKey("x/a.png"));
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

// Readers taking turns on one project (issue 15): an undo takes back the reader's own last
// label, never a colleague's given since.
TEST(ProjectStore, UndoRevertsTheReadersOwnLastLabel) {
  Fixture f({"a.png", "b.png"});
  auto project = f.create();
  project->importImages();
  const std::int64_t a = project->imageAt(0)->id;
  const std::int64_t b = project->imageAt(1)->id;
  project->label(a, 1, "dr a");
  project->label(b, 2, "dr b");
  project->label(a, 3, "dr b");
  EXPECT_EQ(project->undo("dr a"), a);  // dr a's label of a, not dr b's later ones
  EXPECT_EQ(project->currentLabel(a)->classIndex, 3);
  EXPECT_EQ(project->currentLabel(a)->annotator, "dr b");
  EXPECT_EQ(project->currentLabel(b)->classIndex, 2);
  EXPECT_FALSE(project->undo("dr a"));  // nothing else of dr a's
  EXPECT_EQ(project->undo("dr b"), a);
  EXPECT_FALSE(project->currentLabel(a));  // dr a's label was undone before
  EXPECT_EQ(project->undo("dr b"), b);
  EXPECT_FALSE(project->undo("nobody"));
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

  // A version's file rewritten in place (kept with the weights it shows only): its checksum
  // follows; nothing else of it, nor which version is current, changes.
  project->setModelVersionSha256(1, std::string(64, 'c'));
  const auto after = project->modelVersions();
  EXPECT_EQ(after[0].sha256, std::string(64, 'c'));
  EXPECT_EQ(after[0].file, "v1.pt");
  EXPECT_EQ(after[0].labelsSeen, 3);
  EXPECT_EQ(after[1].sha256, std::string(64, 'b'));
  EXPECT_TRUE(after[1].isCurrent);
  EXPECT_THROW(project->setModelVersionSha256(9, std::string(64, 'd')), Error);
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

TEST(ProjectStore, FindImageByPathAndIndexOfFollowTheNaturalOrder) {
  Fixture f({"img10.png", "img2.png", "sub/IMG1.png"});
  auto project = f.create();
  project->importImages();
  const auto paths = orderedPaths(*project);
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(paths.size()); ++i) {
    const auto found = project->findImage(paths[static_cast<std::size_t>(i)]);
    ASSERT_TRUE(found) << paths[static_cast<std::size_t>(i)];
    EXPECT_EQ(found->id, project->imageAt(i)->id);
    EXPECT_EQ(found->relativePath, paths[static_cast<std::size_t>(i)]);
    EXPECT_EQ(project->indexOf(found->id), i);
  }
  EXPECT_EQ(project->findImage("sub/IMG1.png")->width, 16);
  // Exact stored paths only: no normalisation, no case folding, no absolute paths.
  EXPECT_FALSE(project->findImage("./img2.png"));
  EXPECT_FALSE(project->findImage("IMG2.png"));
  EXPECT_FALSE(project->findImage((fs::canonical(f.images) / "img2.png").string()));
  EXPECT_FALSE(project->findImage(""));
  EXPECT_THROW(project->indexOf(987654), Error);

  // A new image in the middle shifts the positions after it.
  const std::int64_t img10 = project->findImage("img10.png")->id;
  EXPECT_EQ(project->indexOf(img10), 1);
  test::writeTestPng(f.images / "img3.png", 50);
  project->importImages();
  EXPECT_EQ(project->indexOf(img10), 2);
  EXPECT_EQ(project->indexOf(project->findImage("img3.png")->id), 1);
  EXPECT_EQ(project->indexOf(project->findImage("sub/IMG1.png")->id), 3);
}

TEST(ProjectStore, PositionQueriesUseTheOrderIndex) {
  // The 100,000-image targets rest on these plans: a search of an index, never a scan of the
  // table or a sort in memory.
  Fixture f({"a.png"});
  auto project = f.create();
  auto planOf = [&](const std::string& sql) {
    std::string plan;
    auto s = project->database().prepare("EXPLAIN QUERY PLAN " + sql);
    while (s.step())
      plan += s.columnText(3) + "\n";
    return plan;
  };
  const std::string indexOf =
      planOf("SELECT COUNT(*) FROM images WHERE (sort_key, rel_path) < ('a', 'b')");
  EXPECT_NE(indexOf.find("USING COVERING INDEX images_order"), std::string::npos) << indexOf;
  const std::string findImage = planOf("SELECT id FROM images WHERE rel_path = 'a.png'");
  EXPECT_NE(findImage.find("SEARCH images USING"), std::string::npos) << findImage;
  EXPECT_NE(findImage.find("INDEX"), std::string::npos) << findImage;
  const std::string imageAt =
      planOf("SELECT id FROM images ORDER BY sort_key, rel_path LIMIT 1 OFFSET 5");
  EXPECT_EQ(imageAt.find("TEMP B-TREE"), std::string::npos) << imageAt;
  const std::string next = planOf(
      "SELECT id FROM images WHERE decision_id IS NULL AND (sort_key, rel_path) > ('a', 'b') "
      "ORDER BY sort_key, rel_path LIMIT 1");
  EXPECT_NE(next.find("USING INDEX images_undecided"), std::string::npos) << next;
  EXPECT_EQ(next.find("TEMP B-TREE"), std::string::npos) << next;
  const std::string counts = planOf(
      "SELECT decision_class, COUNT(*) FROM images WHERE decision_id IS NOT NULL GROUP BY "
      "decision_class");
  EXPECT_NE(counts.find("COVERING INDEX images_by_decision"), std::string::npos) << counts;
  EXPECT_EQ(counts.find("TEMP B-TREE"), std::string::npos) << counts;
}

TEST(ProjectStore, ImportReadsHeadersAndReportsWhatTheyShowIsUnreadable) {
  Fixture f({"a.png"});
  fs::copy_file(test::dataDir() / "CT_small.dcm", f.images / "ct.dcm");
  fs::copy_file(test::dataDir() / "rtdose.dcm", f.images / "dose.dcm");
  fs::copy_file(test::dataDir() / "rtplan.dcm", f.images / "plan.dcm");
  fs::copy_file(test::dataDir() / "MR_truncated.dcm", f.images / "cut.dcm");
  test::copyAsEnhancedCt(test::dataDir() / "rtdose.dcm", f.images / "enhanced.dcm");
  const std::string png = test::readFile(f.images / "a.png");
  test::writeFile(f.images / "short.png", png.substr(0, png.size() - 5));
  // Valid header, damaged compressed pixels: only decoding can tell, so import accepts it.
  std::string damaged = png;
  const std::size_t idat = damaged.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (std::size_t i = idat + 6; i + 16 < damaged.size(); ++i)
    damaged[i] = static_cast<char>(0x5A);
  test::writeFile(f.images / "pixels.png", damaged);

  auto project = f.create();
  const ImportReport report = project->importImages();
  EXPECT_EQ(report.added, 3);
  std::map<std::string, std::string> failures;
  for (const auto& failure : report.failures)
    failures[failure.path] = failure.reason;
  ASSERT_EQ(failures.size(), 3U);
  EXPECT_NE(failures["enhanced.dcm"].find("15 frames"), std::string::npos)
      << failures["enhanced.dcm"];
  // An RT dose (an image) and an RT plan (no pixel data) are not slices: skipped, not failed.
  EXPECT_EQ(report.skipped[static_cast<int>(imaging::NotASlice::RadiotherapyObject)], 2);
  EXPECT_NE(failures["cut.dcm"].find("truncated"), std::string::npos);
  EXPECT_NE(failures["short.png"].find("truncated PNG"), std::string::npos);

  const ImageRecord ct = *project->findImage("ct.dcm");
  EXPECT_EQ(ct.format, "DICOM");
  EXPECT_EQ(ct.modality, "CT");
  EXPECT_EQ(ct.width, 128);
  EXPECT_EQ(ct.height, 128);
  EXPECT_EQ(ct.sizeBytes, static_cast<std::int64_t>(fs::file_size(f.images / "ct.dcm")));
  const ImageRecord pixels = *project->findImage("pixels.png");
  EXPECT_EQ(pixels.width, 16);
  try {
    imaging::readImage(project->resolveImage(pixels.id));
    FAIL() << "decoded damaged pixels";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("pixels.png"), std::string::npos) << e.what();
  }
}

/// The current decision of every image by the definition (the current_decisions view over the
/// append-only labels), for comparing the derived columns and the fast queries against.
struct Truth {
  std::map<std::int64_t, std::optional<int>> decided;  // image -> class (nullopt: skipped)
};

Truth truthOf(Project& project) {
  Truth truth;
  auto s =
      project.database().prepare("SELECT image_id, action, class_index FROM current_decisions");
  while (s.step())
    truth.decided[s.columnInt(0)] =
        s.columnText(1) == "skip" ? std::nullopt : std::optional<int>(s.columnInt(2));
  return truth;
}

void expectMatchesTruth(Project& project, const std::vector<std::int64_t>& ordered) {
  const Truth truth = truthOf(project);
  ProjectCounts expected;
  expected.images = static_cast<std::int64_t>(ordered.size());
  expected.perClass.assign(project.settings().scheme.classes.size(), 0);
  for (const auto& [image, cls] : truth.decided) {
    if (cls)
      ++expected.labelled, ++expected.perClass[static_cast<std::size_t>(*cls)];
    else
      ++expected.skipped;
  }
  const ProjectCounts counts = project.counts();
  EXPECT_EQ(counts.labelled, expected.labelled);
  EXPECT_EQ(counts.skipped, expected.skipped);
  EXPECT_EQ(counts.unlabelled, expected.images - expected.labelled - expected.skipped);
  EXPECT_EQ(counts.perClass, expected.perClass);
  // nextUnlabelled after every image (and from the start) against a walk of the order.
  for (std::size_t from = 0; from <= ordered.size(); ++from) {
    std::optional<std::int64_t> want;
    for (std::size_t i = from; i < ordered.size() && !want; ++i)
      if (!truth.decided.count(ordered[i])) want = ordered[i];
    const auto after = from == 0 ? std::nullopt : std::optional<std::int64_t>(ordered[from - 1]);
    EXPECT_EQ(project.nextUnlabelled(after), want) << "after position " << from;
  }
  for (const std::int64_t image : ordered) {
    const auto current = project.currentLabel(image);
    const auto it = truth.decided.find(image);
    ASSERT_EQ(current.has_value(), it != truth.decided.end()) << image;
    if (current) {
      EXPECT_EQ(current->classIndex, it->second.value_or(-1)) << image;
    }
  }
  std::size_t exported = 0;
  project.forEachCurrentLabel([&](const ImageRecord& record, const CurrentLabel& label) {
    EXPECT_EQ(record.id, label.imageId);
    EXPECT_TRUE(truth.decided.count(record.id));
    ++exported;
  });
  EXPECT_EQ(exported, truth.decided.size());
}

TEST(ProjectStore, FastQueriesAgreeWithTheLabelHistoryAfterRandomSessions) {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i)
    names.push_back(std::string("s").append(std::to_string(i)).append(".png"));
  Fixture f(names);
  auto project = f.create();
  project->importImages();
  std::vector<std::int64_t> ordered;
  for (std::int64_t i = 0; i < project->imageCount(); ++i)
    ordered.push_back(project->imageAt(i)->id);

  std::mt19937 rng(2024);
  for (int step = 0; step < 120; ++step) {
    const std::int64_t image = ordered[rng() % ordered.size()];
    switch (rng() % 4) {
      case 0:
      case 1:
        project->label(image, static_cast<int>(rng() % 10), "dr");
        break;
      case 2:
        project->skip(image, "dr");
        break;
      default:
        project->undo("dr");
        break;
    }
    if (step % 10 == 9) expectMatchesTruth(*project, ordered);
  }
  while (project->undo("dr")) {
  }
  expectMatchesTruth(*project, ordered);
  EXPECT_EQ(project->counts().unlabelled, 12);
}

TEST(ProjectStore, VersionOneProjectIsMigratedWithItsDecisions) {
  Fixture f({"a.png", "b.png", "c.png", "d.png"});
  std::vector<std::int64_t> ordered;
  {
    auto project = f.create();
    project->importImages();
    for (std::int64_t i = 0; i < 4; ++i)
      ordered.push_back(project->imageAt(i)->id);
    project->label(ordered[0], 3, "dr");
    project->skip(ordered[1], "dr");
    project->label(ordered[2], 5, "dr");
    project->label(ordered[2], 6, "dr");
    project->undo("dr");
  }
  {
    // Back to exactly what schema 1 had: no derived columns, indexes or triggers, no series.
    sqlite::Database db(f.dir / "project.sqlite", false);
    db.exec(
        "DROP INDEX images_series; ALTER TABLE images DROP COLUMN series; "
        "ALTER TABLE images DROP COLUMN series_number; ALTER TABLE images DROP COLUMN position_mm; "
        "DROP TRIGGER labels_decide; DROP TRIGGER labels_undo; DROP INDEX images_undecided; "
        "DROP INDEX images_by_decision; ALTER TABLE images DROP COLUMN decision_id; "
        "ALTER TABLE images DROP COLUMN decision_class; PRAGMA user_version=1;");
  }
  auto project = Project::open(f.dir);
  EXPECT_EQ(project->database().queryInt("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(project->currentLabel(ordered[2])->classIndex, 5);
  EXPECT_EQ(project->nextUnlabelled(), ordered[3]);
  EXPECT_EQ(project->sliceLocation(ordered[0]), std::nullopt) << "imported without a series";
  expectMatchesTruth(*project, ordered);
  project->label(ordered[3], 1, "dr");
  project->undo("dr");
  project->undo("dr");  // the 5 of c: c is undecided again
  expectMatchesTruth(*project, ordered);
  EXPECT_EQ(project->nextUnlabelled(), ordered[2]);
  EXPECT_EQ(project->database().queryText("PRAGMA integrity_check"), "ok");
}

TEST(ProjectStore, NaturalSortKeyOrdersNumbersByValue) {
  EXPECT_LT(naturalSortKey("img2"), naturalSortKey("img10"));
  EXPECT_LT(naturalSortKey("IMG9.png"), naturalSortKey("img10.png"));
  EXPECT_LT(naturalSortKey("a/b2/c"), naturalSortKey("a/b10/a"));
  EXPECT_EQ(naturalSortKey("x007"), naturalSortKey("x7"));
}

}  // namespace
}  // namespace camlabel::project
