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

std::vector<std::string> TeamTrainingSet::setView(const std::vector<team::TeamSlice>& slices) {
  std::map<std::string, team::TeamSlice> next;
  for (const team::TeamSlice& slice : slices)
    next.emplace(slice.imageSha256, slice);
  std::vector<std::string> changed;
  for (const auto& [sha, slice] : next) {
    const auto it = view_.find(sha);
    if (it == view_.end() || !sameSlice(it->second, slice)) changed.push_back(sha);
  }
  for (const auto& [sha, slice] : view_)
    if (next.count(sha) == 0) changed.push_back(sha);
  view_ = std::move(next);
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

TeamDecision TeamTrainingSet::decide(const std::string& sha256, std::optional<int> own) const {
  TeamDecision d;
  const auto it = view_.find(sha256);
  if (!consensus_ || it == view_.end()) {
    d.classIndex = own;
    return d;
  }
  const team::TeamSlice& slice = it->second;
  d.classIndex = slice.consensusWith(reader_, own);
  const bool others = std::any_of(slice.readings.begin(), slice.readings.end(),
                                  [&](const team::Reading& r) { return r.reader != reader_; });
  d.disputed = !d.classIndex && others;
  d.fromOthers = d.classIndex && !own;
  d.overruled = d.classIndex && own && *d.classIndex != *own;
  return d;
}

bool TeamTrainingSet::hand(std::int64_t imageId, const TeamDecision& decision) {
  const auto it = handed_.find(imageId);
  const std::optional<int> before = it == handed_.end() ? std::nullopt : it->second.classIndex;
  if (decision.classIndex || decision.disputed)
    handed_[imageId] = decision;
  else if (it != handed_.end())
    handed_.erase(it);
  return before != decision.classIndex;
}

void TeamTrainingSet::resetHanded(const std::map<std::int64_t, int>& classes) {
  handed_.clear();
  for (const auto& [imageId, classIndex] : classes)
    handed_[imageId].classIndex = classIndex;
}

std::vector<std::int64_t> TeamTrainingSet::handedImages() const {
  std::vector<std::int64_t> out;
  out.reserve(handed_.size());
  for (const auto& [imageId, decision] : handed_)
    out.push_back(imageId);
  return out;
}

TeamTraining TeamTrainingSet::summary() const {
  TeamTraining t;
  t.consensus = consensus_;
  t.teamRead = viewRead_;
  for (const auto& [imageId, d] : handed_) {
    if (d.classIndex) ++t.slices;
    if (d.fromOthers) ++t.fromOthers;
    if (d.overruled) ++t.overruled;
    if (d.disputed) ++t.disputed;
  }
  return t;
}

}  // namespace camlabel::session
