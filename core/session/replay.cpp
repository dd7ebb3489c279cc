// SPDX-License-Identifier: Apache-2.0
#include "core/session/replay.h"

#include <algorithm>
#include <limits>
#include <map>

#include "core/common/error.h"

namespace camlabel::session {

bool alreadyGiven(Session& session, const ReplayItem& item) {
  const auto own = session.ownDecision(item.imageId);
  return own && own->classIndex == item.classIndex;
}

ReplayOrder::ReplayOrder(Session& session, const std::vector<ReplayItem>& items,
                         learning::LabellingOrder order, int refreshPerStep)
    : session_(session), order_(order), refreshPerStep_(std::max(0, refreshPerStep)) {
  std::map<std::int64_t, std::size_t> position;
  for (const ReplayItem& item : items) {
    if (const auto it = position.find(item.imageId); it != position.end()) {
      items_[it->second] = item;
    } else {
      position.emplace(item.imageId, items_.size());
      items_.push_back(item);
      ids_.push_back(item.imageId);
    }
  }
}

std::optional<ReplayStep> ReplayOrder::next() {
  if (order_ == learning::LabellingOrder::kFile) {
    while (cursor_ < items_.size()) {
      const ReplayItem& item = items_[cursor_++];
      if (!alreadyGiven(session_, item) && session_.offered(item.imageId))
        return ReplayStep{item, std::nullopt};
    }
    return std::nullopt;
  }
  if (order_ == learning::LabellingOrder::kUncertain && !ids_.empty()) {
    session_.refreshFeatures(scoredAll_ ? refreshPerStep_ : std::numeric_limits<int>::max(), ids_);
    scoredAll_ = true;
  }
  if (ids_.empty()) return std::nullopt;
  SuggestOptions options;
  options.among = ids_;
  const std::optional<Suggestion> suggestion = session_.suggestNext(order_, options);
  if (!suggestion) return std::nullopt;
  const auto it = std::find_if(items_.begin(), items_.end(), [&](const ReplayItem& item) {
    return item.imageId == suggestion->imageId;
  });
  if (it == items_.end()) throw Error("the session suggested a slice the replay does not know");
  return ReplayStep{*it, suggestion->choice};
}

}  // namespace camlabel::session
