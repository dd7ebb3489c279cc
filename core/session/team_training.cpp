// SPDX-License-Identifier: Apache-2.0
#include "core/session/team_training.h"

#include <algorithm>
#include <utility>

namespace camlabel::session {

namespace {

bool sameSlice(const team::TeamSlice& a, const team::TeamSlice& b) {
  const auto sameReading = [](const team::Reading& x, const team::Reading& y) {
    return x.reader == y.reader && x.classIndex == y.classIndex;
  };
  if (!std::equal(a.readings.begin(), a.readings.end(), b.readings.begin(), b.readings.end(),
                  sameReading)) {
    return false;
  }
  if (a.adjudication.has_value() != b.adjudication.has_value()) return false;
  return !a.adjudication || a.adjudication->classIndex == b.adjudication->classIndex;
}

}  // namespace

TeamTrainingSet::TeamTrainingSet(std::string reader, bool consensus)
    : reader_(std::move(reader)), consensus_(consensus) {}

std::vector<std::string> TeamTrainingSet::setView(const team::TeamView& view) {
  std::map<std::string, team::TeamSlice> next;
  for (const team::TeamSlice& slice : view.slices)
    next.emplace(slice.imageSha256, slice);
  const bool everySlice = view.assignment != assignment_;
  std::vector<std::string> changed;
  for (const auto& [sha, slice] : next) {
    const auto it = view_.find(sha);
    if (everySlice || it == view_.end() || !sameSlice(it->second, slice)) changed.push_back(sha);
  }
  for (const auto& [sha, slice] : view_)
    if (next.count(sha) == 0) changed.push_back(sha);
  view_ = std::move(next);
  assignment_ = view.assignment;
  viewRead_ = true;
  return changed;
}

std::vector<std::string> TeamTrainingSet::viewed() const {
  std::vector<std::string> out;
  out.reserve(view_.size());
  for (const auto& [sha, slice] : view_)
    out.push_back(sha);
  return out;
}

TeamDecision TeamTrainingSet::decide(const std::string& sha256, std::optional<int> own,
                                     bool skipped) const {
  TeamDecision d;
  const auto it = view_.find(sha256);
  if (it == view_.end()) {
    d.classIndex = own;
    return d;
  }
  const team::TeamSlice& slice = it->second;
  const bool readHere = own.has_value() || skipped;
  d.awaitingYou = team::owesReading(slice, reader_, assignment_, readHere);
  d.readWithoutYou = team::readWithout(slice, reader_, assignment_, readHere);
  if (!consensus_) {
    d.classIndex = own;
    return d;
  }
  // Blinded: nothing of the others' labels reaches this reader's model before their reading.
  if (d.awaitingYou && assignment_.blinded) return d;
  d.classIndex = slice.consensusWith(reader_, own);
  const bool others = std::any_of(slice.readings.begin(), slice.readings.end(),
                                  [&](const team::Reading& r) { return r.reader != reader_; });
  d.disputed = !d.classIndex && others;
  d.fromOthers = d.classIndex && !own;
  d.overruled = d.classIndex && own && *d.classIndex != *own;
  return d;
}

void TeamTrainingSet::count(const TeamDecision& d, int sign) {
  if (d.classIndex) counts_.slices += sign;
  if (d.fromOthers) counts_.fromOthers += sign;
  if (d.overruled) counts_.overruled += sign;
  if (d.disputed) counts_.disputed += sign;
  if (d.awaitingYou) counts_.awaitingYou += sign;
  if (d.readWithoutYou) counts_.readWithoutYou += sign;
}

bool TeamTrainingSet::hand(std::int64_t imageId, const TeamDecision& decision) {
  const auto it = handed_.find(imageId);
  std::optional<int> before;
  if (it != handed_.end()) {
    before = it->second.classIndex;
    count(it->second, -1);
    handed_.erase(it);
  }
  if (decision.classIndex || decision.disputed || decision.awaitingYou || decision.readWithoutYou) {
    handed_[imageId] = decision;
    count(decision, +1);
  }
  return before != decision.classIndex;
}

void TeamTrainingSet::resetHanded(const std::map<std::int64_t, int>& classes) {
  handed_.clear();
  counts_ = {};
  for (const auto& [imageId, classIndex] : classes) {
    TeamDecision d;
    d.classIndex = classIndex;
    handed_[imageId] = d;
    count(d, +1);
  }
}

std::vector<std::int64_t> TeamTrainingSet::handedImages() const {
  std::vector<std::int64_t> out;
  out.reserve(handed_.size());
  for (const auto& [imageId, decision] : handed_)
    out.push_back(imageId);
  return out;
}

bool TeamTrainingSet::offered(std::int64_t imageId) const {
  const auto it = handed_.find(imageId);
  return it == handed_.end() || !it->second.readWithoutYou;
}

TeamTraining TeamTrainingSet::summary() const {
  TeamTraining t = counts_;
  t.consensus = consensus_;
  t.teamRead = viewRead_;
  t.assignment = assignment_;
  return t;
}

}  // namespace camlabel::session
