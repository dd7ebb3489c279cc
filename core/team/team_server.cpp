// SPDX-License-Identifier: Apache-2.0
#include "core/team/team_server.h"

#include <nlohmann/json.hpp>

#include <map>

#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/project/readers.h"
#include "core/team/postgres.h"

namespace camlabel::team {
namespace {

constexpr int kServerSchemaVersion = 1;
/// Serialises the first creation of the tables when several workstations join at once.
constexpr const char* kCreateLock = "SELECT pg_advisory_xact_lock(7215019001)";
/// Labels per INSERT: 12 parameters each, far below PostgreSQL's 65,535.
constexpr std::size_t kRowsPerInsert = 200;
constexpr int kColumns = 12;

// One statement per entry: libpq runs one statement per parameterised call.
const char* const kSchema[] = {
    R"sql(CREATE TABLE camlabel_project(
  id integer PRIMARY KEY CHECK (id = 1),
  schema_version integer NOT NULL,
  class_scheme text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()))sql",
    R"sql(CREATE TABLE camlabel_labels(
  id bigserial PRIMARY KEY,
  workstation_id text NOT NULL,
  workstation_label_id bigint NOT NULL,
  image_sha256 text NOT NULL,
  image_path text NOT NULL,
  action text NOT NULL CHECK (action IN ('label', 'skip', 'undo')),
  class_index integer,
  reader text NOT NULL,
  labelled_at text NOT NULL,
  reverts bigint,
  model_version integer,
  predicted_class integer,
  probability double precision,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workstation_id, workstation_label_id),
  CHECK ((action = 'label') = (class_index IS NOT NULL)),
  CHECK ((action = 'undo') = (reverts IS NOT NULL))))sql",
    "CREATE INDEX camlabel_labels_by_slice ON camlabel_labels(image_sha256, reader)",
    R"sql(CREATE TABLE camlabel_adjudications(
  id bigserial PRIMARY KEY,
  decision_id text NOT NULL UNIQUE,
  image_sha256 text NOT NULL,
  image_path text NOT NULL,
  class_index integer NOT NULL,
  adjudicator text NOT NULL,
  decided_at text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()))sql",
    "CREATE INDEX camlabel_adjudications_by_slice ON camlabel_adjudications(image_sha256)",
    "CREATE INDEX camlabel_labels_undos ON camlabel_labels(workstation_id, reverts) "
    "WHERE action = 'undo'",
    // The record is append-only on the server too, whoever connects.
    "CREATE FUNCTION camlabel_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$BEGIN RAISE EXCEPTION 'camlabel labels are append-only'; END$$",
    "CREATE TRIGGER camlabel_labels_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "
    "camlabel_labels FOR EACH STATEMENT EXECUTE FUNCTION camlabel_append_only()",
    "CREATE TRIGGER camlabel_adjudications_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "
    "camlabel_adjudications FOR EACH STATEMENT EXECUTE FUNCTION camlabel_append_only()",
};

// The double reading (added after the first release: made by setAssignment where missing).
// Append-only; the latest row counts. Every login may read it: it names no patient or reader
// beyond who set it.
const char* const kAssignmentSchema[] = {
    R"sql(CREATE TABLE camlabel_assignment(
  id bigserial PRIMARY KEY,
  readings_per_slice integer NOT NULL CHECK (readings_per_slice BETWEEN 0 AND 100),
  blinded boolean NOT NULL,
  set_by text NOT NULL,
  set_at text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()))sql",
    "CREATE TRIGGER camlabel_assignment_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "
    "camlabel_assignment FOR EACH STATEMENT EXECUTE FUNCTION camlabel_append_only()",
    "GRANT SELECT ON camlabel_assignment TO PUBLIC",
};

/// The double reading's table is there (a team made before it has none until it is set).
bool hasAssignmentTable(pg::Connection& db) {
  return db.exec("SELECT to_regclass('camlabel_assignment') IS NOT NULL").text(0, 0) == "t";
}

pg::Param text(std::string value) {
  return pg::Param(std::move(value));
}
template <typename T>
pg::Param number(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

bool sameScheme(const project::ClassScheme& a, const project::ClassScheme& b) {
  return project::schemeToJson(a) == project::schemeToJson(b);
}

std::string schemeSummary(const project::ClassScheme& s) {
  return "'" + s.name + "' (" + std::to_string(s.classes.size()) + " classes)";
}

}  // namespace

TeamServer::TeamServer(const std::string& address, int connectTimeoutSeconds)
    : db_(std::make_unique<pg::Connection>(address, connectTimeoutSeconds)) {}

TeamServer::~TeamServer() = default;

bool TeamServer::usable() const {
  return db_->usable();
}
const std::string& TeamServer::description() const {
  return db_->description();
}

std::optional<project::ClassScheme> TeamServer::scheme() {
  const pg::Result exists = db_->exec("SELECT to_regclass('camlabel_project') IS NOT NULL");
  if (exists.text(0, 0) != "t") return std::nullopt;
  const pg::Result r =
      db_->exec("SELECT schema_version, class_scheme FROM camlabel_project WHERE id = 1");
  if (r.rows() == 0) return std::nullopt;
  if (r.integer(0, 0) > kServerSchemaVersion)
    throw Error("the team server (" + description() +
                ") holds a project of a newer camlabel (server schema " + r.text(0, 0) +
                "); update camlabel on this workstation.");
  const nlohmann::json json = nlohmann::json::parse(r.text(0, 1), nullptr, false);
  if (json.is_discarded())
    throw Error("the team server (" + description() + ") holds a damaged class scheme.");
  return project::schemeFromJson(json, "the team server's class scheme");
}

void TeamServer::prepare(const project::ClassScheme& scheme) {
  pg::Transaction tx(*db_);
  db_->exec(kCreateLock);
  if (const auto existing = this->scheme()) {
    if (!sameScheme(*existing, scheme))
      throw Error("the team server (" + description() + ") holds a project labelled with the " +
                  "scheme " + schemeSummary(*existing) + ", not " + schemeSummary(scheme) +
                  ": every reader of a team labels with the same classes.");
    tx.commit();
    return;
  }
  try {
    for (const char* statement : kSchema)
      db_->exec(statement);
    for (const char* statement : kAssignmentSchema)
      db_->exec(statement);
  } catch (const Error& e) {
    throw Error("the team server (" + description() +
                ") has no camlabel project yet, and this login cannot create one (" + e.what() +
                "). The database's owner creates it with `camlabel-cli project new DIR --server "
                "ADDRESS`; readers then join with a login that may read and add labels.");
  }
  db_->exec("INSERT INTO camlabel_project(id, schema_version, class_scheme) VALUES(1, $1, $2)",
            {std::to_string(kServerSchemaVersion), project::schemeToJson(scheme).dump()});
  tx.commit();
}

std::int64_t TeamServer::sentThrough(const std::string& workstationId) {
  return db_
      ->exec(
          "SELECT COALESCE(MAX(workstation_label_id), 0) FROM camlabel_labels "
          "WHERE workstation_id = $1",
          {workstationId})
      .integer(0, 0);
}

void TeamServer::send(const std::string& workstationId,
                      const std::vector<project::LoggedLabel>& labels) {
  if (labels.empty()) return;
  // Each INSERT commits on its own (one round trip): the labels go in id order, so an attempt cut
  // short leaves the server holding a prefix, and the next attempt starts after it.
  for (std::size_t begin = 0; begin < labels.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(labels.size(), begin + kRowsPerInsert);
    std::string sql =
        "INSERT INTO camlabel_labels(workstation_id, workstation_label_id, image_sha256, "
        "image_path, action, class_index, reader, labelled_at, reverts, model_version, "
        "predicted_class, probability) VALUES ";
    std::vector<pg::Param> params;
    params.reserve((end - begin) * kColumns);
    for (std::size_t i = begin; i < end; ++i) {
      const project::LoggedLabel& l = labels[i];
      sql += i == begin ? "(" : ", (";
      for (int c = 0; c < kColumns; ++c) {
        if (c > 0) sql += ", ";
        sql += '$';
        sql += std::to_string(params.size() + static_cast<std::size_t>(c) + 1);
      }
      sql += ")";
      params.push_back(text(workstationId));
      params.push_back(std::to_string(l.id));
      params.push_back(text(l.imageSha256));
      // PostgreSQL's text is UTF-8; a project keeps a file name's bytes as they are on disk.
      params.push_back(text(displayName(l.imagePath)));
      params.push_back(text(l.action));
      params.push_back(number(l.classIndex));
      params.push_back(text(displayName(l.annotator)));
      params.push_back(text(l.time));
      params.push_back(number(l.reverts));
      params.push_back(number(l.context.modelVersion));
      params.push_back(number(l.context.predictedClass));
      params.push_back(number(l.context.probability));
    }
    sql +=
        " ON CONFLICT (workstation_id, workstation_label_id) DO NOTHING "
        "RETURNING workstation_label_id";
    const pg::Result inserted = db_->exec(sql, params);
    if (static_cast<std::size_t>(inserted.rows()) == end - begin) continue;
    // Some were there already (sent before a reply was lost): they must be these labels.
    checkHeld(workstationId, labels[begin].id, labels[end - 1].id,
              std::vector<project::LoggedLabel>(labels.begin() + static_cast<std::ptrdiff_t>(begin),
                                                labels.begin() + static_cast<std::ptrdiff_t>(end)));
  }
}

void TeamServer::checkHeld(const std::string& workstationId, std::int64_t first, std::int64_t last,
                           const std::vector<project::LoggedLabel>& labels) {
  const pg::Result held = db_->exec(
      "SELECT workstation_label_id, image_sha256, action, reader, labelled_at FROM "
      "camlabel_labels WHERE workstation_id = $1 AND workstation_label_id BETWEEN $2 AND $3",
      {workstationId, std::to_string(first), std::to_string(last)});
  std::map<std::int64_t, const project::LoggedLabel*> local;
  for (const project::LoggedLabel& l : labels)
    local[l.id] = &l;
  for (int r = 0; r < held.rows(); ++r) {
    const auto it = local.find(held.integer(r, 0));
    const project::LoggedLabel* l = it == local.end() ? nullptr : it->second;
    if (l == nullptr || held.text(r, 1) != l->imageSha256 || held.text(r, 2) != l->action ||
        held.text(r, 3) != displayName(l->annotator) || held.text(r, 4) != l->time)
      throw Error("the team server (" + description() +
                  ") already holds a different label under this project folder's name: the "
                  "folder seems to be a copy of another reader's. Each reader needs a project "
                  "folder of their own (camlabel-cli project new DIR --server ...).");
  }
}

std::vector<ServerDecision> TeamServer::readerDecisions() {
  const pg::Result r = db_->exec(R"sql(
SELECT DISTINCT ON (d.image_sha256, d.reader) d.image_sha256, d.image_path, d.reader, d.class_index
FROM camlabel_labels d
WHERE d.action IN ('label', 'skip')
  AND NOT EXISTS (SELECT 1 FROM camlabel_labels u
                  WHERE u.action = 'undo' AND u.workstation_id = d.workstation_id
                    AND u.reverts = d.workstation_label_id)
ORDER BY d.image_sha256, d.reader, d.labelled_at DESC, d.id DESC)sql");
  std::vector<ServerDecision> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.optInt(i, 3)});
  return out;
}

std::int64_t TeamServer::labelRows() {
  return db_->exec("SELECT COUNT(*) FROM camlabel_labels").integer(0, 0);
}

std::string TeamServer::changeMark() {
  // Counts, not the highest ids: a row with a lower id may become visible after a higher one.
  const pg::Result r = db_->exec(
      "SELECT (SELECT COUNT(*) FROM camlabel_labels)::text || '/' || "
      "(SELECT COUNT(*) FROM camlabel_adjudications)::text, "
      "to_regclass('camlabel_assignment') IS NOT NULL");
  std::string mark = r.text(0, 0);
  if (r.text(0, 1) == "t")
    mark += '/' + db_->exec("SELECT COUNT(*) FROM camlabel_assignment").text(0, 0);
  return mark;
}

Assignment TeamServer::assignment() {
  if (!hasAssignmentTable(*db_)) return {};
  const pg::Result r = db_->exec(
      "SELECT readings_per_slice, blinded FROM camlabel_assignment ORDER BY id DESC LIMIT 1");
  if (r.rows() == 0) return {};
  return {static_cast<int>(r.integer(0, 0)), r.text(0, 1) == "t"};
}

void TeamServer::setAssignment(const Assignment& assignment, const std::string& setBy) {
  if (assignment.readingsPerSlice < 0 || assignment.readingsPerSlice > 100)
    throw Error("readings per slice must be between 0 (no double reading) and 100, not " +
                std::to_string(assignment.readingsPerSlice) + ".");
  pg::Transaction tx(*db_);
  db_->exec(kCreateLock);
  if (!hasAssignmentTable(*db_)) {
    try {
      for (const char* statement : kAssignmentSchema)
        db_->exec(statement);
    } catch (const Error& e) {
      throw Error("the team server (" + description() +
                  ") has no double reading set yet, and this login cannot make its table (" +
                  e.what() + "): the database's owner sets the first one.");
    }
  }
  db_->exec(
      "INSERT INTO camlabel_assignment(readings_per_slice, blinded, set_by, set_at) "
      "VALUES($1, $2, $3, $4)",
      {std::to_string(assignment.readingsPerSlice), assignment.blinded ? "true" : "false", setBy,
       project::isoTimeNow()});
  tx.commit();
}

void TeamServer::adjudicate(const Adjudication& decision, const std::string& decisionId) {
  db_->exec(
      "INSERT INTO camlabel_adjudications(decision_id, image_sha256, image_path, class_index, "
      "adjudicator, decided_at) VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT (decision_id) DO "
      "NOTHING",
      {decisionId, decision.imageSha256, decision.imagePath, std::to_string(decision.classIndex),
       decision.adjudicator, decision.time});
}

std::vector<Adjudication> TeamServer::adjudications() {
  const pg::Result r = db_->exec(
      "SELECT DISTINCT ON (image_sha256) image_sha256, image_path, class_index, adjudicator, "
      "decided_at FROM camlabel_adjudications ORDER BY image_sha256, decided_at DESC, id DESC");
  std::vector<Adjudication> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.text(i, 1), static_cast<int>(r.integer(i, 2)), r.text(i, 3),
                   r.text(i, 4)});
  return out;
}

SendResult sendWaitingLabels(TeamServer& server, project::sqlite::Database& local,
                             const std::string& workstationId,
                             std::optional<std::int64_t> knownThrough) {
  constexpr int kBatch = 1000;
  SendResult result;
  if (knownThrough) {
    result.through = *knownThrough;
  } else {
    result.through = server.sentThrough(workstationId);
    if (result.through > 0) {
      // The server's newest label of ours must be ours: a copied folder shares the name of the
      // one it was copied from, and its labels numbered below the other's newest would never be
      // sent.
      server.checkHeld(workstationId, result.through, result.through,
                       project::readLabelLog(local, result.through - 1, 1));
    }
  }
  for (;;) {
    const std::vector<project::LoggedLabel> batch =
        project::readLabelLog(local, result.through, kBatch);
    if (batch.empty()) return result;
    server.send(workstationId, batch);
    result.sent += static_cast<std::int64_t>(batch.size());
    result.through = batch.back().id;
  }
}

std::vector<project::ReaderDecision> toReaderDecisions(
    const std::vector<ServerDecision>& decisions) {
  std::map<std::string, std::int64_t> items;
  std::vector<project::ReaderDecision> out;
  out.reserve(decisions.size());
  for (const ServerDecision& d : decisions) {
    const auto it =
        items.try_emplace(d.imageSha256, static_cast<std::int64_t>(items.size()) + 1).first;
    out.push_back({it->second, d.reader, d.classIndex});
  }
  return out;
}

void joinTeamServer(project::Project& project, const std::string& address) {
  TeamServer server(address);
  server.prepare(project.settings().scheme);
  project.setTeamServer(address);
}

}  // namespace camlabel::team
