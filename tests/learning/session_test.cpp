// SPDX-License-Identifier: Apache-2.0
// The annotation session end to end, without a display: label, train, version, close, resume.

#include "core/session/session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include <opencv2/core.hpp>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/imaging/phantom.h"
#include "core/imaging/window.h"
#include "core/model/checkpoint.h"
#include "core/model/class_names.h"
#include "core/project/project.h"
#include "test_support.h"

namespace camlabel::session {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

/// A project of phantom slices with a tiny network that trains in milliseconds.
class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    imaging::PhantomSetOptions phantoms;
    phantoms.count = 20;
    phantoms.size = 64;
    phantoms.seed = 21;
    entries_ = imaging::writePhantomSet(dir_.path() / "data", phantoms);
    project::ProjectSettings settings;
    settings.imageRoot = dir_.path() / "data" / "images";
    settings.modelSize = 64;
    settings.trainingMode = "full";
    settings.snapshotEvery = 5;
    settings.seed = 3;
    auto created = project::Project::create(projectDir(), settings);
    created->importImages();
  }

  fs::path projectDir() const { return dir_.path() / "project"; }

  std::unique_ptr<Session> open(bool train = true, bool idleTraining = false) {
    SessionOptions options;
    options.train = train;
    options.annotator = "dr-test";
    options.config = model::ResNetConfig{{1, 1, 1, 1}, 8, 10};
    options.tuneTrainer = [idleTraining](learning::TrainerOptions& t) {
      // Off where a test counts steps and versions exactly.
      t.idleTraining = idleTraining;
      t.idleMaxEpochs = 5;
      t.stepsPerLabel = 1;
      t.batchSize = 4;
      t.microBatch = 4;
    };
    return Session::open(projectDir(), options);
  }

  /// The class the phantom generator gave the image.
  int truth(const project::ImageRecord& image) const {
    for (const auto& e : entries_)
      if (fs::path(e.file).filename() == fs::path(image.relativePath).filename()) return e.label;
    ADD_FAILURE() << "no phantom for " << image.relativePath;
    return 0;
  }

  /// Predicts then labels the next n unlabelled images with their true class, as a clinician
  /// would: the label is recorded with the prediction that was on screen.
  void labelNext(Session& session, int n) {
    for (int i = 0; i < n; ++i) {
      const std::int64_t id = session.position().value_or(session.imageAt(0)->id);
      session.predict(id);
      session.label(id, truth(session.image(id)));
    }
  }

  test::TempDir dir_;
  std::vector<imaging::PhantomSetEntry> entries_;
};

TEST_F(SessionTest, ALabelIsStoredWithItsPredictionAndTheViewMovesOn) {
  auto session = open();
  EXPECT_FALSE(session->resumeReport().version.has_value());
  const std::int64_t first = session->imageAt(0)->id;
  const ShownPrediction shown = session->predict(first);
  EXPECT_TRUE(shown.prediction.untrained);
  EXPECT_TRUE(shown.randomBase);
  EXPECT_EQ(shown.model.describe(), "base");
  ASSERT_EQ(shown.prediction.top.size(), 5U);

  const LabelOutcome outcome = session->label(first, 4);
  ASSERT_TRUE(outcome.next.has_value());
  EXPECT_EQ(*outcome.next, session->imageAt(1)->id);
  EXPECT_EQ(session->position(), outcome.next);
  const auto stored = session->currentLabel(first);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->classIndex, 4);
  EXPECT_EQ(stored->annotator, "dr-test");
  EXPECT_EQ(stored->context.predictedClass, shown.prediction.top[0].index);
  EXPECT_EQ(stored->context.modelVersion, 0);

  ASSERT_TRUE(session->waitForTraining(30s));
  const ShownPrediction after = session->predict(first);
  EXPECT_FALSE(after.prediction.untrained);
  EXPECT_EQ(after.model.describe(), "base + 1 label");
  EXPECT_EQ(after.model.kind, learning::ModelName::Kind::kTrained);
  EXPECT_EQ(after.model.labels, 1);
  EXPECT_THROW(session->label(first, 10), Error);
}

TEST_F(SessionTest, VersionsAreWrittenEveryNLabelsAndRecorded) {
  auto session = open();
  labelNext(*session, 10);
  ASSERT_TRUE(session->waitForTraining(60s));
  const auto versions = session->modelVersions();
  ASSERT_EQ(versions.size(), 2U);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[0].labelsSeen, 5);
  EXPECT_EQ(versions[1].labelsSeen, 10);
  EXPECT_TRUE(fs::exists(projectDir() / "models" / "pattern_v2.pt"));
  EXPECT_EQ(session->snapshot()->describe(), "v2");
  session->close();
  // Nothing was trained after v2: closing adds no version.
  auto reopened = open();
  EXPECT_EQ(reopened->modelVersions().size(), 2U);
  EXPECT_EQ(reopened->resumeReport().version, 2);
  EXPECT_EQ(reopened->resumeReport().labelsRetrained, 0);
}

// What the trainer learned between labels is not lost: closing writes it as a version (with the
// same labels), and the next opening resumes from it.
TEST_F(SessionTest, ClosingKeepsWhatIdleTrainingLearned) {
  {
    auto session = open(/*train=*/true, /*idleTraining=*/true);
    labelNext(*session, 5);  // v1
    ASSERT_TRUE(session->waitForTraining(60s));
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (session->trainerStatus().idleSteps == 0 || session->trainerStatus().refining) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "idle training did not rest";
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(session->snapshot()->describe(), "v1");
  }
  auto session = open(/*train=*/false);
  ASSERT_EQ(session->modelVersions().size(), 2U);
  EXPECT_EQ(session->modelVersions()[1].labelsSeen, 5);
  EXPECT_EQ(session->resumeReport().version, 2);
  EXPECT_EQ(session->resumeReport().labelsRetrained, 0);
}

TEST_F(SessionTest, ClosingKeepsWhatWasTrainedAndResumeRestoresThePosition) {
  std::optional<std::int64_t> position;
  {
    auto session = open();
    labelNext(*session, 7);
    ASSERT_TRUE(session->waitForTraining(60s));
    position = session->position();
  }  // closed by the destructor: v2 holds the 7 labels
  auto session = open();
  const ResumeReport& report = session->resumeReport();
  EXPECT_EQ(report.version, 2);
  EXPECT_EQ(report.labelsInStore, 7);
  EXPECT_EQ(report.labelsRetrained, 0);
  EXPECT_EQ(report.position, position);
  EXPECT_EQ(session->snapshot()->labelsSeen, 7);
}

TEST_F(SessionTest, ATornCheckpointIsSkippedAndLaterLabelsAreTrainedAgain) {
  {
    auto session = open();
    labelNext(*session, 7);
    ASSERT_TRUE(session->waitForTraining(60s));
  }
  const fs::path newest = projectDir() / "models" / "pattern_v2.pt";
  fs::resize_file(newest, fs::file_size(newest) / 2);

  auto session = open();
  const ResumeReport& report = session->resumeReport();
  EXPECT_EQ(report.version, 1);
  ASSERT_EQ(report.skippedCheckpoints.size(), 1U);
  EXPECT_NE(report.skippedCheckpoints[0].find("pattern_v2.pt"), std::string::npos)
      << report.skippedCheckpoints[0];
  EXPECT_EQ(report.labelsRetrained, 2);
  ASSERT_TRUE(session->waitForTraining(60s));
  EXPECT_EQ(session->snapshot()->labelsSeen, 7);
}

TEST_F(SessionTest, UndoRestoresTheEarlierLabelThenNone) {
  auto session = open();
  const std::int64_t id = session->imageAt(2)->id;
  session->label(id, 1);
  session->goTo(id);
  session->label(id, 2);
  EXPECT_EQ(session->undo(), id);
  EXPECT_EQ(session->position(), id);
  ASSERT_TRUE(session->currentLabel(id).has_value());
  EXPECT_EQ(session->currentLabel(id)->classIndex, 1);
  EXPECT_EQ(session->undo(), id);
  EXPECT_FALSE(session->currentLabel(id).has_value());
  EXPECT_EQ(session->undo(), std::nullopt);
  ASSERT_TRUE(session->waitForTraining(60s));
}

TEST_F(SessionTest, ASkipIsRecordedAndTheNextUnlabelledFollows) {
  auto session = open();
  const std::int64_t first = session->imageAt(0)->id;
  const LabelOutcome outcome = session->skip(first);
  ASSERT_TRUE(session->currentLabel(first).has_value());
  EXPECT_TRUE(session->currentLabel(first)->skipped);
  EXPECT_EQ(outcome.next, session->imageAt(1)->id);
  EXPECT_EQ(session->counts().skipped, 1);
}

TEST_F(SessionTest, ASecondSessionOnTheSameProjectIsRefused) {
  auto session = open();
  try {
    open();
    FAIL() << "a second session opened the same project";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("open in another"), std::string::npos) << e.what();
  }
}

TEST_F(SessionTest, RollbackMakesAnEarlierVersionCurrentAndKeepsLaterFiles) {
  {
    auto session = open();
    labelNext(*session, 10);
    ASSERT_TRUE(session->waitForTraining(60s));
  }
  const fs::path v2 = projectDir() / "models" / "pattern_v2.pt";
  const std::string v2Bytes = test::readFile(v2);
  {
    auto session = open(/*train=*/false);
    EXPECT_THROW(session->rollback(9), Error);
    session->rollback(1);
    EXPECT_EQ(session->snapshot()->describe(), "v1");
    EXPECT_EQ(session->resumeReport().labelsRetrained, 5);
    const auto versions = session->modelVersions();
    ASSERT_EQ(versions.size(), 2U);
    EXPECT_TRUE(versions[0].isCurrent);
    EXPECT_FALSE(versions[1].isCurrent);
  }
  // Reopened, the session resumes from the current version, not the newest file, trains the
  // five later labels again and numbers the next version after every existing one.
  auto session = open();
  EXPECT_EQ(session->resumeReport().version, 1);
  EXPECT_EQ(session->resumeReport().labelsRetrained, 5);
  ASSERT_TRUE(session->waitForTraining(60s));
  EXPECT_EQ(session->snapshot()->describe(), "v3");
  EXPECT_EQ(test::readFile(v2), v2Bytes);
  EXPECT_TRUE(session->modelVersions().back().isCurrent);
  EXPECT_EQ(session->modelVersions().back().version, 3);
}

// Older versions keep the weights they show only; the store's checksum follows the rewritten
// file, and a rollback to such a version trains on from it.
TEST_F(SessionTest, OlderVersionsAreKeptSmallerAndStillRollBack) {
  {
    auto session = open();
    labelNext(*session, 15);
    ASSERT_TRUE(session->waitForTraining(60s));
  }
  const fs::path v1 = projectDir() / "models" / "pattern_v1.pt";
  {
    auto project = project::Project::open(projectDir());
    const auto versions = project->modelVersions();
    ASSERT_EQ(versions.size(), 3U);
    EXPECT_EQ(versions[0].sha256, sha256File(v1));
    EXPECT_EQ(model::readCheckpointInfo(v1).optimizer, "");
    for (int v = 2; v <= 3; ++v) {
      const fs::path file =
          projectDir() / "models" / versions[static_cast<std::size_t>(v - 1)].file;
      EXPECT_EQ(versions[static_cast<std::size_t>(v - 1)].sha256, sha256File(file));
      EXPECT_EQ(model::readCheckpointInfo(file).optimizer, "Adam") << "v" << v;
    }
  }
  auto session = open();
  session->rollback(1);
  EXPECT_EQ(session->resumeReport().labelsRetrained, 10);
  ASSERT_TRUE(session->waitForTraining(60s));
  EXPECT_EQ(session->trainerStatus().labelsSeen, 15);
  EXPECT_EQ(session->trainerStatus().lastError, "");
  EXPECT_EQ(session->snapshot()->describe(), "v5");
}

TEST_F(SessionTest, AnExplanationCoversTheImageAndNamesItsModel) {
  auto session = open();
  const std::int64_t id = session->imageAt(0)->id;
  const imaging::CtImage image = session->loadImage(id);
  explain::CamRequest request;
  request.method = explain::CamMethod::GradCam;
  request.topK = 2;
  const std::vector<Explanation> maps = session->explain(id, image, request);
  ASSERT_EQ(maps.size(), 2U);
  const ShownPrediction shown = session->predict(id, image, 2);
  for (std::size_t i = 0; i < maps.size(); ++i) {
    const Explanation& e = maps[i];
    EXPECT_EQ(e.classIndex, shown.prediction.top[i].index);
    EXPECT_NEAR(e.probability, shown.prediction.top[i].probability, 1e-5);
    EXPECT_EQ(e.map.size(), image.values.size());
    double lo = 0, hi = 0;
    cv::minMaxLoc(e.map, &lo, &hi);
    EXPECT_GE(lo, 0.0);
    EXPECT_LE(hi, 1.0 + 1e-6);
    EXPECT_EQ(e.model.describe(), "base");
  }
}

// The compare view: one call gives the "before" model's prediction and heatmap and the "after"
// heatmap; each agrees with the same model run on its own (an independent Classifier with the
// project's seed for "before", the session's own predict/explain for "after").
TEST_F(SessionTest, TheBeforeModelNamesImageNetClassesAndExplainsThem) {
  auto session = open();
  const std::int64_t id = session->imageAt(0)->id;
  const imaging::CtImage image = session->loadImage(id);
  explain::CamRequest request;
  const BeforeAfter views = session->compare(id, image, request, request, nullptr, 5);
  const ShownPrediction& before = views.before;
  ASSERT_EQ(before.prediction.top.size(), 5U);
  EXPECT_TRUE(before.randomBase);  // no weights file in this project
  EXPECT_EQ(before.model.kind, learning::ModelName::Kind::kImageNetRandom);
  EXPECT_EQ(before.model.describe(), "ImageNet architecture, random weights");
  // ImageNet's names, not the scheme's.
  const auto& names = model::imagenetClassNames();
  for (const auto& score : before.prediction.top) {
    ASSERT_GE(score.index, 0);
    ASSERT_LT(score.index, 1000);
    EXPECT_EQ(score.name, names[static_cast<std::size_t>(score.index)]);
  }
  model::ClassifierOptions reference;
  reference.seed = static_cast<std::uint64_t>(session->settings().seed);
  reference.config = model::ResNetConfig{{1, 1, 1, 1}, 8, 1000};
  reference.inputSpec.size = session->settings().modelSize;
  model::Classifier classifier(reference);
  const model::Prediction expected =
      classifier.predict(image, imaging::defaultWindow(image.info), 5);
  for (std::size_t i = 0; i < expected.top.size(); ++i) {
    EXPECT_EQ(before.prediction.top[i].index, expected.top[i].index);
    EXPECT_NEAR(before.prediction.top[i].probability, expected.top[i].probability, 1e-5);
  }
  EXPECT_EQ(views.beforeMap.classIndex, before.prediction.top[0].index);
  EXPECT_NEAR(views.beforeMap.probability, before.prediction.top[0].probability, 1e-5);
  EXPECT_EQ(views.beforeMap.map.size(), image.values.size());

  // A chosen ImageNet class is explained with its own probability.
  explain::CamRequest second;
  second.classes = {before.prediction.top[1].index};
  const BeforeAfter chosen = session->compare(id, image, second, request, nullptr, 5);
  EXPECT_EQ(chosen.beforeMap.classIndex, before.prediction.top[1].index);
  EXPECT_NEAR(chosen.beforeMap.probability, before.prediction.top[1].probability, 1e-5);

  // And the "after" model is the project's: its own classes, as explain() gives them.
  const ShownPrediction now = session->predict(id, image, 1);
  const std::vector<Explanation> live = session->explain(id, image, request);
  ASSERT_EQ(live.size(), 1U);
  EXPECT_LT(views.afterMap.classIndex, 10);
  EXPECT_EQ(views.afterMap.classIndex, now.prediction.top[0].index);
  EXPECT_NEAR(views.afterMap.probability, now.prediction.top[0].probability, 1e-5);
  EXPECT_EQ(views.afterMap.model, now.model);
  EXPECT_LT(cv::norm(views.afterMap.map, live[0].map, cv::NORM_INF), 1e-5);
}

TEST_F(SessionTest, TheUncertainOrderScoresCachedFeaturesWithTheLiveModel) {
  auto session = open();
  labelNext(*session, 6);
  ASSERT_TRUE(session->waitForTraining(60s));
  std::set<int> classes;
  for (const auto& [image, c] : session->labelledImages())
    classes.insert(c);
  ASSERT_GE(classes.size(), 2U) << "the test needs a model that has seen two classes";

  // Nothing cached yet: file order stands in, and says so.
  auto first = session->suggestNext(learning::LabellingOrder::kUncertain);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->choice);
  EXPECT_EQ(first->imageId, session->nextUnlabelled());
  EXPECT_EQ(first->undecided, 14);
  EXPECT_EQ(first->scored, 0);

  EXPECT_EQ(session->refreshFeatures(100), 14);
  EXPECT_EQ(session->refreshFeatures(100), 0) << "every cached feature is from the live model";
  const auto chosen = session->suggestNext(learning::LabellingOrder::kUncertain);
  ASSERT_TRUE(chosen && chosen->choice);
  EXPECT_EQ(chosen->scored, 14);
  EXPECT_EQ(chosen->choice->reason, learning::ChoiceReason::kUncertain);
  EXPECT_FALSE(session->currentLabel(chosen->imageId)) << "a labelled slice was suggested";
  // The head on cached features gives what a full prediction of the slice gives.
  const ShownPrediction shown = session->predict(chosen->imageId, 2);
  EXPECT_EQ(chosen->choice->first, shown.prediction.top[0].index);
  EXPECT_EQ(chosen->choice->second, shown.prediction.top[1].index);
  EXPECT_NEAR(chosen->choice->firstProbability, shown.prediction.top[0].probability, 1e-4);
  EXPECT_NEAR(chosen->choice->secondProbability, shown.prediction.top[1].probability, 1e-4);

  // A new model makes every cached feature stale; a bounded refresh takes the stalest.
  session->label(chosen->imageId, truth(session->image(chosen->imageId)));
  ASSERT_TRUE(session->waitForTraining(60s));
  EXPECT_EQ(session->refreshFeatures(3), 3);
  EXPECT_EQ(session->refreshFeatures(100), 10);
}

SuggestOptions after(std::int64_t imageId) {
  SuggestOptions options;
  options.after = imageId;
  return options;
}

SuggestOptions among(std::vector<std::int64_t> ids, std::vector<std::int64_t> exclude = {}) {
  SuggestOptions options;
  options.among = std::move(ids);
  options.exclude = std::move(exclude);
  return options;
}

TEST_F(SessionTest, TheOtherOrdersAndTheColdStart) {
  auto session = open();
  // Before any label the model knows nothing: the choice is by likeness, not by probabilities.
  ASSERT_EQ(session->refreshFeatures(100), 20);
  const auto cold = session->suggestNext(learning::LabellingOrder::kUncertain);
  ASSERT_TRUE(cold && cold->choice);
  EXPECT_EQ(cold->choice->reason, learning::ChoiceReason::kUnlike);

  // Random: reproducible for the same state, and an undecided slice.
  const auto a = session->suggestNext(learning::LabellingOrder::kRandom);
  const auto b = session->suggestNext(learning::LabellingOrder::kRandom);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->imageId, b->imageId);
  EXPECT_FALSE(a->choice);

  // File order after a slice, wrapping to the start; `among` restricts every order.
  const std::int64_t firstId = session->imageAt(0)->id;
  const std::int64_t lastId = session->imageAt(19)->id;
  EXPECT_EQ(session->suggestNext(learning::LabellingOrder::kFile)->imageId, firstId);
  EXPECT_EQ(session->suggestNext(learning::LabellingOrder::kFile, after(lastId))->imageId, firstId);
  // Spread: images without a DICOM series are one run; its middle first, then the far end.
  EXPECT_EQ(session->suggestNext(learning::LabellingOrder::kSpread)->imageId,
            session->imageAt(9)->id);
  session->label(session->imageAt(9)->id, 0);
  EXPECT_EQ(session->suggestNext(learning::LabellingOrder::kSpread)->imageId, lastId);
  session->undo();

  const std::int64_t third = session->imageAt(2)->id;
  for (const auto order :
       {learning::LabellingOrder::kFile, learning::LabellingOrder::kRandom,
        learning::LabellingOrder::kUncertain, learning::LabellingOrder::kSpread}) {
    const auto only = session->suggestNext(order, among({third}));
    ASSERT_TRUE(only);
    EXPECT_EQ(only->imageId, third);
    EXPECT_EQ(only->undecided, 1);
  }
  EXPECT_FALSE(session->suggestNext(learning::LabellingOrder::kRandom, among({third}, {third})))
      << "the slice on screen is never suggested";
  session->label(third, 0);
  EXPECT_FALSE(session->suggestNext(learning::LabellingOrder::kUncertain, among({third})))
      << "every slice asked about has a decision";
}

}  // namespace
}  // namespace camlabel::session
