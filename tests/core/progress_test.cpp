// SPDX-License-Identifier: Apache-2.0
// Progress across layers: a sub-task's share of its parent's progress, and cancellation.
#include "core/common/progress.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace camlabel {
namespace {

class Recorder : public ProgressDelegate {
 public:
  bool update(double fraction, std::string_view message) override {
    fractions.push_back(fraction);
    messages.emplace_back(message);
    return fractions.size() < cancelAfter;
  }
  std::vector<double> fractions;
  std::vector<std::string> messages;
  std::size_t cancelAfter = 1000;
};

TEST(ProgressRange, MapsASubTaskOntoItsShareOfTheParent) {
  Recorder parent;
  ProgressRange second(&parent, 0.5, 0.75);
  EXPECT_TRUE(second.update(0, "loading"));
  EXPECT_TRUE(second.update(0.5, "scoring"));
  EXPECT_TRUE(second.update(1, "scoring"));
  EXPECT_EQ(parent.fractions, (std::vector<double>{0.5, 0.625, 0.75}));
  EXPECT_EQ(parent.messages.front(), "loading");
  // Nested ranges compose: the second half of the first quarter.
  ProgressRange quarter(&parent, 0, 0.25);
  ProgressRange half(&quarter, 0.5, 1);
  EXPECT_TRUE(half.update(0.5, "x"));
  EXPECT_DOUBLE_EQ(parent.fractions.back(), 0.1875);
}

TEST(ProgressRange, PassesTheParentsCancelOnAndWorksWithoutAParent) {
  Recorder parent;
  parent.cancelAfter = 2;
  ProgressRange part(&parent, 0, 0.5);
  EXPECT_TRUE(part.update(0.1, "a"));
  EXPECT_FALSE(part.update(0.2, "b"));
  EXPECT_THROW(reportProgress(&part, 3, 10, "c"), Cancelled);
  ProgressRange alone(nullptr, 0, 1);
  EXPECT_TRUE(alone.update(0.5, "nobody listens"));
}

}  // namespace
}  // namespace camlabel
