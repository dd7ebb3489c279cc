// SPDX-License-Identifier: Apache-2.0
// Importing more images into a project while its session labels, and the training settings a
// session stores for its next opening.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/imaging/phantom.h"
#include "core/project/project.h"
#include "core/session/session.h"
#include "test_support.h"

namespace camlabel::session {
namespace {

namespace fs = std::filesystem;

constexpr int kFirstImages = 12;
constexpr int kMoreImages = 20;

/// Cancels when asked for progress on the file with index cancelAt.
class CancelAt : public ProgressDelegate {
 public:
  explicit CancelAt(long cancelAt, long total) : cancelAt_(cancelAt), total_(total) {}
  bool update(double fraction, std::string_view) override {
    return fraction * static_cast<double>(total_) < static_cast<double>(cancelAt_) - 0.5;
  }

 private:
  long cancelAt_;
  long total_;
};

class SessionImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writePhantoms(root(), kFirstImages, 21);
    project::ProjectSettings settings;
    settings.imageRoot = root();
    settings.modelSize = 64;
    settings.snapshotEvery = 5;
    project::Project::create(projectDir(), settings)->importImages();
    writePhantoms(root() / "more", kMoreImages, 22);
  }

  fs::path root() const { return dir_.path() / "images"; }
  fs::path projectDir() const { return dir_.path() / "project"; }

  /// count 64-pixel phantom slices directly in folder (without the set's masks).
  void writePhantoms(const fs::path& folder, int count, std::uint64_t seed) const {
    imaging::PhantomSetOptions options;
    options.count = count;
    options.size = 64;
    options.seed = seed;
    const fs::path set = dir_.path() / "set";
    imaging::writePhantomSet(set, options);
    fs::create_directories(folder);
    for (const auto& entry : fs::directory_iterator(set / "images"))
      fs::rename(entry.path(), folder / entry.path().filename());
    fs::remove_all(set);
  }

  std::unique_ptr<Session> open() const {
    SessionOptions options;
    options.annotator = "dr-test";
    options.config = model::namedNetwork("tiny").value();
    return Session::open(projectDir(), options);
  }

  test::TempDir dir_;
};

TEST_F(SessionImportTest, ImagesArriveWhileLabelsAreGivenOnAnotherThread) {
  test::writeFile(root() / "more" / "garbage.png", "not a png at all");
  auto session = open();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kFirstImages; ++i)
    ids.push_back(session->imageAt(i).value().id);
  project::ImportReport report;
  std::string error;
  std::thread importer([&] {
    try {
      report = session->importImages(root() / "more");
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  // Every label commits (none waits out the database's busy timeout) while the import runs.
  for (int i = 0; i < kFirstImages; ++i)
    session->label(ids[static_cast<std::size_t>(i)], i % 10);
  importer.join();
  ASSERT_EQ(error, "");
  EXPECT_EQ(report.added, kMoreImages);
  ASSERT_EQ(report.failures.size(), 1U);
  EXPECT_EQ(report.failures[0].path, "more/garbage.png");
  EXPECT_EQ(session->imageCount(), kFirstImages + kMoreImages);
  const project::ProjectCounts counts = session->counts();
  EXPECT_EQ(counts.labelled, kFirstImages);
  EXPECT_EQ(counts.unlabelled, kMoreImages);
  // The new images join the natural order of relative paths ("more/..." before "phantom_...").
  EXPECT_EQ(session->imageAt(0)->relativePath, "more/phantom_0001.png");

  // Again: nothing new, each file counted as already there.
  const project::ImportReport again = session->importImages(root() / "more");
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.alreadyImported, kMoreImages);
  EXPECT_EQ(again.failures.size(), 1U);
}

TEST_F(SessionImportTest, ACancelKeepsTheFilesReadBeforeIt) {
  auto session = open();
  CancelAt cancel(5, kMoreImages);
  EXPECT_THROW(session->importImages(root() / "more", &cancel), Cancelled);
  EXPECT_EQ(session->imageCount(), kFirstImages + 5);
  // The rest comes with the next import.
  const project::ImportReport rest = session->importImages(root() / "more");
  EXPECT_EQ(rest.added, kMoreImages - 5);
  EXPECT_EQ(rest.alreadyImported, 5);
}

TEST_F(SessionImportTest, AFolderOutsideTheImageRootOrAClosedSessionIsRefused) {
  auto session = open();
  EXPECT_THROW(session->importImages(dir_.path()), Error);
  EXPECT_EQ(session->imageCount(), kFirstImages);
  session->close();
  EXPECT_THROW(session->importImages(root() / "more"), Error);
}

TEST_F(SessionImportTest, DuplicatesByPathAndContentAreCountedNotStored) {
  auto project = project::Project::open(projectDir());
  const project::ImportCandidate first =
      project::readImportCandidate(root(), root() / "more" / "phantom_0001.png");
  EXPECT_EQ(first.relativePath, "more/phantom_0001.png");
  EXPECT_EQ(first.format, "PNG");
  EXPECT_EQ(first.width, 64);
  project::ImportCandidate copy = first;
  copy.relativePath = "more/copy_of_0001.png";
  project::ImportReport report;
  project->addImportCandidates({first, first, copy}, report);
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(report.alreadyImported, 1);
  EXPECT_EQ(report.duplicates, 1);
  EXPECT_EQ(project->imageCount(), kFirstImages + 1);
  test::writeFile(root() / "broken.dcm", "DICM? no");
  EXPECT_THROW(project::readImportCandidate(root(), root() / "broken.dcm"), InputError);
}

TEST_F(SessionImportTest, TrainingSettingsApplyAtTheNextOpening) {
  {
    auto session = open();
    EXPECT_THROW(session->saveTrainingSettings(0, "head"), Error);
    EXPECT_THROW(session->saveTrainingSettings(3, "everything"), Error);
    EXPECT_EQ(session->storedSettings().snapshotEvery, 5);
    session->saveTrainingSettings(3, "head");
    EXPECT_EQ(session->storedSettings().snapshotEvery, 3);
    EXPECT_EQ(session->storedSettings().trainingMode, "head");
    EXPECT_EQ(session->settings().snapshotEvery, 5);  // as opened
  }
  auto session = open();
  EXPECT_EQ(session->settings().snapshotEvery, 3);
  EXPECT_EQ(session->settings().trainingMode, "head");
}

}  // namespace
}  // namespace camlabel::session
