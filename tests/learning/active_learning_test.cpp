// SPDX-License-Identifier: Apache-2.0
// The choice of the next slice to label (active learning), on hand-made probabilities and
// embeddings whose right answer can be read off.

#include "core/learning/active_learning.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"

namespace camlabel::learning {
namespace {

/// A unit vector in 3-D at `degrees` around the z axis.
std::vector<float> direction(double degrees) {
  const double r = degrees * 3.14159265358979 / 180.0;
  return {static_cast<float>(std::cos(r)), static_cast<float>(std::sin(r)), 0.0f};
}

ScoredImage scored(std::int64_t id, std::vector<float> p, double degrees) {
  return {id, std::move(p), direction(degrees)};
}

TEST(LabellingOrder, NamesRoundTrip) {
  for (const auto order : {LabellingOrder::kFile, LabellingOrder::kRandom,
                           LabellingOrder::kUncertain, LabellingOrder::kSpread}) {
    EXPECT_EQ(parseLabellingOrder(labellingOrderName(order)), order);
  }
  EXPECT_EQ(parseLabellingOrder("entropy"), std::nullopt);
  EXPECT_EQ(parseLabellingOrder(""), std::nullopt);
}

/// Gives slices ids 0.. in order; series named by one letter each, e.g. "AAAAAAAAABBB".
std::vector<SeriesSlice> seriesSlices(const std::string& series) {
  std::vector<SeriesSlice> slices;
  for (std::size_t i = 0; i < series.size(); ++i)
    slices.push_back({static_cast<std::int64_t>(i), std::string(1, series[i]), false, true});
  return slices;
}

/// Decides `count` slices in turn by chooseSpread, returning their ids in the order chosen.
std::vector<std::int64_t> spreadOrder(std::vector<SeriesSlice> slices, int count) {
  std::vector<std::int64_t> chosen;
  for (int i = 0; i < count; ++i) {
    const auto id = chooseSpread(slices);
    if (!id) break;
    chosen.push_back(*id);
    slices[static_cast<std::size_t>(*id)].decided = true;
    slices[static_cast<std::size_t>(*id)].eligible = false;
  }
  return chosen;
}

TEST(ChooseSpread, ASeriesGetsItsMiddleThenItsEndsThenTheQuarterPoints) {
  EXPECT_EQ(spreadOrder(seriesSlices("AAAAAAAAA"), 5), (std::vector<std::int64_t>{4, 0, 8, 2, 6}));
  // Two series: the longer one's middle first, then the other's middle (farther from anything
  // decided than the first one's ends), then the first one's ends.
  EXPECT_EQ(spreadOrder(seriesSlices("AAAAAAAAABBBBB"), 4),
            (std::vector<std::int64_t>{4, 11, 0, 8}));
  // Slices decided before (by a colleague, or skipped) count; ineligible ones are never chosen.
  std::vector<SeriesSlice> slices = seriesSlices("AAAAAAAAA");
  slices[0].decided = true;
  slices[0].eligible = false;
  slices[8].eligible = false;
  EXPECT_EQ(chooseSpread(slices), 7);
  for (SeriesSlice& slice : slices)
    slice.eligible = false;
  EXPECT_EQ(chooseSpread(slices), std::nullopt);
  EXPECT_EQ(chooseSpread({}), std::nullopt);
}

TEST(ChooseInformative, TheLeastCertainSliceIsChosenAndExplained) {
  // Equally unlike the labelled slice (all at 90 degrees from it), so only certainty decides.
  const std::vector<ScoredImage> candidates{
      scored(10, {0.90f, 0.05f, 0.05f}, 90),
      scored(11, {0.20f, 0.41f, 0.39f}, 90),  // margin 0.02: the least certain
      scored(12, {0.50f, 0.30f, 0.20f}, 90),
  };
  const InformativeChoice c = chooseInformative(candidates, {direction(0)}, true);
  EXPECT_EQ(c.imageId, 11);
  EXPECT_EQ(c.reason, ChoiceReason::kUncertain);
  EXPECT_EQ(c.first, 1);
  EXPECT_EQ(c.second, 2);
  EXPECT_NEAR(c.firstProbability, 0.41, 1e-6);
  EXPECT_NEAR(c.secondProbability, 0.39, 1e-6);
  EXPECT_NEAR(c.margin, 0.02, 1e-6);
  EXPECT_NEAR(c.distanceToLabelled, 1.0, 1e-6);
  EXPECT_EQ(describeChoice(c, {"Normal", "UIP/P", "NSIP/P"}),
            "unsure between UIP/P (41%) and NSIP/P (39%)");
}

TEST(ChooseInformative, ANearDuplicateOfALabelledSliceGivesWayToTheNextUncertainOne) {
  const std::vector<ScoredImage> candidates{
      scored(1, {0.50f, 0.49f, 0.01f}, 1),   // the least certain, but nearly the labelled slice
      scored(2, {0.55f, 0.40f, 0.05f}, 80),  // a little more certain, and new
      scored(3, {0.98f, 0.01f, 0.01f}, 90),  // new but certain
  };
  EXPECT_EQ(chooseInformative(candidates, {direction(0)}, true).imageId, 2);
  // Without that labelled slice the least certain one wins again.
  EXPECT_EQ(chooseInformative(candidates, {direction(180)}, true).imageId, 1);
  EXPECT_EQ(chooseInformative(candidates, {}, true).imageId, 1);
}

TEST(ChooseInformative, OnlyTheShortlistOfTheLeastCertainCompetesOnNovelty) {
  const std::vector<ScoredImage> candidates{
      scored(1, {0.52f, 0.48f}, 30),  // uncertain, fairly close to the labelled slice
      scored(2, {0.99f, 0.01f}, 90),  // certain: novelty alone must not win
  };
  ActiveLearningOptions one;
  one.shortlist = 1;
  EXPECT_EQ(chooseInformative(candidates, {direction(0)}, true, one).imageId, 1);
  // With both on the shortlist the score still weighs certainty: (1 - 0.04) x 0.134 = 0.129
  // for the uncertain one against (1 - 0.98) x 1 = 0.02 for the novel, certain one.
  EXPECT_EQ(chooseInformative(candidates, {direction(0)}, true).imageId, 1);
}

TEST(ChooseInformative, ColdStartTakesTheTypicalSliceFirstThenTheLeastLikeTheLabelled) {
  // An untrained model's probabilities say nothing; they must not decide.
  const std::vector<ScoredImage> candidates{
      scored(1, {0.10f, 0.90f}, 0),
      scored(2, {0.50f, 0.50f}, 10),  // nearest the mean of 0, 10 and 20 degrees
      scored(3, {0.40f, 0.60f}, 20),
  };
  const InformativeChoice first = chooseInformative(candidates, {}, false);
  EXPECT_EQ(first.imageId, 2);
  EXPECT_EQ(first.reason, ChoiceReason::kUnlike);
  // A slice at 5 degrees labelled: 20 degrees is farther from it than 0 is.
  EXPECT_EQ(chooseInformative({candidates[0], candidates[2]}, {direction(5)}, false).imageId, 3);
  // The distance is to the nearest labelled slice: 120 degrees is far from both 0 and 10.
  const std::vector<ScoredImage> spread{scored(4, {0.5f, 0.5f}, 5), scored(5, {0.5f, 0.5f}, 120)};
  const InformativeChoice far = chooseInformative(spread, {direction(0), direction(10)}, false);
  EXPECT_EQ(far.imageId, 5);
  EXPECT_NEAR(far.distanceToLabelled, 1 - std::cos(110 * 3.14159265358979 / 180), 1e-5);
}

TEST(ChooseInformative, RefusesInputItCannotCompare) {
  EXPECT_THROW(chooseInformative({}, {}, true), Error);
  EXPECT_THROW(chooseInformative({scored(1, {1.0f}, 0)}, {}, true), Error);
  EXPECT_THROW(
      chooseInformative({scored(1, {0.5f, 0.5f}, 0), scored(2, {0.2f, 0.3f, 0.5f}, 0)}, {}, true),
      Error);
  EXPECT_THROW(chooseInformative({scored(1, {0.5f, 0.5f}, 0)}, {{1.0f, 0.0f}}, true), Error);
}

}  // namespace
}  // namespace camlabel::learning
