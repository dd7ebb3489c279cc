// SPDX-License-Identifier: Apache-2.0
#include "core/project/project.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/common/version.h"

namespace camlabel::project {
namespace {

/// ProjectSettings::teamTraining's values.
bool isTeamTraining(std::string_view source) {
  return source == "consensus" || source == "own";
}

/// Refuses a team training the project does not know, in the words of every setter.
void checkTeamTraining(const std::string& source) {
  if (!isTeamTraining(source))
    throw Error("unknown team training '" + source + "': use consensus or own.");
}

namespace fs = std::filesystem;

// 'CAML': tells a camlabel project from any other SQLite file before anything is written.
constexpr std::int64_t kApplicationId = 0x43414D4C;
// Import commits at least this often: one fsync per half second costs well under 1% of the
// import (a fixed count of files would cost a third of it on small files), and a cancel or
// crash loses at most this much work, which the next import redoes.
constexpr std::chrono::milliseconds kImportCommitEvery{500};

struct Migration {
  int toVersion;
  const char* sql;
};

// Forward steps only; step i brings user_version from i-1 to i. Append, never edit.
const Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE images(
  id INTEGER PRIMARY KEY,
  rel_path TEXT NOT NULL UNIQUE,
  sort_key TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  size_bytes INTEGER NOT NULL,
  format TEXT NOT NULL,
  modality TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  imported_at TEXT NOT NULL);
CREATE INDEX images_order ON images(sort_key, rel_path);
CREATE TABLE model_versions(
  version INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  labels_seen INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  metrics_json TEXT NOT NULL DEFAULT '{}',
  is_current INTEGER NOT NULL DEFAULT 0);
CREATE TABLE labels(
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id),
  action TEXT NOT NULL CHECK(action IN ('label', 'skip', 'undo')),
  class_index INTEGER,
  annotator TEXT NOT NULL,
  time TEXT NOT NULL,
  model_version INTEGER,
  predicted_class INTEGER,
  probability REAL,
  reverts INTEGER UNIQUE REFERENCES labels(id),
  CHECK((action = 'label') = (class_index IS NOT NULL)),
  CHECK((action = 'undo') = (reverts IS NOT NULL)));
CREATE INDEX labels_by_image ON labels(image_id, id);
CREATE TRIGGER labels_append_only_update BEFORE UPDATE ON labels
  BEGIN SELECT RAISE(ABORT, 'labels are append-only'); END;
CREATE TRIGGER labels_append_only_delete BEFORE DELETE ON labels
  BEGIN SELECT RAISE(ABORT, 'labels are append-only'); END;
CREATE VIEW decisions AS
  SELECT d.* FROM labels d
  WHERE d.action IN ('label', 'skip')
    AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.reverts = d.id);
CREATE VIEW current_decisions AS
  SELECT c.* FROM decisions c
  WHERE c.id = (SELECT MAX(o.id) FROM decisions o WHERE o.image_id = c.image_id);
CREATE TABLE session(id INTEGER PRIMARY KEY CHECK(id = 1), image_id INTEGER REFERENCES images(id));
INSERT INTO session(id, image_id) VALUES(1, NULL);
)sql"},
    // Each image's current decision, kept beside it by triggers in the transaction that adds
    // the label row, so that "next unlabelled" is one search of a partial index and counts one
    // scan of a small index, instead of evaluating current_decisions over every label (0.6 s
    // at 100,000 images). labels stays the record and stays append-only; these two columns
    // are derived from it and rebuilt from it here.
    {2, R"sql(
ALTER TABLE images ADD COLUMN decision_id INTEGER REFERENCES labels(id);
ALTER TABLE images ADD COLUMN decision_class INTEGER;
UPDATE images SET (decision_id, decision_class) =
  (SELECT c.id, c.class_index FROM current_decisions c WHERE c.image_id = images.id);
CREATE INDEX images_undecided ON images(sort_key, rel_path) WHERE decision_id IS NULL;
CREATE INDEX images_by_decision ON images(decision_class, decision_id);
CREATE TRIGGER labels_decide AFTER INSERT ON labels WHEN NEW.action IN ('label', 'skip')
  BEGIN
    UPDATE images SET decision_id = NEW.id, decision_class = NEW.class_index
      WHERE id = NEW.image_id;
  END;
CREATE TRIGGER labels_undo AFTER INSERT ON labels WHEN NEW.action = 'undo'
  BEGIN
    UPDATE images SET (decision_id, decision_class) =
      (SELECT d.id, d.class_index FROM decisions d WHERE d.image_id = NEW.image_id
       ORDER BY d.id DESC LIMIT 1)
      WHERE id = NEW.image_id;
  END;
)sql"},
    // Where a DICOM slice lies (issue 19): its series, as hashes of the study and series UIDs,
    // and its position, for "series 2 of 3, slice 41 of 120" and stepping along a series. NULL
    // for other images and for those imported before.
    {3, R"sql(
ALTER TABLE images ADD COLUMN series TEXT;
ALTER TABLE images ADD COLUMN series_number INTEGER;
ALTER TABLE images ADD COLUMN position_mm REAL;
CREATE INDEX images_series ON images(series, sort_key, rel_path) WHERE series IS NOT NULL;
)sql"},
};

constexpr const char* kDecisionColumns =
    "id, image_id, action, class_index, annotator, time, model_version, predicted_class, "
    "probability";
constexpr int kDecisionColumnCount = 9;

void configure(sqlite::Database& db) {
  // FULL: a commit is on disk (WAL fsynced) before the label call returns.
  if (db.queryText("PRAGMA journal_mode=WAL") != "wal")
    throw Error("the project database '" + db.path().string() + "' cannot use WAL journaling.");
  db.exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
}

void migrate(sqlite::Database& db) {
  const auto current = db.queryInt("PRAGMA user_version");
  for (const Migration& m : kMigrations) {
    if (m.toVersion <= current) continue;
    sqlite::Transaction tx(db);
    db.exec(m.sql);
    db.exec("PRAGMA user_version=" + std::to_string(m.toVersion));
    tx.commit();
  }
}

std::optional<int> optInt(const sqlite::Statement& s, int column) {
  if (s.isNull(column)) return std::nullopt;
  return static_cast<int>(s.columnInt(column));
}

void bindOpt(sqlite::Statement& s, int index, std::optional<int> value) {
  if (value)
    s.bind(index, *value);
  else
    s.bindNull(index);
}

/// An ImageRecord from kImageColumns starting at column first.
ImageRecord readImageRow(const sqlite::Statement& s, int first = 0) {
  return {s.columnInt(first),
          s.columnText(first + 1),
          s.columnText(first + 2),
          s.columnInt(first + 3),
          s.columnText(first + 4),
          s.columnText(first + 5),
          static_cast<int>(s.columnInt(first + 6)),
          static_cast<int>(s.columnInt(first + 7))};
}

constexpr const char* kImageColumns =
    "id, rel_path, sha256, size_bytes, format, modality, width, height";

/// `bytes` random bytes from the system's entropy (std::random_device reads getrandom on Linux)
/// as lower-case hex.
std::string randomHex(int bytes) {
  std::random_device device;
  std::string out;
  constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < bytes; ++i) {
    const auto byte = static_cast<unsigned>(device()) & 0xffU;
    out += kDigits[byte >> 4U];
    out += kDigits[byte & 0xfU];
  }
  return out;
}

}  // namespace

std::string isoTimeNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms));
  return text;
}

Project::Project(fs::path dir, std::unique_ptr<ProjectLock> lock,
                 std::unique_ptr<sqlite::Database> db)
    : dir_(std::move(dir)), lock_(std::move(lock)), db_(std::move(db)) {}

fs::path databaseFile(const fs::path& dir) {
  return dir / "project.sqlite";
}

bool isProjectFolder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(databaseFile(dir), ec);
}

std::unique_ptr<Project> Project::create(const fs::path& dir, ProjectSettings settings) {
  const fs::path file = databaseFile(dir);
  std::error_code ec;
  if (fs::exists(file, ec))
    throw Error("'" + dir.string() + "' already holds a project; open it instead.");
  if (!fs::is_directory(settings.imageRoot, ec))
    throw Error("the image folder '" + settings.imageRoot.string() + "' is not a folder.");
  settings.imageRoot = fs::canonical(settings.imageRoot);
  if (!settings.baseWeights.empty() && settings.baseWeightsSha256.empty())
    settings.baseWeightsSha256 = sha256File(settings.baseWeights);
  if (settings.snapshotEvery < 1) throw Error("the snapshot interval must be at least 1 label.");
  if (settings.modelSize < 32 || settings.modelSize > 1024)
    throw Error("the model input size must be 32 to 1024 pixels, not " +
                std::to_string(settings.modelSize) + ".");
  // What open() will accept: a scheme given in code is checked as one read from a file.
  settings.scheme = schemeFromJson(schemeToJson(settings.scheme), "the class scheme");
  settings.createdByVersion = kVersion;

  fs::create_directories(dir / "models", ec);
  if (ec)
    throw Error("cannot create the project folder '" + dir.string() + "': " + ec.message() + ".");
  auto lock = std::make_unique<ProjectLock>(dir);
  auto db = std::make_unique<sqlite::Database>(file, true);
  try {
    db->exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    configure(*db);
    migrate(*db);
    sqlite::Transaction tx(*db);
    auto put = db->prepare("INSERT INTO settings(key, value) VALUES(?, ?)");
    auto set = [&](const char* key, const std::string& value) {
      put.reset();
      put.bind(1, key).bind(2, value).run();
    };
    set("class_scheme", schemeToJson(settings.scheme).dump());
    set("snapshot_every", std::to_string(settings.snapshotEvery));
    set("training_mode", settings.trainingMode);
    set("image_root", settings.imageRoot.string());
    set("model_size", std::to_string(settings.modelSize));
    set("seed", std::to_string(settings.seed));
    set("base_weights", settings.baseWeights.string());
    set("base_weights_sha256", settings.baseWeightsSha256);
    set("created_by_version", settings.createdByVersion);
    checkTeamTraining(settings.teamTraining);
    set("team_training", settings.teamTraining);
    tx.commit();
  } catch (...) {
    // A half-made project would be refused on open forever after; remove it.
    db.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      fs::remove(fs::path(file.string() + suffix), ec);
    throw;
  }
  std::unique_ptr<Project> project(new Project(dir, std::move(lock), std::move(db)));
  project->loadSettings();
  return project;
}

std::unique_ptr<Project> Project::open(const fs::path& dir) {
  if (!isProjectFolder(dir))
    throw Error("'" + dir.string() + "' is not a camlabel project: it has no project.sqlite.");
  const fs::path file = databaseFile(dir);
  auto lock = std::make_unique<ProjectLock>(dir);
  auto db = std::make_unique<sqlite::Database>(file, false);
  // Read-only checks come first, so a file we refuse is left byte for byte as it was.
  std::int64_t appId = 0, version = 0;
  try {
    appId = db->queryInt("PRAGMA application_id");
    version = db->queryInt("PRAGMA user_version");
  } catch (const Error& e) {
    throw Error("'" + file.string() +
                "' is corrupt or not a SQLite database, so the project cannot be opened (" +
                e.what() + ")");
  }
  if (appId != kApplicationId)
    throw Error("'" + file.string() + "' is a SQLite database but not a camlabel project.");
  if (version > kSchemaVersion)
    throw Error("the project '" + dir.string() + "' was written by a newer camlabel (schema " +
                std::to_string(version) + ", this version reads up to " +
                std::to_string(kSchemaVersion) + "); update camlabel to open it.");
  configure(*db);
  migrate(*db);
  std::unique_ptr<Project> project(new Project(dir, std::move(lock), std::move(db)));
  project->loadSettings();
  return project;
}

void Project::loadSettings() {
  const std::string where = db_->path().string();
  // A damaged database says so in camlabel's words, never in a library's exception.
  auto number = [&](const std::string& key, const std::string& value, std::int64_t low,
                    std::int64_t high) {
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || parsed < low ||
        parsed > high) {
      throw InputError(where, "the project database is damaged: its setting '" + key +
                                  "' is not a number from " + std::to_string(low) + " to " +
                                  std::to_string(high));
    }
    return parsed;
  };
  auto s = db_->prepare("SELECT key, value FROM settings");
  while (s.step()) {
    const std::string key = s.columnText(0);
    const std::string value = s.columnText(1);
    if (key == "class_scheme") {
      const nlohmann::json json = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded())
        throw InputError(where, "the project database is damaged: its class scheme is not JSON");
      settings_.scheme = schemeFromJson(json, where);
    } else if (key == "snapshot_every") {
      settings_.snapshotEvery = static_cast<int>(number(key, value, 1, 1000000));
    } else if (key == "training_mode") {
      settings_.trainingMode = value;
    } else if (key == "image_root") {
      settings_.imageRoot = value;
    } else if (key == "model_size") {
      settings_.modelSize = static_cast<int>(number(key, value, 1, 16384));
    } else if (key == "seed") {
      settings_.seed = number(key, value, std::numeric_limits<std::int64_t>::min(),
                              std::numeric_limits<std::int64_t>::max());
    } else if (key == "base_weights") {
      settings_.baseWeights = value;
    } else if (key == "base_weights_sha256") {
      settings_.baseWeightsSha256 = value;
    } else if (key == "created_by_version") {
      settings_.createdByVersion = value;
    } else if (key == "team_server") {
      settings_.teamServer = value;
    } else if (key == "workstation_id") {
      settings_.workstationId = value;
    } else if (key == "team_training") {
      if (!isTeamTraining(value)) {
        throw InputError(where,
                         "the project database is damaged: its setting 'team_training' "
                         "is neither 'consensus' nor 'own'");
      }
      settings_.teamTraining = value;
    }
  }
}

ImportReport Project::importImages(const std::optional<fs::path>& folder,
                                   ProgressDelegate* progress) {
  return importInBatches(
      settings_.imageRoot, folder,
      [this](const std::string& relativePath) { return findImage(relativePath).has_value(); },
      [this](const std::vector<ImportCandidate>& batch, ImportReport& report) {
        addImportCandidates(batch, report);
      },
      kImportCommitEvery, /*keepOnCancel=*/false, progress);
}

void Project::addImportCandidates(const std::vector<ImportCandidate>& candidates,
                                  ImportReport& report) {
  if (candidates.empty()) return;
  sqlite::Transaction tx(*db_);
  auto findPath = db_->prepare("SELECT 1 FROM images WHERE rel_path = ?");
  auto findHash = db_->prepare("SELECT 1 FROM images WHERE sha256 = ?");
  auto insert = db_->prepare(
      "INSERT INTO images(rel_path, sort_key, sha256, size_bytes, format, modality, width, "
      "height, imported_at, series, series_number, position_mm) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int added = 0, already = 0, duplicates = 0;
  for (const ImportCandidate& c : candidates) {
    findPath.reset();
    if (findPath.bind(1, c.relativePath).step()) {
      ++already;
      continue;
    }
    findHash.reset();
    if (findHash.bind(1, c.sha256).step()) {
      ++duplicates;
      continue;
    }
    insert.reset();
    insert.bind(1, c.relativePath)
        .bind(2, c.sortKey.empty() ? naturalSortKey(c.relativePath) : c.sortKey)
        .bind(3, c.sha256)
        .bind(4, c.sizeBytes)
        .bind(5, c.format)
        .bind(6, c.modality)
        .bind(7, c.width)
        .bind(8, c.height)
        .bind(9, isoTimeNow());
    const imaging::SlicePlacement& place = c.placement;
    if (place.studyKey.empty() && place.seriesKey.empty())
      insert.bindNull(10);
    else
      insert.bind(10, place.studyKey + "/" + place.seriesKey);
    bindOpt(insert, 11, place.seriesNumber);
    if (place.positionMm)
      insert.bind(12, *place.positionMm);
    else
      insert.bindNull(12);
    insert.run();
    ++added;
  }
  findPath.reset();
  findHash.reset();
  tx.commit();
  // Counted once committed, so a failed batch leaves the report as it was.
  report.added += added;
  report.alreadyImported += already;
  report.duplicates += duplicates;
}

void Project::setTrainingSettings(int snapshotEvery, const std::string& trainingMode) {
  if (snapshotEvery < 1) throw Error("the snapshot interval must be at least 1 label.");
  if (trainingMode != "auto" && trainingMode != "head" && trainingMode != "layer4" &&
      trainingMode != "full") {
    throw Error("unknown training mode '" + trainingMode + "': use auto, head, layer4 or full.");
  }
  sqlite::Transaction tx(*db_);
  auto put = db_->prepare("INSERT OR REPLACE INTO settings(key, value) VALUES(?, ?)");
  put.bind(1, "snapshot_every").bind(2, std::to_string(snapshotEvery)).run();
  put.reset();
  put.bind(1, "training_mode").bind(2, trainingMode).run();
  tx.commit();
  settings_.snapshotEvery = snapshotEvery;
  settings_.trainingMode = trainingMode;
}

void Project::setTeamServer(const std::string& server) {
  if (server.empty()) throw Error("a team server address cannot be empty.");
  std::string id = settings_.workstationId;
  if (id.empty()) id = randomHex(16);
  sqlite::Transaction tx(*db_);
  auto put = db_->prepare("INSERT OR REPLACE INTO settings(key, value) VALUES(?, ?)");
  put.bind(1, "team_server").bind(2, server).run();
  put.reset();
  put.bind(1, "workstation_id").bind(2, id).run();
  tx.commit();
  settings_.teamServer = server;
  settings_.workstationId = id;
}

void Project::setTeamTraining(const std::string& source) {
  checkTeamTraining(source);
  db_->prepare("INSERT OR REPLACE INTO settings(key, value) VALUES('team_training', ?)")
      .bind(1, source)
      .run();
  settings_.teamTraining = source;
}

std::int64_t Project::imageCount() {
  return db_->queryInt("SELECT COUNT(*) FROM images");
}

ImageRecord Project::image(std::int64_t imageId) {
  auto s = db_->prepare(std::string("SELECT ") + kImageColumns + " FROM images WHERE id = ?");
  if (!s.bind(1, imageId).step())
    throw Error("image " + std::to_string(imageId) + " is not in the project '" + dir_.string() +
                "'.");
  return readImageRow(s);
}

std::optional<ImageRecord> Project::imageAt(std::int64_t index) {
  auto s = db_->prepare(std::string("SELECT ") + kImageColumns +
                        " FROM images ORDER BY sort_key, rel_path LIMIT 1 OFFSET ?");
  if (!s.bind(1, index).step()) return std::nullopt;
  return readImageRow(s);
}

std::optional<ImageRecord> Project::findImage(std::string_view relativePath) {
  auto s = db_->prepare(std::string("SELECT ") + kImageColumns + " FROM images WHERE rel_path = ?");
  if (!s.bind(1, relativePath).step()) return std::nullopt;
  return readImageRow(s);
}

std::optional<ImageRecord> Project::findImageBySha256(std::string_view sha256) {
  auto s = db_->prepare(std::string("SELECT ") + kImageColumns + " FROM images WHERE sha256 = ?");
  if (!s.bind(1, sha256).step()) return std::nullopt;
  return readImageRow(s);
}

std::int64_t Project::indexOf(std::int64_t imageId) {
  auto at = db_->prepare("SELECT sort_key, rel_path FROM images WHERE id = ?");
  if (!at.bind(1, imageId).step())
    throw Error("image " + std::to_string(imageId) + " is not in the project '" + dir_.string() +
                "'.");
  // Counts entries of the (sort_key, rel_path) index before the image: no table row is read.
  auto before = db_->prepare("SELECT COUNT(*) FROM images WHERE (sort_key, rel_path) < (?, ?)");
  before.bind(1, at.columnText(0)).bind(2, at.columnText(1)).step();
  return before.columnInt(0);
}

std::optional<SliceLocation> Project::sliceLocation(std::int64_t imageId) {
  auto at = db_->prepare(
      "SELECT series, sort_key, rel_path, series_number, position_mm FROM images WHERE id = ?");
  if (!at.bind(1, imageId).step())
    throw Error("image " + std::to_string(imageId) + " is not in the project '" + dir_.string() +
                "'.");
  if (at.isNull(0)) return std::nullopt;
  const std::string series = at.columnText(0);
  SliceLocation location;
  location.seriesNumber = optInt(at, 3);
  if (!at.isNull(4)) location.positionMm = at.columnDouble(4);
  // Index scans of images_series: the slices of one series, then the first of each series.
  auto slices = db_->prepare(
      "SELECT COUNT(*), COALESCE(SUM((sort_key, rel_path) < (?, ?)), 0) FROM images "
      "WHERE series = ?");
  slices.bind(1, at.columnText(1)).bind(2, at.columnText(2)).bind(3, series).step();
  location.sliceCount = slices.columnInt(0);
  location.sliceIndex = slices.columnInt(1);
  auto all = db_->prepare(
      "WITH firsts AS (SELECT series, MIN(sort_key) AS first FROM images "
      "WHERE series IS NOT NULL GROUP BY series) "
      "SELECT COUNT(*), COALESCE(SUM(first < (SELECT first FROM firsts WHERE series = ?)), 0) "
      "FROM firsts");
  all.bind(1, series).step();
  location.seriesCount = all.columnInt(0);
  location.seriesIndex = all.columnInt(1);
  return location;
}

std::optional<ImageRecord> Project::neighbourInSeries(std::int64_t imageId, int step) {
  auto at = db_->prepare("SELECT series, sort_key, rel_path FROM images WHERE id = ?");
  if (!at.bind(1, imageId).step())
    throw Error("image " + std::to_string(imageId) + " is not in the project '" + dir_.string() +
                "'.");
  if (at.isNull(0) || step == 0) return std::nullopt;
  const bool forward = step > 0;
  auto s = db_->prepare(std::string("SELECT ") + kImageColumns +
                        " FROM images WHERE series = ? AND (sort_key, rel_path) " +
                        (forward ? ">" : "<") + " (?, ?) ORDER BY sort_key " +
                        (forward ? "ASC" : "DESC") + ", rel_path " + (forward ? "ASC" : "DESC") +
                        " LIMIT 1 OFFSET ?");
  s.bind(1, at.columnText(0))
      .bind(2, at.columnText(1))
      .bind(3, at.columnText(2))
      .bind(4, static_cast<std::int64_t>(std::abs(step)) - 1);
  if (!s.step()) return std::nullopt;
  return readImageRow(s);
}

void Project::forEachSeriesMember(
    const std::function<void(std::int64_t, const std::string&, bool)>& visit) {
  auto s = db_->prepare(
      "SELECT id, COALESCE(series, ''), decision_id IS NOT NULL FROM images "
      "ORDER BY sort_key, rel_path");
  while (s.step())
    visit(s.columnInt(0), s.columnText(1), s.columnInt(2) != 0);
}

fs::path Project::resolveImage(std::int64_t imageId) {
  const ImageRecord record = image(imageId);
  const fs::path path = settings_.imageRoot / record.relativePath;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw Error("the image '" + record.relativePath + "' is missing from '" +
                settings_.imageRoot.string() + "': it was moved or deleted.");
  return path;
}

std::int64_t Project::appendDecision(std::int64_t imageId, const char* action,
                                     std::optional<int> classIndex, const std::string& annotator,
                                     const LabelContext& context) {
  auto s = db_->prepare(
      "INSERT INTO labels(image_id, action, class_index, annotator, time, model_version, "
      "predicted_class, probability) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, imageId).bind(2, action);
  bindOpt(s, 3, classIndex);
  s.bind(4, annotator).bind(5, isoTimeNow());
  bindOpt(s, 6, context.modelVersion);
  bindOpt(s, 7, context.predictedClass);
  if (context.probability)
    s.bind(8, *context.probability);
  else
    s.bindNull(8);
  // Autocommit: when step() returns the row is in the fsynced WAL.
  s.run();
  return db_->lastInsertId();
}

std::int64_t Project::label(std::int64_t imageId, int classIndex, const std::string& annotator,
                            const LabelContext& context) {
  settings_.scheme.checkClass(classIndex);
  image(imageId);
  return appendDecision(imageId, "label", classIndex, annotator, context);
}

std::int64_t Project::skip(std::int64_t imageId, const std::string& annotator,
                           const LabelContext& context) {
  image(imageId);
  return appendDecision(imageId, "skip", std::nullopt, annotator, context);
}

std::optional<std::int64_t> Project::undo(const std::string& annotator) {
  sqlite::Transaction tx(*db_);
  auto last = db_->prepare(
      "SELECT id, image_id FROM decisions WHERE annotator = ? ORDER BY id DESC LIMIT 1");
  if (!last.bind(1, annotator).step()) return std::nullopt;
  const std::int64_t target = last.columnInt(0);
  const std::int64_t imageId = last.columnInt(1);
  auto s = db_->prepare(
      "INSERT INTO labels(image_id, action, annotator, time, reverts) VALUES(?, 'undo', ?, ?, ?)");
  s.bind(1, imageId).bind(2, annotator).bind(3, isoTimeNow()).bind(4, target).run();
  tx.commit();
  return imageId;
}

CurrentLabel Project::readCurrent(const sqlite::Statement& s) {
  CurrentLabel c;
  c.labelId = s.columnInt(0);
  c.imageId = s.columnInt(1);
  c.skipped = s.columnText(2) == "skip";
  c.classIndex = s.isNull(3) ? -1 : static_cast<int>(s.columnInt(3));
  c.annotator = s.columnText(4);
  c.time = s.columnText(5);
  c.context.modelVersion = optInt(s, 6);
  c.context.predictedClass = optInt(s, 7);
  if (!s.isNull(8)) c.context.probability = s.columnDouble(8);
  return c;
}

std::optional<CurrentLabel> Project::currentLabel(std::int64_t imageId) {
  auto s = db_->prepare(std::string("SELECT ") + kDecisionColumns +
                        " FROM labels WHERE id = (SELECT decision_id FROM images WHERE id = ?)");
  if (!s.bind(1, imageId).step()) return std::nullopt;
  return readCurrent(s);
}

sqlite::Statement Project::currentLabelsQuery() {
  std::string sql = "SELECT ";
  for (const char* column : {"c.id", "c.image_id", "c.action", "c.class_index", "c.annotator",
                             "c.time", "c.model_version", "c.predicted_class", "c.probability"})
    sql.append(column).append(", ");
  for (const char* column : {"i.id", "i.rel_path", "i.sha256", "i.size_bytes", "i.format",
                             "i.modality", "i.width", "i.height"})
    sql.append(column).append(std::string_view(column) == "i.height" ? " " : ", ");
  sql.append("FROM images i JOIN labels c ON c.id = i.decision_id ORDER BY i.sort_key, i.rel_path");
  return db_->prepare(sql);
}

ImageRecord Project::readImageAfterDecision(const sqlite::Statement& s) {
  return readImageRow(s, kDecisionColumnCount);
}

std::optional<std::int64_t> Project::nextUnlabelled(std::optional<std::int64_t> afterImageId) {
  std::string key, path;
  if (afterImageId) {
    auto at = db_->prepare("SELECT sort_key, rel_path FROM images WHERE id = ?");
    if (!at.bind(1, *afterImageId).step())
      throw Error("image " + std::to_string(*afterImageId) + " is not in the project.");
    key = at.columnText(0);
    path = at.columnText(1);
  }
  // One search of the partial index that holds only undecided images.
  auto s = db_->prepare(
      "SELECT id FROM images WHERE decision_id IS NULL AND (sort_key, rel_path) > (?, ?) "
      "ORDER BY sort_key, rel_path LIMIT 1");
  if (!s.bind(1, key).bind(2, path).step()) return std::nullopt;
  return s.columnInt(0);
}

std::vector<std::int64_t> Project::undecidedImages() {
  std::vector<std::int64_t> ids;
  auto s =
      db_->prepare("SELECT id FROM images WHERE decision_id IS NULL ORDER BY sort_key, rel_path");
  while (s.step())
    ids.push_back(s.columnInt(0));
  return ids;
}

ProjectCounts Project::counts() {
  ProjectCounts counts;
  counts.images = imageCount();
  counts.perClass.assign(settings_.scheme.classes.size(), 0);
  // A scan of the (decision_class, decision_id) index; a skip is a decision without a class.
  auto s = db_->prepare(
      "SELECT decision_class, COUNT(*) FROM images WHERE decision_id IS NOT NULL "
      "GROUP BY decision_class");
  while (s.step()) {
    if (s.isNull(0)) {
      counts.skipped += s.columnInt(1);
      continue;
    }
    counts.labelled += s.columnInt(1);
    const auto index = static_cast<std::size_t>(s.columnInt(0));
    if (index < counts.perClass.size()) counts.perClass[index] += s.columnInt(1);
  }
  counts.unlabelled = counts.images - counts.labelled - counts.skipped;
  return counts;
}

void Project::setPosition(std::int64_t imageId) {
  image(imageId);
  db_->prepare("UPDATE session SET image_id = ? WHERE id = 1").bind(1, imageId).run();
}

std::optional<std::int64_t> Project::position() {
  auto s = db_->prepare("SELECT image_id FROM session WHERE id = 1");
  if (!s.step() || s.isNull(0)) return std::nullopt;
  return s.columnInt(0);
}

std::optional<std::int64_t> Project::startingImage() {
  if (auto id = position()) return id;
  if (auto id = nextUnlabelled()) return id;
  if (auto first = imageAt(0)) return first->id;
  return std::nullopt;
}

void Project::addModelVersion(const ModelVersion& version) {
  sqlite::Transaction tx(*db_);
  db_->exec("UPDATE model_versions SET is_current = 0");
  db_->prepare(
         "INSERT INTO model_versions(version, file, sha256, labels_seen, created_at, "
         "metrics_json, is_current) VALUES(?, ?, ?, ?, ?, ?, 1)")
      .bind(1, version.version)
      .bind(2, version.file)
      .bind(3, version.sha256)
      .bind(4, version.labelsSeen)
      .bind(5, version.time.empty() ? isoTimeNow() : version.time)
      .bind(6, version.metricsJson)
      .run();
  tx.commit();
}

namespace {

/// Throws Error unless the project records the version.
void requireModelVersion(sqlite::Database& db, const std::filesystem::path& dir, int version) {
  auto exists = db.prepare("SELECT 1 FROM model_versions WHERE version = ?");
  exists.bind(1, version);
  if (!exists.step()) {
    throw Error("the project " + dir.string() + " has no model version v" +
                std::to_string(version));
  }
}

}  // namespace

void Project::setCurrentVersion(int version) {
  sqlite::Transaction tx(*db_);
  requireModelVersion(*db_, dir_, version);
  db_->prepare("UPDATE model_versions SET is_current = (version = ?)").bind(1, version).run();
  tx.commit();
}

void Project::setModelVersionSha256(int version, const std::string& sha256) {
  sqlite::Transaction tx(*db_);
  requireModelVersion(*db_, dir_, version);
  db_->prepare("UPDATE model_versions SET sha256 = ? WHERE version = ?")
      .bind(1, sha256)
      .bind(2, version)
      .run();
  tx.commit();
}

std::vector<ModelVersion> Project::modelVersions() {
  std::vector<ModelVersion> versions;
  auto s = db_->prepare(
      "SELECT version, file, sha256, labels_seen, created_at, metrics_json, is_current FROM "
      "model_versions ORDER BY version");
  while (s.step())
    versions.push_back({static_cast<int>(s.columnInt(0)), s.columnText(1), s.columnText(2),
                        s.columnInt(3), s.columnText(4), s.columnText(5), s.columnInt(6) != 0});
  return versions;
}

}  // namespace camlabel::project
