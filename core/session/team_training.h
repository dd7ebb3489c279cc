// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a team project's trainer learns from (issue 15): the team's consensus on each slice,
// with this workstation's own labels taking part as they are in its folder (they may be newer
// than the server's copy), or, by setting, this reader's labels only. Plain bookkeeping: the
// session reads the project and drives the trainer; this decides each slice's class and
// remembers what the trainer was handed, so that only changes reach it.

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/team/consensus.h"

namespace camlabel::session {

/// A team project's training set (issue 15): what its trainer has been handed.
struct TeamTraining {
  bool consensus = true;        ///< the team's consensus; false: this reader's labels only
  bool teamRead = false;        ///< the team's labels have been read from the server
  std::int64_t slices = 0;      ///< slices the trainer learns from
  std::int64_t fromOthers = 0;  ///< of them, those this reader has not labelled
  std::int64_t disputed = 0;    ///< slices left out: readers disagree, nobody adjudicated
  std::int64_t overruled = 0;   ///< this reader's labels that an adjudication changed
};

/// A slice's class for the trainer, and why.
struct TeamDecision {
  std::optional<int> classIndex;  ///< empty: the trainer does not learn from the slice
  bool fromOthers = false;        ///< other readers' class; this reader has not labelled it
  bool overruled = false;         ///< an adjudication changed this reader's class
  bool disputed = false;          ///< readers disagree and nobody adjudicated
};

class TeamTrainingSet {
 public:
  TeamTrainingSet(std::string reader, bool consensus);

  bool consensus() const { return consensus_; }
  void setConsensus(bool consensus) { consensus_ = consensus; }
  bool viewRead() const { return viewRead_; }

  /// Takes the team's slices as the server now holds them; returns the SHA-256 of each slice
  /// that appeared, changed or went (its last reading undone) since the previous view.
  std::vector<std::string> setView(const std::vector<team::TeamSlice>& slices);
  /// Every slice of the current view, by SHA-256.
  std::vector<std::string> viewed() const;

  /// The class of the slice with this SHA-256, given this folder's label of it (empty: none or
  /// a skip).
  TeamDecision decide(const std::string& sha256, std::optional<int> own) const;

  /// Records that the trainer now learns `image` from `decision`; returns true when its class
  /// changed (the trainer must be told).
  bool hand(std::int64_t imageId, const TeamDecision& decision);
  /// After the trainer was given exactly these images and classes (this folder's labels).
  void resetHanded(const std::map<std::int64_t, int>& classes);
  /// Images the trainer learns from, and disputed ones.
  std::vector<std::int64_t> handedImages() const;

  /// Counts for the status bar; `consensus` and `teamRead` filled in.
  TeamTraining summary() const;

 private:
  std::string reader_;
  std::atomic<bool> consensus_;
  bool viewRead_ = false;
  std::map<std::string, team::TeamSlice> view_;
  std::map<std::int64_t, TeamDecision> handed_;  ///< classIndex set, or disputed
};

}  // namespace camlabel::session
