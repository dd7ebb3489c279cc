// SPDX-License-Identifier: Apache-2.0
#pragma once

// A team project on a PostgreSQL server (issue 15). Each reader keeps a project folder of their
// own (SQLite: images, models, their label log); the server keeps every reader's labels, sent
// from each folder's log exactly once: a label is named on the server by its folder's
// workstation id and its row id there, so sending it again changes nothing.
//
// Only what names a label leaves the workstation: the image's SHA-256 and relative path, the
// class, the reader's name and the time. No DICOM value is sent.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/project/class_scheme.h"

namespace camlabel::project {
class Project;
struct LoggedLabel;
struct ReaderDecision;
namespace sqlite {
class Database;
}
}  // namespace camlabel::project

namespace camlabel::team {

namespace pg {
class Connection;
}

/// One reader's current decision on one slice, as the server holds it: their latest label or
/// skip that none of their undos took back.
struct ServerDecision {
  std::string imageSha256;
  std::string imagePath;
  std::string reader;
  std::optional<int> classIndex;  ///< empty: skipped
};

/// An adjudicator's decision on a slice the readers labelled: it becomes the slice's consensus.
struct Adjudication {
  std::string imageSha256;
  std::string imagePath;
  int classIndex = 0;
  std::string adjudicator;
  std::string time;  ///< ISO 8601 UTC
};

/// Double reading (issue 15): each slice is offered to readers until readingsPerSlice of them
/// have labelled it; 0 (no assignment, the default): every reader may label every slice.
struct Assignment {
  int readingsPerSlice = 0;
  /// With an assignment: a reader learns nothing of the others' labels of a slice (not in the
  /// model they train, not in the adjudication queue) until they have given their own, or the
  /// slice has its readings without them.
  bool blinded = true;
  bool operator==(const Assignment&) const = default;
};

/// A connection to a team project's database. Throws camlabel::Error with a sentence (the server
/// by host and database, never a password) when it cannot connect or a request fails.
class TeamServer {
 public:
  explicit TeamServer(const std::string& address, int connectTimeoutSeconds = 5);
  ~TeamServer();
  TeamServer(const TeamServer&) = delete;
  TeamServer& operator=(const TeamServer&) = delete;

  /// The team project's class scheme; nothing when the database holds no team project yet.
  std::optional<project::ClassScheme> scheme();
  /// Creates the team project's tables with this scheme where there are none (the role needs the
  /// right to create tables: the database's owner), else checks that the project there uses
  /// this scheme. Safe when several workstations do it at once.
  void prepare(const project::ClassScheme& scheme);
  /// The highest label row id of this workstation the server holds (0: none).
  std::int64_t sentThrough(const std::string& workstationId);
  /// Stores labels of this workstation (increasing ids), up to 200 to a statement, each statement
  /// committed on its own. A label the server already holds is left as it is, after checking it
  /// is the same label: a different one under the same name means two folders share a
  /// workstation id (a copied folder), and is refused.
  void send(const std::string& workstationId, const std::vector<project::LoggedLabel>& labels);
  /// Throws Error (a copied project folder) unless every label the server holds of this
  /// workstation with an id from first to last is among `labels`, the same label.
  void checkHeld(const std::string& workstationId, std::int64_t first, std::int64_t last,
                 const std::vector<project::LoggedLabel>& labels);
  /// Every reader's current decision on every slice, by slice then reader.
  std::vector<ServerDecision> readerDecisions();
  /// Label rows on the server, of every workstation.
  std::int64_t labelRows();
  /// One line that changes whenever a label or an adjudication reaches the server (both tables
  /// are append-only): a reader of the team's labels asks again only when it changed.
  std::string changeMark();
  /// Records an adjudication. decisionId (chosen by the caller, unique) names it, so that
  /// recording it again after a lost reply changes nothing. Needs the right to add
  /// adjudications (see the user guide's team chapter).
  void adjudicate(const Adjudication& decision, const std::string& decisionId);
  /// Each slice's latest adjudication, by slice.
  std::vector<Adjudication> adjudications();
  /// The team's double reading: the latest set, else none.
  Assignment assignment();
  /// Sets the team's double reading from now on (kept with who set it and when; the latest
  /// counts). Its table is made the first time, which needs the database owner's login; every
  /// login may read it.
  void setAssignment(const Assignment& assignment, const std::string& setBy);

  bool usable() const;
  /// "database 'ild' on pacs.example:5432 as reader1", for messages.
  const std::string& description() const;

 private:
  std::unique_ptr<pg::Connection> db_;
};

struct SendResult {
  std::int64_t sent = 0;     ///< labels sent by this call
  std::int64_t through = 0;  ///< the newest label of this folder the server now holds
};

/// Sends the labels of a project database (its own connection, so a background sender never
/// holds the project) that the server does not hold yet. Without knownThrough it asks the server
/// which it holds and checks that the newest is this folder's own (a copied folder is refused);
/// a sender that keeps its connection passes the previous call's `through`, and a label costs
/// one round trip.
SendResult sendWaitingLabels(TeamServer& server, project::sqlite::Database& local,
                             const std::string& workstationId,
                             std::optional<std::int64_t> knownThrough = std::nullopt);

/// The server's decisions as readers' decisions for agreement: a slice is an item by its SHA-256
/// (numbered from 1 in the order met), whichever folder and path each reader has it under.
std::vector<project::ReaderDecision> toReaderDecisions(
    const std::vector<ServerDecision>& decisions);

/// Makes `project` a team project of the server at `address`: refuses an address with a
/// password, an unreachable server, and a server whose project uses another class scheme;
/// creates the team project there when the database has none. Sends no label.
void joinTeamServer(project::Project& project, const std::string& address);

}  // namespace camlabel::team
