// SPDX-License-Identifier: Apache-2.0
#pragma once
// A labelling session replayed from known labels (a CSV is the oracle) in a chosen order: what
// `camlabel-cli label --from CSV --order` and the learning benchmark drive. The order asks the
// session for the next slice, as the window does; the oracle answers with its label.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/learning/active_learning.h"
#include "core/session/session.h"

namespace camlabel::session {

/// A slice of the project and the class the oracle gives it.
struct ReplayItem {
  std::int64_t imageId = 0;
  int classIndex = 0;
};

struct ReplayStep {
  ReplayItem item;
  /// Why the slice came now (uncertain order, once features are cached).
  std::optional<learning::InformativeChoice> choice;
};

/// True when this session's reader has already given the slice the item's class (and not changed
/// or undone it since): replaying it again would only record the same label twice. Another
/// reader's label of the slice does not count: a second reader's agreeing label is recorded.
bool alreadyGiven(Session& session, const ReplayItem& item);

class ReplayOrder {
 public:
  /// items: the oracle, in the file's order (an image given twice: the last row counts).
  /// refreshPerStep: in the uncertain order, how many cached features are recomputed with the
  /// newest model before each step, stalest first (the first step computes them all).
  ReplayOrder(Session& session, const std::vector<ReplayItem>& items,
              learning::LabellingOrder order, int refreshPerStep = 8);

  /// The next slice to label; nothing once every item is done. File order is the items' own
  /// order and passes over the items whose slice already has that label (a relabel is
  /// replayed); the other orders choose among the items' slices without a decision. Every
  /// order passes over slices not offered to this reader (Session::offered).
  std::optional<ReplayStep> next();

  learning::LabellingOrder order() const { return order_; }

 private:
  Session& session_;
  learning::LabellingOrder order_;
  int refreshPerStep_;
  std::vector<ReplayItem> items_;  ///< one per image, in the file's order
  std::vector<std::int64_t> ids_;  ///< their images
  std::size_t cursor_ = 0;         ///< file order: the next item to consider
  bool scoredAll_ = false;
};

}  // namespace camlabel::session
