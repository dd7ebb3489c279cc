// SPDX-License-Identifier: Apache-2.0
#include "core/learning/metrics.h"

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "test_support.h"

namespace camlabel::learning {
namespace {

using nlohmann::json;

constexpr double kTolerance = 1e-12;

json loadReference() {
  std::ifstream in(test::dataDir() / "learning" / "metrics_reference.json");
  if (!in) throw std::runtime_error("tests/data/learning/metrics_reference.json is missing");
  return json::parse(in);
}

/// expected is a number or null (sklearn has no value there).
void expectOptional(const std::optional<double>& actual, const json& expected,
                    const std::string& what) {
  if (expected.is_null()) {
    EXPECT_FALSE(actual.has_value()) << what << " should be undefined, got " << actual.value_or(0);
  } else {
    ASSERT_TRUE(actual.has_value()) << what << " should be " << expected.get<double>();
    EXPECT_NEAR(*actual, expected.get<double>(), kTolerance) << what;
  }
}

class SklearnReference : public ::testing::TestWithParam<int> {};

TEST_P(SklearnReference, MatchesScikitLearn) {
  const json reference = loadReference();
  ASSERT_LT(GetParam(), static_cast<int>(reference["cases"].size()));
  const json& c = reference["cases"][static_cast<std::size_t>(GetParam())];
  SCOPED_TRACE(c["name"].get<std::string>());
  const int k = c["class_count"];
  const ClassificationMetrics m = evaluateClassification(
      c["truth"].get<std::vector<int>>(), c["predicted"].get<std::vector<int>>(),
      c["probabilities"].get<std::vector<std::vector<double>>>(), k);
  const json& e = c["expected"];
  EXPECT_EQ(m.classCount, k);
  EXPECT_EQ(m.samples, static_cast<int>(c["truth"].size()));
  EXPECT_NEAR(m.accuracy, e["accuracy"].get<double>(), kTolerance);
  expectOptional(m.kappa, e["kappa"], "kappa");
  expectOptional(m.macroAuc, e["macro_auc"], "macro AUC");
  EXPECT_EQ(m.confusion, e["confusion"].get<std::vector<std::vector<int>>>());
  ASSERT_EQ(m.perClass.size(), static_cast<std::size_t>(k));
  std::vector<int> absent;
  for (int i = 0; i < k; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const std::string cls = " of class " + std::to_string(i);
    expectOptional(m.perClass[u].recall, e["recall"][u], "recall" + cls);
    expectOptional(m.perClass[u].precision, e["precision"][u], "precision" + cls);
    expectOptional(m.perClass[u].auc, e["auc"][u], "AUC" + cls);
    if (e["recall"][u].is_null()) absent.push_back(i);
  }
  EXPECT_EQ(m.absentClasses, absent);
}

INSTANTIATE_TEST_SUITE_P(Cases, SklearnReference, ::testing::Range(0, 8));

TEST(ClassificationMetrics, ReferenceHoldsTheCasesTheTestsRelyOn) {
  const json reference = loadReference();
  ASSERT_EQ(reference["cases"].size(), 8u);
  std::vector<std::string> names;
  for (const json& c : reference["cases"])
    names.push_back(c["name"]);
  EXPECT_EQ(names[1], "tied_scores");
  EXPECT_EQ(names[2], "class_absent_from_truth");
  EXPECT_EQ(names[3], "perfect");
  EXPECT_EQ(names[4], "chance_10_classes");
}

TEST(ClassificationMetrics, AbsentClassIsLeftOutOfTheMacroAuc) {
  const json c = loadReference()["cases"][2];
  ASSERT_EQ(c["name"], "class_absent_from_truth");
  const ClassificationMetrics m = evaluateClassification(
      c["truth"].get<std::vector<int>>(), c["predicted"].get<std::vector<int>>(),
      c["probabilities"].get<std::vector<std::vector<double>>>(), 5);
  EXPECT_EQ(m.absentClasses, std::vector<int>({3}));
  EXPECT_EQ(m.aucClasses, std::vector<int>({0, 1, 2, 4}));
  EXPECT_EQ(m.perClass[3].support, 0);
  EXPECT_GT(m.perClass[3].predicted, 0);
  ASSERT_TRUE(m.macroAuc && m.perClass[0].auc && m.perClass[4].auc);
  const double mean =
      (*m.perClass[0].auc + *m.perClass[1].auc + *m.perClass[2].auc + *m.perClass[4].auc) / 4;
  EXPECT_NEAR(*m.macroAuc, mean, kTolerance);
}

// Worked by hand: scores of class 1 are 0.1, 0.4, 0.4, 0.8 for truths 0, 1, 0, 1. Of the four
// (positive, negative) pairs three are ordered and one is tied: AUC = 3.5 / 4.
TEST(ClassificationMetrics, HandCheckedTiesKappaRecallPrecision) {
  const std::vector<int> truth{0, 1, 0, 1};
  const std::vector<int> predicted{0, 1, 1, 1};
  const std::vector<std::vector<double>> probs{{0.9, 0.1}, {0.6, 0.4}, {0.6, 0.4}, {0.2, 0.8}};
  const ClassificationMetrics m = evaluateClassification(truth, predicted, probs, 2);
  EXPECT_EQ(m.correct, 3);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
  ASSERT_TRUE(m.perClass[0].auc && m.perClass[1].auc && m.macroAuc);
  EXPECT_DOUBLE_EQ(*m.perClass[0].auc, 0.875);
  EXPECT_DOUBLE_EQ(*m.perClass[1].auc, 0.875);
  EXPECT_DOUBLE_EQ(*m.macroAuc, 0.875);
  // po = 3/4, pe = (2*1 + 2*3) / 16 = 1/2: kappa = (3/4 - 1/2) / (1 - 1/2).
  ASSERT_TRUE(m.kappa);
  EXPECT_DOUBLE_EQ(*m.kappa, 0.5);
  EXPECT_DOUBLE_EQ(m.perClass[0].recall.value(), 0.5);
  EXPECT_DOUBLE_EQ(m.perClass[1].recall.value(), 1.0);
  EXPECT_DOUBLE_EQ(m.perClass[0].precision.value(), 1.0);
  EXPECT_DOUBLE_EQ(m.perClass[1].precision.value(), 2.0 / 3.0);
  EXPECT_EQ(m.confusion, (std::vector<std::vector<int>>{{1, 1}, {0, 2}}));
  EXPECT_TRUE(m.absentClasses.empty());
}

TEST(ClassificationMetrics, OnlyTheOrderOfScoresMatters) {
  const std::vector<int> truth{0, 1, 2, 1, 0, 2, 2};
  const std::vector<int> predicted{0, 1, 1, 1, 2, 2, 0};
  std::vector<std::vector<double>> probs{{.7, .2, .1}, {.1, .8, .1}, {.2, .5, .3}, {.3, .4, .3},
                                         {.3, .3, .4}, {.1, .1, .8}, {.5, .2, .3}};
  const ClassificationMetrics a = evaluateClassification(truth, predicted, probs, 3);
  for (auto& row : probs)
    for (double& v : row)
      v = std::exp(5 * v) - 3;  // monotone, not probabilities any more
  const ClassificationMetrics b = evaluateClassification(truth, predicted, probs, 3);
  ASSERT_TRUE(a.macroAuc && b.macroAuc);
  EXPECT_NEAR(*a.macroAuc, *b.macroAuc, kTolerance);
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(a.perClass[k].auc.value(), b.perClass[k].auc.value(), kTolerance);
}

TEST(ClassificationMetrics, KappaIsUndefinedWhenChanceAgreementIsCertain) {
  const ClassificationMetrics m =
      evaluateClassification({0, 0, 0}, {0, 0, 0}, {{.9, .1}, {.8, .2}, {.6, .4}}, 2);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  EXPECT_FALSE(m.kappa.has_value());
  EXPECT_FALSE(m.macroAuc.has_value());  // class 0 has no negatives, class 1 no positives
  EXPECT_TRUE(m.aucClasses.empty());
  EXPECT_EQ(m.absentClasses, std::vector<int>({1}));
  EXPECT_FALSE(m.perClass[1].recall.has_value());
  EXPECT_FALSE(m.perClass[1].precision.has_value());
}

TEST(ClassificationMetrics, WithoutProbabilitiesThereIsNoAuc) {
  const ClassificationMetrics m = evaluateClassification({0, 1, 1}, {0, 0, 1}, {}, 2);
  EXPECT_FALSE(m.macroAuc.has_value());
  EXPECT_TRUE(m.aucClasses.empty());
  EXPECT_FALSE(m.perClass[0].auc.has_value());
  EXPECT_NEAR(m.accuracy, 2.0 / 3.0, kTolerance);
  EXPECT_TRUE(m.kappa.has_value());
}

TEST(ClassificationMetrics, RejectsBadInput) {
  const std::vector<std::vector<double>> two{{.5, .5}, {.5, .5}};
  EXPECT_THROW(evaluateClassification({}, {}, {}, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 1}, {0}, {}, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 1}, {0, 1}, {{.5, .5}}, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 2}, {0, 1}, two, 2), Error);
  EXPECT_THROW(evaluateClassification({0, -1}, {0, 1}, two, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 1}, {0, 2}, two, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 1}, {0, 1}, {{.5, .5}, {.5, .3, .2}}, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 1}, {0, 1}, {{.5, .5}, {NAN, .5}}, 2), Error);
  EXPECT_THROW(evaluateClassification({0, 1}, {0, 1}, {{.5, INFINITY}, {.5, .5}}, 2), Error);
  EXPECT_THROW(evaluateClassification({0}, {0}, {}, 0), Error);
  try {
    evaluateClassification({0, 7}, {0, 1}, {}, 3);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("sample 1"), std::string::npos) << what;
    EXPECT_NE(what.find('7'), std::string::npos) << what;
  }
}

TEST(ClassificationMetrics, JsonHoldsEveryFigureAndNullsForUndefinedOnes) {
  const ClassificationMetrics m = evaluateClassification(
      {0, 1, 0, 1}, {0, 1, 1, 1}, {{.9, .1, 0}, {.6, .4, 0}, {.6, .4, 0}, {.2, .8, 0}}, 3);
  const json j = toJson(m, {"Normal", "UIP/P", "NSIP/P"});
  EXPECT_EQ(j["samples"], 4);
  EXPECT_EQ(j["classes"], 3);
  EXPECT_EQ(j["correct"], 3);
  EXPECT_DOUBLE_EQ(j["accuracy"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(j["macro_auc"].get<double>(), 0.875);
  EXPECT_EQ(j["auc_classes"], json({0, 1}));
  EXPECT_EQ(j["absent_classes"], json({2}));
  EXPECT_DOUBLE_EQ(j["kappa"].get<double>(), 0.5);
  ASSERT_EQ(j["per_class"].size(), 3u);
  EXPECT_EQ(j["per_class"][1]["name"], "UIP/P");
  EXPECT_EQ(j["per_class"][1]["support"], 2);
  EXPECT_EQ(j["per_class"][1]["predicted"], 3);
  EXPECT_DOUBLE_EQ(j["per_class"][1]["precision"].get<double>(), 2.0 / 3.0);
  EXPECT_TRUE(j["per_class"][2]["recall"].is_null());
  EXPECT_TRUE(j["per_class"][2]["precision"].is_null());
  EXPECT_TRUE(j["per_class"][2]["auc"].is_null());
  EXPECT_EQ(j["confusion"], json({{1, 1, 0}, {0, 2, 0}, {0, 0, 0}}));
  EXPECT_FALSE(toJson(m)["per_class"][0].contains("name"));
  EXPECT_THROW(toJson(m, {"Normal", "UIP/P"}), Error);
}

TEST(ClassificationMetrics, TextTableShowsNamesFiguresAndConfusion) {
  const ClassificationMetrics m = evaluateClassification(
      {0, 1, 0, 1}, {0, 1, 1, 1}, {{.9, .1, 0}, {.6, .4, 0}, {.6, .4, 0}, {.2, .8, 0}}, 3);
  const std::string text = toText(m, {"Normal", "UIP/P", "NSIP/P"});
  EXPECT_NE(text.find("accuracy       0.7500  (3 of 4)"), std::string::npos) << text;
  EXPECT_NE(text.find("macro AUC      0.8750  (over 2 of 3 classes)"), std::string::npos) << text;
  EXPECT_NE(text.find("Cohen's kappa  0.5000"), std::string::npos) << text;
  EXPECT_NE(text.find("not in the truth (no recall, no AUC): 2 NSIP/P"), std::string::npos) << text;
  // Per-class row: support, recall, precision, AUC.
  EXPECT_NE(text.find("1 UIP/P          2    1.000      0.667   0.875"), std::string::npos) << text;
  // Confusion row of class 0: one right, one called class 1.
  EXPECT_NE(text.find("0 Normal     1   1   0"), std::string::npos) << text;
  EXPECT_THROW(toText(m, {"a"}), Error);
}

// The sequence below is worked by hand with a window of 3 (x: wrong, v: right, -: no prediction):
//   label  1  2  3  4  5  6  7
//   truth  0  0  1  1  2  2  0
//   pred   -  0  0  1  -  2  1
//          -  v  x  v  -  v  x
TEST(Prequential, HandCheckedWindowCurveAndClasses) {
  const std::vector<PrequentialRecord> records{{0, std::nullopt}, {0, 0}, {1, 0}, {1, 1},
                                               {2, std::nullopt}, {2, 2}, {0, 1}};
  const PrequentialMetrics m = prequentialAccuracy(records, 3, 3);
  EXPECT_EQ(m.window, 3);
  EXPECT_EQ(m.labels, 7);
  EXPECT_EQ(m.withoutPrediction, 2);
  EXPECT_EQ(m.evaluated, 5);
  EXPECT_EQ(m.correct, 3);
  EXPECT_DOUBLE_EQ(m.cumulativeAccuracy.value(), 0.6);
  EXPECT_EQ(m.windowCount, 3);
  EXPECT_DOUBLE_EQ(m.windowAccuracy.value(), 2.0 / 3.0);

  const std::vector<PrequentialPoint> expected{{2, 1, 1.0},       {3, 2, 0.5},
                                               {4, 3, 2.0 / 3.0}, {5, 3, 2.0 / 3.0},
                                               {6, 3, 2.0 / 3.0}, {7, 3, 2.0 / 3.0}};
  ASSERT_EQ(m.curve.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(m.curve[i].label, expected[i].label) << i;
    EXPECT_EQ(m.curve[i].windowCount, expected[i].windowCount) << i;
    EXPECT_DOUBLE_EQ(m.curve[i].accuracy, expected[i].accuracy) << i;
  }

  ASSERT_EQ(m.perClass.size(), 3u);
  EXPECT_EQ(m.perClass[0].evaluated, 2);
  EXPECT_EQ(m.perClass[0].correct, 1);
  EXPECT_DOUBLE_EQ(m.perClass[0].accuracy.value(), 0.5);
  EXPECT_EQ(m.perClass[0].windowEvaluated, 1);  // label 7 only
  EXPECT_DOUBLE_EQ(m.perClass[0].windowAccuracy.value(), 0.0);
  EXPECT_EQ(m.perClass[1].evaluated, 2);
  EXPECT_DOUBLE_EQ(m.perClass[1].accuracy.value(), 0.5);
  EXPECT_EQ(m.perClass[1].windowEvaluated, 1);  // label 4 only
  EXPECT_DOUBLE_EQ(m.perClass[1].windowAccuracy.value(), 1.0);
  EXPECT_EQ(m.perClass[2].evaluated, 1);
  EXPECT_DOUBLE_EQ(m.perClass[2].accuracy.value(), 1.0);
}

// A second, deliberately naive implementation: for each label, list every prediction so far and
// score the last W of them.
TEST(Prequential, CurveMatchesBruteForceOnARandomSession) {
  std::mt19937 rng(7);
  const int classes = 10, window = 50;
  std::vector<PrequentialRecord> records;
  for (int i = 0; i < 400; ++i) {
    const int truth = static_cast<int>(rng() % classes);
    PrequentialRecord r{truth, std::nullopt};
    if (rng() % 10 != 0) {
      // A learner that improves: right with probability rising from 10% to 90%.
      const bool right = static_cast<double>(rng() % 1000) < 100 + 2 * i;
      r.predicted = right ? truth : static_cast<int>((truth + 1 + rng() % 9) % classes);
    }
    records.push_back(r);
  }
  const PrequentialMetrics m = prequentialAccuracy(records, classes, window);

  std::vector<bool> outcomes;
  std::size_t point = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].predicted) outcomes.push_back(*records[i].predicted == records[i].truth);
    if (outcomes.empty()) continue;
    const std::size_t from = outcomes.size() > window ? outcomes.size() - window : 0;
    int right = 0;
    for (std::size_t j = from; j < outcomes.size(); ++j)
      right += outcomes[j] ? 1 : 0;
    const auto count = static_cast<int>(outcomes.size() - from);
    ASSERT_LT(point, m.curve.size());
    EXPECT_EQ(m.curve[point].label, static_cast<int>(i) + 1);
    EXPECT_EQ(m.curve[point].windowCount, count);
    EXPECT_NEAR(m.curve[point].accuracy, static_cast<double>(right) / count, kTolerance);
    ++point;
  }
  EXPECT_EQ(point, m.curve.size());
  EXPECT_EQ(m.evaluated, static_cast<int>(outcomes.size()));
  EXPECT_EQ(m.withoutPrediction, 400 - m.evaluated);
  EXPECT_DOUBLE_EQ(m.windowAccuracy.value(), m.curve.back().accuracy);
  // The learner improves, so the last window beats the whole session.
  EXPECT_GT(*m.windowAccuracy, *m.cumulativeAccuracy + 0.2);

  int windowSum = 0, evaluatedSum = 0;
  for (const PrequentialClass& c : m.perClass) {
    windowSum += c.windowEvaluated;
    evaluatedSum += c.evaluated;
  }
  EXPECT_EQ(windowSum, window);
  EXPECT_EQ(evaluatedSum, m.evaluated);
}

TEST(Prequential, EmptyAndPredictionlessSessionsHaveNoAccuracy) {
  const PrequentialMetrics empty = prequentialAccuracy({}, 10);
  EXPECT_EQ(empty.window, kDefaultPrequentialWindow);
  EXPECT_EQ(empty.labels, 0);
  EXPECT_FALSE(empty.cumulativeAccuracy.has_value());
  EXPECT_FALSE(empty.windowAccuracy.has_value());
  EXPECT_TRUE(empty.curve.empty());
  EXPECT_EQ(empty.perClass.size(), 10u);

  const PrequentialMetrics none = prequentialAccuracy({{1, std::nullopt}, {2, std::nullopt}}, 3);
  EXPECT_EQ(none.labels, 2);
  EXPECT_EQ(none.withoutPrediction, 2);
  EXPECT_EQ(none.evaluated, 0);
  EXPECT_FALSE(none.windowAccuracy.has_value());
  EXPECT_TRUE(none.curve.empty());
}

TEST(Prequential, RejectsBadInput) {
  EXPECT_THROW(prequentialAccuracy({{0, 0}}, 2, 0), Error);
  EXPECT_THROW(prequentialAccuracy({{0, 0}}, 0), Error);
  EXPECT_THROW(prequentialAccuracy({{0, 0}, {2, 0}}, 2), Error);
  EXPECT_THROW(prequentialAccuracy({{0, 0}, {1, -1}}, 2), Error);
  EXPECT_THROW(prequentialAccuracy({{0, 0}, {1, std::nullopt}, {-1, std::nullopt}}, 2), Error);
}

TEST(Prequential, JsonAndText) {
  const std::vector<PrequentialRecord> records{{0, std::nullopt}, {0, 0}, {1, 0}, {1, 1}};
  const PrequentialMetrics m = prequentialAccuracy(records, 3, 2);
  const json j = toJson(m, {"Normal", "UIP/P", "NSIP/P"});
  EXPECT_EQ(j["window"], 2);
  EXPECT_EQ(j["labels"], 4);
  EXPECT_EQ(j["without_prediction"], 1);
  EXPECT_EQ(j["evaluated"], 3);
  EXPECT_EQ(j["correct"], 2);
  EXPECT_DOUBLE_EQ(j["cumulative_accuracy"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(j["window_count"], 2);
  EXPECT_DOUBLE_EQ(j["window_accuracy"].get<double>(), 0.5);
  EXPECT_EQ(j["per_class"][0]["name"], "Normal");
  EXPECT_EQ(j["per_class"][1]["evaluated"], 2);
  EXPECT_TRUE(j["per_class"][2]["accuracy"].is_null());
  EXPECT_TRUE(j["per_class"][2]["window_accuracy"].is_null());
  EXPECT_EQ(j["curve"], json({{2, 1, 1.0}, {3, 2, 0.5}, {4, 2, 0.5}}));
  EXPECT_THROW(toJson(m, {"Normal"}), Error);

  const std::string text = toText(m, {"Normal", "UIP/P", "NSIP/P"});
  EXPECT_NE(text.find("labels                 4 (3 with a prediction, 1 without)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("accuracy, last 2       0.5000  (of 2 predictions)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("accuracy, cumulative   0.6667"), std::string::npos) << text;
  EXPECT_NE(text.find("1 UIP/P            2     0.500          2     0.500"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace camlabel::learning

namespace camlabel::learning {
namespace {

// Expected calibration error by hand (Guo et al. 2017, 15 bins): the two 0.9 predictions share
// bin 13 (accuracy 0.5, confidence 0.9: gap 0.4), the 0.6 and 0.55 ones bin 8 (accuracy 0.5,
// confidence 0.575: gap 0.075); each bin weighs half: 0.2 + 0.0375.
TEST(ClassificationMetrics, ExpectedCalibrationErrorByHand) {
  const ClassificationMetrics m = evaluateClassification(
      {0, 1, 1, 0}, {0, 0, 1, 1}, {{0.9, 0.1}, {0.9, 0.1}, {0.4, 0.6}, {0.45, 0.55}}, 2);
  ASSERT_TRUE(m.ece.has_value());
  EXPECT_NEAR(*m.ece, 0.2375, 1e-12);
  EXPECT_NEAR(*m.meanConfidence, 0.7375, 1e-12);
  // A model right as often as it says it is, is calibrated.
  const ClassificationMetrics calibrated =
      evaluateClassification({0, 1}, {0, 0}, {{0.5, 0.5}, {0.5, 0.5}}, 2);
  EXPECT_NEAR(*calibrated.ece, 0.0, 1e-12);
  EXPECT_FALSE(evaluateClassification({0, 1}, {0, 1}, {}, 2).ece.has_value());
}

}  // namespace
}  // namespace camlabel::learning
