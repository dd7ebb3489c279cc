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
  team::Assignment assignment;  ///< the team's double reading, as last read
  /// Slices other readers labelled that still need this reader's reading; blinded: left out of
  /// training until then.
  std::int64_t awaitingYou = 0;
  /// Slices with their readings without this reader: not offered to them.
  std::int64_t readWithoutYou = 0;
};

/// A slice's class for the trainer, and why.
struct TeamDecision {
  std::optional<int> classIndex;  ///< empty: the trainer does not learn from the slice
  bool fromOthers = false;        ///< other readers' class; this reader has not labelled it
  bool overruled = false;         ///< an adjudication changed this reader's class
  bool disputed = false;          ///< readers disagree and nobody adjudicated
  bool awaitingYou = false;       ///< others read it; this reader's reading is still due
  bool readWithoutYou = false;    ///< it has its readings without this reader: not offered
};

class TeamTrainingSet {
 public:
  TeamTrainingSet(std::string reader, bool consensus);

  bool consensus() const { return consensus_; }
  void setConsensus(bool consensus) { consensus_ = consensus; }
  bool viewRead() const { return viewRead_; }

  /// Takes the team's slices and assignment as the server now holds them; returns the SHA-256
  /// of each slice that appeared, changed or went (its last reading undone) since the previous
  /// view, and of every slice when the assignment changed.
  std::vector<std::string> setView(const team::TeamView& view);
  /// Every slice of the current view, by SHA-256.
  std::vector<std::string> viewed() const;

  /// The class of the slice with this SHA-256, given this folder's label of it (empty: none or
  /// a skip; `skipped`: a skip, which is this reader's reading too).
  TeamDecision decide(const std::string& sha256, std::optional<int> own,
                      bool skipped = false) const;

  /// Records that the trainer now learns `image` from `decision`; returns true when its class
  /// changed (the trainer must be told).
  bool hand(std::int64_t imageId, const TeamDecision& decision);
  /// After the trainer was given exactly these images and classes (this folder's labels).
  void resetHanded(const std::map<std::int64_t, int>& classes);
  /// Images the trainer learns from, disputed ones, and those of the assignment's counts.
  std::vector<std::int64_t> handedImages() const;
  /// The slice is this reader's to label: false when it has its readings without them.
  bool offered(std::int64_t imageId) const;

  /// Counts for the status bar (kept as slices are handed, not counted on each call).
  TeamTraining summary() const;

 private:
  void count(const TeamDecision& decision, int sign);

  std::string reader_;
  std::atomic<bool> consensus_;
  bool viewRead_ = false;
  std::map<std::string, team::TeamSlice> view_;
  team::Assignment assignment_;
  /// classIndex set, disputed, awaitingYou or readWithoutYou.
  std::map<std::int64_t, TeamDecision> handed_;
  TeamTraining counts_;  ///< the handed decisions' counts
};

}  // namespace camlabel::session
