// SPDX-License-Identifier: Apache-2.0
// Agreement between readers against published worked examples (Cohen 1960 as Wikipedia's
// "Cohen's kappa" article computes it; Fleiss 1971 as Wikipedia's "Fleiss' kappa" article does).
#include "core/learning/agreement.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/common/csv_table.h"
#include "core/common/error.h"
#include "test_support.h"

namespace camlabel::learning {
namespace {

/// Two readers' ratings from a 2 x 2 table: both yes, A yes / B no, A no / B yes, both no.
std::vector<Rating> twoByTwo(int yesYes, int yesNo, int noYes, int noNo) {
  std::vector<Rating> r;
  std::int64_t item = 0;
  auto add = [&](int count, int a, int b) {
    for (int i = 0; i < count; ++i, ++item) {
      r.push_back({item, "A", a});
      r.push_back({item, "B", b});
    }
  };
  add(yesYes, 0, 0);
  add(yesNo, 0, 1);
  add(noYes, 1, 0);
  add(noNo, 1, 1);
  return r;
}

TEST(Agreement, CohensKappaOfPublishedExamples) {
  // 50 proposals: po 0.7, pe 0.5, kappa 0.4.
  AgreementReport r = measureAgreement(twoByTwo(20, 5, 10, 15), 2);
  ASSERT_EQ(r.pairs.size(), 1U);
  EXPECT_EQ(r.pairs[0].slices, 50);
  EXPECT_NEAR(r.pairs[0].observed, 0.7, 1e-12);
  EXPECT_NEAR(*r.pairs[0].kappa.kappa, 0.4, 1e-12);
  EXPECT_EQ(r.pairs[0].confusion, (std::vector<std::vector<int>>{{20, 5}, {10, 15}}));
  // The same observed agreement (0.6), different kappas: 0.1304 and 0.2593.
  EXPECT_NEAR(*measureAgreement(twoByTwo(45, 15, 25, 15), 2).pairs[0].kappa.kappa, 0.1304, 1e-4);
  EXPECT_NEAR(*measureAgreement(twoByTwo(25, 35, 5, 35), 2).pairs[0].kappa.kappa, 0.2593, 1e-4);
}

TEST(Agreement, WithTwoClassesEachClassHasTheOverallKappa) {
  const AgreementReport r = measureAgreement(twoByTwo(20, 5, 10, 15), 2);
  ASSERT_EQ(r.pairs[0].perClass.size(), 2U);
  EXPECT_NEAR(*r.pairs[0].perClass[0], 0.4, 1e-12);
  EXPECT_NEAR(*r.pairs[0].perClass[1], 0.4, 1e-12);
  ASSERT_TRUE(r.all);
  // Fleiss' kappa of two readers is Scott's pi: (po - pe) / (1 - pe) with pe from the pooled
  // marginals (0.55 yes, 0.45 no): (0.7 - 0.505) / 0.495.
  EXPECT_NEAR(*r.all->kappa.kappa, (0.7 - 0.505) / 0.495, 1e-12);
  EXPECT_NEAR(*r.all->perClass[0], *r.all->kappa.kappa, 1e-12);
  EXPECT_NEAR(*r.all->perClass[1], *r.all->kappa.kappa, 1e-12);
}

TEST(Agreement, FleissKappaOfThePublishedExample) {
  // 10 subjects, 14 raters, 5 categories: P-bar 0.378, P-e 0.213, kappa 0.210.
  const int counts[10][5] = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                             {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                             {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
  std::vector<Rating> ratings;
  for (int i = 0; i < 10; ++i) {
    int rater = 0;
    for (int c = 0; c < 5; ++c)
      for (int k = 0; k < counts[i][c]; ++k)
        ratings.push_back({i, "rater " + std::to_string(rater++), c});
  }
  const AgreementReport r = measureAgreement(ratings, 5);
  EXPECT_EQ(r.readers.size(), 14U);
  EXPECT_EQ(r.pairs.size(), 14U * 13U / 2U);
  ASSERT_TRUE(r.all);
  EXPECT_EQ(r.all->readers, 14);
  EXPECT_EQ(r.all->slices, 10);
  EXPECT_NEAR(r.all->observed, 0.378, 5e-4);
  EXPECT_NEAR(*r.all->kappa.kappa, 0.210, 5e-4);
  ASSERT_TRUE(r.all->kappa.low && r.all->kappa.high);
  EXPECT_LT(*r.all->kappa.low, 0.210);
  EXPECT_GT(*r.all->kappa.high, 0.210);
}

TEST(Agreement, ReadersWhoAlwaysAgreeHaveKappaOneAndANarrowInterval) {
  std::vector<Rating> ratings;
  for (int i = 0; i < 30; ++i)
    for (const char* reader : {"dr a", "dr b", "dr c"})
      ratings.push_back({i, reader, i % 3});
  const AgreementReport r = measureAgreement(ratings, 10);
  for (const auto& p : r.pairs) {
    EXPECT_DOUBLE_EQ(*p.kappa.kappa, 1.0);
    EXPECT_DOUBLE_EQ(*p.kappa.low, 1.0);
    EXPECT_DOUBLE_EQ(*p.kappa.high, 1.0);
    EXPECT_DOUBLE_EQ(*p.perClass[0], 1.0);
    EXPECT_FALSE(p.perClass[5]) << "a class nobody used has nothing to agree on";
  }
  EXPECT_DOUBLE_EQ(*r.all->kappa.kappa, 1.0);
}

TEST(Agreement, PairsUseTheSlicesBothReadAndAllUsesTheSlicesAllRead) {
  // dr a reads 0..9, dr b 5..14, dr c 8..11.
  std::vector<Rating> ratings;
  for (int i = 0; i < 10; ++i)
    ratings.push_back({i, "dr a", i % 2});
  for (int i = 5; i < 15; ++i)
    ratings.push_back({i, "dr b", i % 2});
  for (int i = 8; i < 12; ++i)
    ratings.push_back({i, "dr c", (i + 1) % 2});
  const AgreementReport r = measureAgreement(ratings, 2);
  EXPECT_EQ(r.sharedSlices, 7);  // 5..11
  ASSERT_EQ(r.pairs.size(), 3U);
  EXPECT_EQ(r.pairs[0].readerA, "dr a");
  EXPECT_EQ(r.pairs[0].readerB, "dr b");
  EXPECT_EQ(r.pairs[0].slices, 5);
  EXPECT_EQ(r.pairs[1].slices, 2);  // dr a / dr c: 8, 9
  EXPECT_EQ(r.pairs[2].slices, 4);  // dr b / dr c: 8..11
  EXPECT_DOUBLE_EQ(r.pairs[2].observed, 0.0);
  EXPECT_DOUBLE_EQ(*r.pairs[2].kappa.kappa, -1.0);
  ASSERT_TRUE(r.all);
  EXPECT_EQ(r.all->slices, 2);
}

TEST(Agreement, IntervalsAreReproducibleAndContainTheEstimate) {
  std::vector<Rating> ratings = twoByTwo(20, 5, 10, 15);
  const AgreementReport a = measureAgreement(ratings, 2);
  const AgreementReport b = measureAgreement(ratings, 2);
  EXPECT_EQ(*a.pairs[0].kappa.low, *b.pairs[0].kappa.low);
  EXPECT_EQ(*a.pairs[0].kappa.high, *b.pairs[0].kappa.high);
  EXPECT_LT(*a.pairs[0].kappa.low, 0.4);
  EXPECT_GT(*a.pairs[0].kappa.high, 0.4);
  // The large-sample standard error of this kappa is about 0.13, so a 95% interval spans about
  // 0.5; a bootstrap's is of that order.
  const double width = *a.pairs[0].kappa.high - *a.pairs[0].kappa.low;
  EXPECT_GT(width, 0.3);
  EXPECT_LT(width, 0.8);
  AgreementOptions narrower;
  narrower.confidence = 0.5;
  const AgreementReport c = measureAgreement(ratings, 2, narrower);
  EXPECT_LT(*c.pairs[0].kappa.high - *c.pairs[0].kappa.low, width);
}

TEST(Agreement, OneReaderOrOneSharedSliceGivesNoInterval) {
  EXPECT_TRUE(measureAgreement({{1, "dr a", 0}, {2, "dr a", 1}}, 2).pairs.empty());
  EXPECT_FALSE(measureAgreement({{1, "dr a", 0}}, 2).all);
  const AgreementReport r = measureAgreement({{1, "dr a", 0}, {1, "dr b", 1}}, 2);
  ASSERT_EQ(r.pairs.size(), 1U);
  EXPECT_FALSE(r.pairs[0].kappa.low);
  EXPECT_NE(toText(r).find("Cohen's kappa dr a / dr b"), std::string::npos) << toText(r);
}

TEST(Agreement, RefusesRatingsItCannotCount) {
  EXPECT_THROW(measureAgreement({{1, "dr a", 2}}, 2), Error);
  EXPECT_THROW(measureAgreement({{1, "dr a", -1}}, 2), Error);
  EXPECT_THROW(measureAgreement({{1, "dr a", 0}, {1, "dr a", 1}}, 2), Error);
  EXPECT_THROW(measureAgreement({}, 1), Error);
}

TEST(Agreement, CsvAndJsonNameReadersAsTheyAreAndRunNoFormula) {
  std::vector<Rating> ratings = twoByTwo(3, 1, 1, 3);
  for (auto& r : ratings)
    r.reader = r.reader == "A" ? "=HYPERLINK(\"x\")" : "dr, b";
  const AgreementReport report = measureAgreement(ratings, 2);
  test::TempDir dir;
  writeAgreementCsv(report, {"no", "yes"}, dir / "agreement.csv");
  const auto records = csv::readFile(dir / "agreement.csv");
  ASSERT_EQ(records.size(), 1U + 3U + 3U);  // header, pair overall + 2 classes, all + 2 classes
  EXPECT_EQ(records[0].fields[0], "scope");
  // Sorted by name: "=HYPERLINK..." before "dr, b".
  EXPECT_EQ(records[1].fields[1], "'=HYPERLINK(\"x\")");
  EXPECT_EQ(csv::cellText(records[1].fields[1]), "=HYPERLINK(\"x\")");
  EXPECT_EQ(records[1].fields[2], "dr, b");
  EXPECT_EQ(records[1].fields[4], "8");
  EXPECT_NEAR(std::stod(records[1].fields[6]), 0.5, 1e-9);
  EXPECT_EQ(records[2].fields[3], "no");
  EXPECT_EQ(records[4].fields[0], "all");
  const nlohmann::json j = toJson(report, {"no", "yes"});
  EXPECT_EQ(j["pairs"][0]["reader_a"], "=HYPERLINK(\"x\")");
  EXPECT_EQ(j["pairs"][0]["per_class"][1]["name"], "yes");
  EXPECT_NEAR(j["pairs"][0]["kappa"].get<double>(), 0.5, 1e-9);
  EXPECT_THROW(writeAgreementCsv(report, {"no", "yes"}, dir / "missing/folder/a.csv"), Error);
}

}  // namespace
}  // namespace camlabel::learning
