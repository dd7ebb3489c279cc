// SPDX-License-Identifier: Apache-2.0
#pragma once

// A team's slices as their readers left them (issue 15): each reader's label, whether they
// agree, the adjudication where they did not, and the consensus that results. Plain data from
// the server's rows; no database here.

#include <optional>
#include <string>
#include <vector>

#include "core/team/team_server.h"

namespace camlabel::team {

struct Reading {
  std::string reader;
  int classIndex = 0;
};

struct TeamSlice {
  std::string imageSha256;
  std::string imagePath;          ///< as the first reader to label it has it
  std::vector<Reading> readings;  ///< each reader's current label (skips left out), by reader
  std::optional<Adjudication> adjudication;  ///< the latest

  /// The adjudicated class, else the one class every reader gave; empty while readers disagree
  /// and nobody has adjudicated.
  std::optional<int> consensus() const;
  /// Readers gave two classes or more.
  bool readersDisagree() const;
  /// In the adjudication queue: readers disagree and nobody has adjudicated.
  bool awaitsAdjudication() const { return readersDisagree() && !adjudication; }
  /// The consensus with `reader`'s reading replaced by `own` (their label on this workstation,
  /// which may be newer than the server's; empty: none, or a skip).
  std::optional<int> consensusWith(const std::string& reader, std::optional<int> own) const;
};

/// What a team reader's workstation knows of the team: its slices and its double reading.
struct TeamView {
  std::vector<TeamSlice> slices;
  Assignment assignment;
};

/// Labels by readers other than `reader`.
int readingsBesides(const TeamSlice& slice, const std::string& reader);
/// `reader` has not read the slice (`readHere`: a label or skip of theirs on this workstation,
/// which the server may not hold yet) and fewer than the assignment's readings per slice
/// others have: it is theirs to read. Never with no assignment.
bool owesReading(const TeamSlice& slice, const std::string& reader, const Assignment& assignment,
                 bool readHere = false);
/// Others' labels of the slice are hidden from `reader`: they owe it a reading, blinded.
bool blindedFrom(const TeamSlice& slice, const std::string& reader, const Assignment& assignment,
                 bool readHere = false);
/// The slice has its readings without `reader`, who has not read it: not offered to them.
bool readWithout(const TeamSlice& slice, const std::string& reader, const Assignment& assignment,
                 bool readHere = false);

/// The adjudication queue as `viewer` may see it.
struct AdjudicationQueue {
  std::vector<TeamSlice> slices;  ///< readers disagree, nobody adjudicated; by SHA-256
  int adjudicated = 0;            ///< slices with an adjudication
  int agreed = 0;                 ///< slices on which every reader gave one class
  int blinded = 0;                ///< disagreements left out: the viewer still owes them a reading
};
AdjudicationQueue adjudicationQueue(const TeamView& view, const std::string& viewer);

/// Every slice with a reader's label, by SHA-256, from the server's decisions and adjudications
/// (an adjudication of a slice nobody labelled is left out).
std::vector<TeamSlice> teamSlices(const std::vector<ServerDecision>& decisions,
                                  const std::vector<Adjudication>& adjudications);

/// Every slice of the team on the server at `address`: one connection, two queries. Throws
/// camlabel::Error when the server cannot be reached.
std::vector<TeamSlice> readTeamSlices(const std::string& address);
/// The same over an open connection.
std::vector<TeamSlice> readTeamSlices(TeamServer& server);
/// The slices and the assignment over an open connection, or one of its own.
TeamView readTeamView(TeamServer& server);
TeamView readTeamView(const std::string& address);

/// Records adjudicator's class for a slice the team labelled; it becomes the slice's consensus.
/// Named on the server by a hash of the workstation, slice, time and adjudicator. Throws
/// camlabel::Error (the server away, or this login without the right to adjudicate).
Adjudication adjudicateSlice(const std::string& address, const std::string& workstationId,
                             const TeamSlice& slice, int classIndex,
                             const std::string& adjudicator);

}  // namespace camlabel::team
