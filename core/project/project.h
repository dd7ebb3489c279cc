// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/project/class_scheme.h"
#include "core/project/image_import.h"
#include "core/project/project_lock.h"
#include "core/project/sqlite.h"

namespace camlabel::project {

/// The schema this build writes; older projects are migrated forward on open.
inline constexpr int kSchemaVersion = 3;

struct ProjectSettings {
  ClassScheme scheme = builtinScheme("pattern");
  int snapshotEvery = 10;  ///< labels between model checkpoints
  std::string trainingMode =
      "auto";                       ///< "auto", "head", "layer4" or "full" (learning::TrainingMode)
  std::filesystem::path imageRoot;  ///< absolute; image paths are stored relative to it
  int modelSize = 224;              ///< pixels per side of the model input (32 to 1024)
  std::int64_t seed = 0;
  std::filesystem::path baseWeights;  ///< empty: none configured
  std::string baseWeightsSha256;
  std::string createdByVersion;  ///< filled in by create()
  /// A team project (issue 15): the PostgreSQL server its labels are sent to, as libpq's
  /// connection string or URL, never with a password; empty for a project of one workstation.
  std::string teamServer;
  /// This project folder's id among the team's workstations (32 hex digits), chosen when it
  /// joined the server: with a label's row id it names the label on the server exactly once.
  std::string workstationId;
  /// What a team project's trainer learns from: "consensus" (every reader's labels where the
  /// team agrees or an adjudicator decided; the default) or "own" (this reader's labels only).
  std::string teamTraining = "consensus";
};

struct ImageRecord {
  std::int64_t id = 0;
  std::string relativePath;
  std::string sha256;
  std::int64_t sizeBytes = 0;
  std::string format;
  std::string modality;
  int width = 0;
  int height = 0;
};

/// Where a DICOM slice lies among the project's series, for "series 2 of 3, slice 41 of 120,
/// z -152.5 mm": 0-based indexes in the project's order.
struct SliceLocation {
  std::int64_t seriesIndex = 0;
  std::int64_t seriesCount = 0;
  std::int64_t sliceIndex = 0;  ///< within its series
  std::int64_t sliceCount = 0;  ///< of its series
  std::optional<int> seriesNumber;
  std::optional<double> positionMm;  ///< along the slice normal (imaging::SlicePlacement)
};

/// What the model showed when the label was given; all empty before any model is loaded.
struct LabelContext {
  std::optional<int> modelVersion;
  std::optional<int> predictedClass;
  std::optional<double> probability;
};

/// An image's current decision: its latest label or skip that no undo reverted.
struct CurrentLabel {
  std::int64_t labelId = 0;
  std::int64_t imageId = 0;
  bool skipped = false;
  int classIndex = -1;  ///< -1 when skipped
  std::string annotator;
  std::string time;  ///< ISO 8601 UTC
  LabelContext context;
};

struct ModelVersion {
  int version = 0;
  std::string file;  ///< relative to DIR/models
  std::string sha256;
  std::int64_t labelsSeen = 0;
  std::string time;
  std::string metricsJson = "{}";
  bool isCurrent = false;
};

struct ProjectCounts {
  std::int64_t images = 0;
  std::int64_t labelled = 0;
  std::int64_t skipped = 0;
  std::int64_t unlabelled = 0;
  std::vector<std::int64_t> perClass;  ///< one entry per class of the scheme
};

/// The database of the project in `dir`: DIR/project.sqlite.
std::filesystem::path databaseFile(const std::filesystem::path& dir);
/// Whether `dir` holds a project (its database file is there), without opening it.
bool isProjectFolder(const std::filesystem::path& dir);

/// A project folder: DIR/project.sqlite, DIR/models/ and DIR/project.lock, held for the
/// lifetime of the object. Every write is committed (WAL, synchronous=FULL) before it returns.
/// All methods throw camlabel::Error with a sentence naming the project and the reason.
class Project {
 public:
  /// Creates DIR (may exist but must not hold a project). settings.imageRoot must be a folder.
  static std::unique_ptr<Project> create(const std::filesystem::path& dir,
                                         ProjectSettings settings);
  /// Opens an existing project, migrating an older schema forward. Refuses, without changing
  /// anything, a corrupt file, a database that is not a camlabel project, a schema newer than
  /// kSchemaVersion, and a project open elsewhere.
  static std::unique_ptr<Project> open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const ProjectSettings& settings() const { return settings_; }

  /// Imports the image files under folder (default: the image root; must lie inside it),
  /// recursively. Files already imported (by path or content) are skipped; unreadable files are
  /// reported in the result, never thrown. Commits in batches; throws camlabel::Cancelled when
  /// progress asks to (batches committed so far stay).
  ImportReport importImages(const std::optional<std::filesystem::path>& folder = std::nullopt,
                            ProgressDelegate* progress = nullptr);

  /// Stores images read by readImportCandidate in one transaction, skipping (and counting in
  /// report) those already stored by path (alreadyImported) or content (duplicates); adds the
  /// rest (added). With importFiles and readImportCandidate it splits importImages so that the
  /// slow part, reading files, can run outside whatever lock guards this object. Throws
  /// camlabel::Error, leaving report and the store as they were.
  void addImportCandidates(const std::vector<ImportCandidate>& candidates, ImportReport& report);

  /// Stores the snapshot interval (labels per model version, at least 1) and the training mode
  /// ("auto", "head", "layer4" or "full") in the project and in settings(). A session reads them
  /// when it opens. Throws camlabel::Error for other values, changing nothing.
  void setTrainingSettings(int snapshotEvery, const std::string& trainingMode);
  /// Makes this a team project sending its labels to `server` (see ProjectSettings::teamServer;
  /// team::joinTeamServer checks the server first). Keeps the workstation id once chosen, so
  /// that labels already sent are not sent again under another name.
  void setTeamServer(const std::string& server);
  /// ProjectSettings::teamTraining: "consensus" or "own"; throws Error for anything else.
  void setTeamTraining(const std::string& source);

  std::int64_t imageCount();
  /// Throws camlabel::Error for an unknown id.
  ImageRecord image(std::int64_t imageId);
  /// The image in natural order of relative paths at 0-based index, if any.
  std::optional<ImageRecord> imageAt(std::int64_t index);
  /// The image stored under this relative path (generic '/' separators, exactly as imported).
  std::optional<ImageRecord> findImage(std::string_view relativePath);
  /// The image with this content (SHA-256, lower-case hex), if any: how a team's slices are
  /// matched whatever path each reader has them under.
  std::optional<ImageRecord> findImageBySha256(std::string_view sha256);
  /// The 0-based position of an image in the order of imageAt. Throws camlabel::Error for an
  /// unknown id. Counts index entries, so it takes a few ms at 100,000 images.
  std::int64_t indexOf(std::int64_t imageId);
  /// Where a DICOM slice lies among the project's series; std::nullopt for an image imported
  /// without a series (not DICOM, or imported before camlabel stored series). Throws
  /// camlabel::Error for an unknown id.
  std::optional<SliceLocation> sliceLocation(std::int64_t imageId);
  /// The slice `step` places after (negative: before) this one in its series, in the project's
  /// order (head to foot); std::nullopt past either end or without a series. Throws
  /// camlabel::Error for an unknown id.
  std::optional<ImageRecord> neighbourInSeries(std::int64_t imageId, int step);
  /// Calls visit(imageId, series, decided) for every image, in the project's order: series is the
  /// slice's series ("" for an image without one), decided whether it has a current label or
  /// skip. One scan of the table.
  void forEachSeriesMember(const std::function<void(std::int64_t imageId, const std::string& series,
                                                    bool decided)>& visit);
  /// Absolute path of an image; throws camlabel::Error when the file was moved or deleted.
  std::filesystem::path resolveImage(std::int64_t imageId);

  /// Appends a label (classIndex within the scheme). Returns the row id after commit.
  std::int64_t label(std::int64_t imageId, int classIndex, const std::string& annotator,
                     const LabelContext& context = {});
  /// Appends a skip. Returns the row id after commit.
  std::int64_t skip(std::int64_t imageId, const std::string& annotator,
                    const LabelContext& context = {});
  /// Reverts annotator's most recent label or skip not yet reverted, by appending an undo row:
  /// one reader's undo never takes back another reader's label. Returns the image it belonged
  /// to, or nothing when that reader has nothing to undo.
  std::optional<std::int64_t> undo(const std::string& annotator);
  std::optional<CurrentLabel> currentLabel(std::int64_t imageId);

  /// The first image after afterImageId in natural order (from the start when empty) that has
  /// neither a current label nor a skip.
  std::optional<std::int64_t> nextUnlabelled(std::optional<std::int64_t> afterImageId = {});
  /// Every image without a current label or skip, in natural order (one index scan).
  std::vector<std::int64_t> undecidedImages();
  ProjectCounts counts();

  void setPosition(std::int64_t imageId);
  std::optional<std::int64_t> position();
  /// Where labelling starts: the stored position, else the first image without a decision,
  /// else the first image; nothing for a project without images.
  std::optional<std::int64_t> startingImage();

  /// Records a checkpoint written to DIR/models/file and makes it current.
  void addModelVersion(const ModelVersion& version);
  std::vector<ModelVersion> modelVersions();
  /// Makes a recorded version the current one (a rollback). Throws Error for an unknown one.
  void setCurrentVersion(int version);
  /// A recorded version's file was rewritten in place (an older version keeps the weights it
  /// shows only): its new SHA-256. Throws Error for an unknown version.
  void setModelVersionSha256(int version, const std::string& sha256);

  /// Calls visit for each image with a current decision, in natural order, without loading
  /// them all.
  template <typename Visit>
  void forEachCurrentLabel(Visit visit);

  /// The connection, for tests and tools that need pragmas.
  sqlite::Database& database() { return *db_; }

 private:
  Project(std::filesystem::path dir, std::unique_ptr<ProjectLock> lock,
          std::unique_ptr<sqlite::Database> db);
  void loadSettings();
  std::int64_t appendDecision(std::int64_t imageId, const char* action,
                              std::optional<int> classIndex, const std::string& annotator,
                              const LabelContext& context);
  sqlite::Statement currentLabelsQuery();
  static CurrentLabel readCurrent(const sqlite::Statement& s);
  static ImageRecord readImageAfterDecision(const sqlite::Statement& s);

  std::filesystem::path dir_;
  std::unique_ptr<ProjectLock> lock_;
  std::unique_ptr<sqlite::Database> db_;
  ProjectSettings settings_;
};

template <typename Visit>
void Project::forEachCurrentLabel(Visit visit) {
  sqlite::Statement s = currentLabelsQuery();
  while (s.step())
    visit(readImageAfterDecision(s), readCurrent(s));
}

/// Current time as ISO 8601 UTC with milliseconds, e.g. 2026-01-31T12:00:00.123Z.
std::string isoTimeNow();

}  // namespace camlabel::project
