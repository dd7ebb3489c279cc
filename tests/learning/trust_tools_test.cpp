// SPDX-License-Identifier: Apache-2.0
// The trust tools' private networks: rebuilt from an open session's checkpoints and weights
// without touching its models, and refusing bad requests with a sentence.

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <opencv2/core.hpp>

#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "core/session/demo.h"
#include "core/session/evaluation.h"
#include "core/session/session.h"
#include "core/session/trust_summary.h"
#include "core/session/trust_tools.h"
#include "test_support.h"

namespace camlabel::session {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

model::ResNetConfig tiny() {
  return *model::namedNetwork("tiny");
}

/// A demo project with two labels trained into v1, open in a session.
class TrustTools : public ::testing::Test {
 protected:
  void SetUp() override {
    DemoOptions demo;
    demo.perClass = 2;
    demo.size = 64;
    demo.project.modelSize = 64;
    demo.project.snapshotEvery = 2;
    createDemoProject(dir_ / "demo", demo);
    SessionOptions options;
    options.config = tiny();
    options.tuneTrainer = [](learning::TrainerOptions& t) {
      t.idleTraining = false;  // counts steps and versions exactly; idle training: trainer_test
      t.stepsPerLabel = 1;
      t.batchSize = 2;
      t.microBatch = 2;
    };
    session_ = Session::open(dir_ / "demo", options);
    first_ = session_->imageAt(0)->id;
    second_ = session_->imageAt(1)->id;
    session_->label(first_, 4);
    session_->label(second_, 7);
    ASSERT_TRUE(session_->waitForTraining(30s));
    for (int i = 0; i < 200 && session_->modelVersions().empty(); ++i)
      std::this_thread::sleep_for(10ms);
    ASSERT_EQ(session_->modelVersions().size(), 1U);
  }

  test::TempDir dir_;
  std::unique_ptr<Session> session_;
  std::int64_t first_ = 0;
  std::int64_t second_ = 0;
};

TEST_F(TrustTools, SourcesAreTheNewestWeightsThenEachVersion) {
  EXPECT_EQ(session_->projectDir(), fs::absolute(dir_ / "demo"));
  const auto labelled = session_->labelledImages();
  ASSERT_EQ(labelled.size(), 2U);
  EXPECT_EQ(labelled[0].first.id, first_);
  EXPECT_EQ(labelled[0].second, 4);
  EXPECT_EQ(labelled[1].second, 7);
  const std::vector<TrustImage> images = labelledTrustImages(*session_);
  ASSERT_EQ(images.size(), 2U);
  EXPECT_TRUE(fs::exists(images[1].file));
  EXPECT_EQ(images[1].label, 7);
  EXPECT_EQ(trustImage(*session_, second_).file, images[1].file);

  const std::vector<ModelSource> sources = modelSources(*session_);
  ASSERT_EQ(sources.size(), 2U);
  EXPECT_NE(sources[0].snapshot, nullptr);
  EXPECT_EQ(sources[0].version, 0);
  EXPECT_EQ(sources[1].version, 1);
  EXPECT_EQ(sources[1].labelsSeen, 2);
  EXPECT_TRUE(fs::exists(sources[1].checkpoint));
  EXPECT_EQ(sources[1].name.describe(), "v1 (2 labels)");

  // Nothing was trained after v1, so the newest weights and v1's file give the same network.
  LoadedVersion now = loadModelSource(sources[0], session_->settings(), tiny(), c10::kCPU);
  LoadedVersion v1 = loadModelSource(sources[1], session_->settings(), tiny(), c10::kCPU);
  EXPECT_EQ(v1.labelsSeen, 2);
  EXPECT_EQ(v1.classNames.size(), 10U);
  // The compare view's "after" side from a recorded version: named as that version, and the
  // heatmap the newest weights give (nothing was trained since).
  {
    const imaging::CtImage image = session_->loadImage(first_);
    const explain::CamRequest request;
    const BeforeAfter views = session_->compare(first_, image, request, request, &v1);
    EXPECT_EQ(views.afterMap.model.describe(), "v1 (2 labels)");
    const std::vector<Explanation> live = session_->explain(first_, image, request);
    ASSERT_EQ(live.size(), 1U);
    EXPECT_EQ(views.afterMap.classIndex, live[0].classIndex);
    EXPECT_NEAR(views.afterMap.probability, live[0].probability, 1e-5);
    EXPECT_LT(cv::norm(views.afterMap.map, live[0].map, cv::NORM_INF), 1e-5);
  }
  torch::NoGradGuard noGrad;
  const at::Tensor x = torch::randn({1, 3, 64, 64});
  EXPECT_TRUE(torch::allclose(now.network->forward(x), v1.network->forward(x)));
  // A network of its own: changing it leaves the session's predictions alone.
  const auto before = session_->predict(first_).prediction.top.front().probability;
  for (auto& p : now.network->module().parameters())
    p.mul_(0);
  EXPECT_EQ(session_->predict(first_).prediction.top.front().probability, before);
}

TEST_F(TrustTools, BadRequestsAreRefusedWithASentence) {
  const std::vector<ModelSource> sources = modelSources(*session_);
  LoadedVersion model = loadModelSource(sources[1], session_->settings(), tiny(), c10::kCPU);
  const TrustImage image = trustImage(*session_, first_);
  EXPECT_THROW(composeReportFigure(model, {}), Error);
  ComparisonRequest grid;
  grid.images = {image};
  grid.modelSize = 64;
  EXPECT_THROW(composeComparisonGrid(model, grid), Error);  // no method
  grid.methods = {explain::CamMethod::GradCam};
  grid.topK = 6;
  EXPECT_THROW(composeComparisonGrid(model, grid), Error);
  EXPECT_THROW(sanityCheck(model, image, {}, model::ResNetLayer::kLayer4, 64), Error);
  EXPECT_THROW(sanityCheck(model, image, {explain::CamMethod::GradCam}, model::ResNetLayer::kLayer4,
                           64, 1.5),
               Error);
  TrustImage missing = image;
  missing.file = dir_ / "gone.png";
  ReportFigureRequest figure;
  figure.images = {missing};
  EXPECT_THROW(composeReportFigure(model, figure), InputError);

  ModelSource torn = sources[1];
  torn.checkpoint = dir_ / "torn.pt";
  std::ofstream(torn.checkpoint) << "not a checkpoint";
  EXPECT_THROW(loadModelSource(torn, session_->settings(), tiny(), c10::kCPU), InputError);
  EXPECT_THROW(loadModelSource({}, session_->settings(), tiny(), c10::kCPU), Error);
  // A network of another shape does not take the weights.
  EXPECT_THROW(
      loadModelSource(sources[0], session_->settings(), model::ResNetConfig::resnet50(), c10::kCPU),
      Error);
}

TEST_F(TrustTools, AReportFigureNamesImagesByContentOnly) {
  ReportFigureRequest request;
  request.images = {trustImage(*session_, first_), trustImage(*session_, second_)};
  request.modelSize = 64;
  request.cellSize = 128;
  LoadedVersion model =
      loadModelSource(modelSources(*session_)[1], session_->settings(), tiny(), c10::kCPU);
  const ReportFigure figure = composeReportFigure(model, request);
  EXPECT_EQ(figure.figure.type(), CV_8UC3);
  EXPECT_GT(figure.figure.rows, 2 * 128);
  EXPECT_GT(figure.figure.cols, 3 * 128);
  std::istringstream lines(figure.csv);
  std::string header, row1, row2, extra;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_FALSE(std::getline(lines, extra));
  EXPECT_EQ(row1.rfind("1," + request.images[0].sha256 + ",", 0), 0U) << row1;
  EXPECT_EQ(row2.rfind("2," + request.images[1].sha256 + ",", 0), 0U) << row2;
  EXPECT_EQ(figure.csv.find("phantom"), std::string::npos);
}

// The trust tables' CSV names come from outside: a colleague's class scheme, a model file
// someone sent. A spreadsheet opening the export must show them as text, not run them.
TEST(TrustCsv, NamesFromOutsideAreWrittenAsTextNotFormulas) {
  const std::string formula = "=HYPERLINK(\"http://example.invalid\",\"x\")";
  LateralityReport laterality;
  laterality.version = 3;
  laterality.labelsSeen = 30;
  laterality.overall.images = 4;
  laterality.overall.oneSided = 3;
  laterality.overall.meanLeftShare = 0.75;
  laterality.overall.biased = true;
  laterality.perClass.push_back({1, formula, laterality.overall});
  const std::vector<csv::Record> rows =
      csv::parse(lateralityCsv(laterality, LateralityOptions{}, "+cmd.pt", "All images"), "test");
  ASSERT_EQ(rows.size(), 3U);
  ASSERT_EQ(rows[2].fields.size(), 13U);
  EXPECT_EQ(rows[2].fields[0].front(), '\'');
  EXPECT_EQ(csv::cellText(rows[2].fields[0]), formula);
  EXPECT_EQ(rows[2].fields[1], "1");
  EXPECT_EQ(rows[2].fields[4], "0.750000");  // 3 of 4 one-sided
  EXPECT_EQ(rows[2].fields[6], "yes");
  EXPECT_EQ(rows[1].fields[7], "'+cmd.pt");
  EXPECT_EQ(rows[1].fields[8], "3");

  LocalisationReport localisation;
  localisation.version = 2;
  LocalisationScore score;
  score.images = 10;
  score.hits = 4;
  score.pointingGame = 0.4;
  localisation.scores.push_back(score);
  const std::vector<csv::Record> scored =
      csv::parse(localisationSummaryCsv({{"-2+3", localisation}}), "test");
  ASSERT_EQ(scored.size(), 2U);
  EXPECT_EQ(scored[1].fields[0], "'-2+3");
  EXPECT_EQ(scored[1].fields[3], "gradcam");
  EXPECT_EQ(scored[1].fields[6], "0.400000");
}

}  // namespace
}  // namespace camlabel::session
