// SPDX-License-Identifier: Apache-2.0
#include "core/session/demo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <system_error>
#include <vector>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/imaging/phantom.h"

namespace camlabel::session {
namespace detail {
extern const unsigned char kDemoCtSlice[];
extern const std::size_t kDemoCtSliceSize;
}  // namespace detail

namespace {

namespace fs = std::filesystem;

constexpr const char* kStagingFolder = ".demo-staging";
constexpr const char* kRealSliceName = "CT_small.dcm";
constexpr int kMaxPerClass = 10000;
// Shares of the whole job, for progress: drawing the slices dominates, import hashes and
// decodes every file once.
constexpr double kPhantomShare = 0.75;
constexpr double kArrangeShare = 0.05;

[[noreturn]] void fail(const fs::path& dir, const std::string& reason) {
  std::string message = "cannot create the demo project in '";
  message.append(dir.string()).append("': ").append(reason);
  throw Error(message);
}

void validate(const fs::path& dir, const DemoOptions& options) {
  if (options.perClass < 2)
    fail(dir, "it needs at least 2 slices per pattern (one to label, one held out), got " +
                  std::to_string(options.perClass) + ".");
  if (options.perClass > kMaxPerClass)
    fail(dir, "at most " + std::to_string(kMaxPerClass) + " slices per pattern, got " +
                  std::to_string(options.perClass) + ".");
  if (options.size < 64 || options.size > 4096)
    fail(dir,
         "the slice size must be 64 to 4096 pixels, got " + std::to_string(options.size) + ".");
  if (!(options.heldOutShare > 0 && options.heldOutShare < 1))
    fail(dir, "the held-out share must lie strictly between 0 and 1, got " +
                  std::to_string(options.heldOutShare) + ".");
  // The phantom draws the ILD patterns of the "pattern" scheme; any other names would be wrong.
  if (options.project.scheme.name != "pattern" ||
      static_cast<int>(options.project.scheme.classes.size()) != imaging::kPhantomClassCount)
    fail(dir,
         "the phantom slices show the 10 ILD patterns, so the project needs the built-in "
         "'pattern' class scheme, not '" +
             options.project.scheme.name + "'.");
}

/// Refuses a folder that is not empty; returns whether it had to be created.
bool prepareFolder(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) fail(dir, "it exists and is not a folder.");
    if (project::isProjectFolder(dir))
      fail(dir, "it already holds a camlabel project; choose a new or empty folder.");
    const fs::directory_iterator entries(dir, ec);
    if (ec) fail(dir, ec.message() + ".");
    if (entries != fs::directory_iterator())
      fail(dir,
           "the folder is not empty; choose a new or empty folder, so nothing is overwritten.");
    return false;
  }
  fs::create_directories(dir, ec);
  if (ec) fail(dir, ec.message() + ".");
  return true;
}

/// Removes what a failed run wrote: every entry of dir, which was empty or missing before.
void removeWritten(const fs::path& dir, bool created) noexcept {
  std::error_code ec;
  if (created) {
    fs::remove_all(dir, ec);
    return;
  }
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(it->path());
  for (const fs::path& entry : entries)
    fs::remove_all(entry, ec);
}

void createFolder(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw Error("cannot create the folder '" + path.string() + "': " + ec.message() + ".");
}

void moveFile(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec)
    throw Error("cannot move '" + from.string() + "' to '" + to.string() + "': " + ec.message() +
                ".");
}

/// Which slices of the set are held out: per pattern, the last n of its slices in set order (the
/// set is shuffled, so these are a random sample of the pattern).
std::vector<bool> chooseHeldOut(const std::vector<imaging::PhantomSetEntry>& entries,
                                int perPattern) {
  std::vector<bool> heldOut(entries.size(), false);
  std::array<int, imaging::kPhantomClassCount> taken{};
  for (std::size_t i = entries.size(); i-- > 0;) {
    int& n = taken[static_cast<std::size_t>(entries[i].label)];
    if (n < perPattern) {
      heldOut[i] = true;
      ++n;
    }
  }
  return heldOut;
}

DemoReport build(const fs::path& dir, const DemoOptions& options, ProgressDelegate* progress) {
  const fs::path staging = dir / kStagingFolder;
  const fs::path imageRoot = dir / "images";
  const fs::path heldOutDir = dir / "held_out";

  imaging::PhantomSetOptions set;
  set.count = options.perClass * imaging::kPhantomClassCount;
  set.seed = options.seed;
  set.size = options.size;
  ProgressRange phantomProgress(progress, 0, kPhantomShare);
  const std::vector<imaging::PhantomSetEntry> entries =
      imaging::writePhantomSet(staging, set, &phantomProgress);

  const int heldOutPerPattern =
      std::clamp(static_cast<int>(std::lround(options.perClass * options.heldOutShare)), 1,
                 options.perClass - 1);
  const std::vector<bool> heldOut = chooseHeldOut(entries, heldOutPerPattern);

  for (const fs::path& folder : {imageRoot / "phantom", imageRoot / "real", dir / "masks",
                                 heldOutDir / "images", heldOutDir / "masks"})
    createFolder(folder);
  DemoReport report;
  report.projectDir = dir;
  report.labelsCsv = dir / "labels.csv";
  report.heldOutCsv = heldOutDir / "labels.csv";
  std::string labels = "file,label\n";
  std::string heldOutLabels = "file,label\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const imaging::PhantomSetEntry& e = entries[i];
    const fs::path name = fs::path(e.file).filename();
    const std::string label = std::to_string(e.label);
    if (heldOut[i]) {
      moveFile(staging / e.file, heldOutDir / "images" / name);
      moveFile(staging / e.maskFile, heldOutDir / "masks" / name);
      heldOutLabels.append("images/").append(name.string()).append(",").append(label).append("\n");
      ++report.heldOutImages;
    } else {
      moveFile(staging / e.file, imageRoot / "phantom" / name);
      moveFile(staging / e.maskFile, dir / "masks" / name);
      labels.append("phantom/").append(name.string()).append(",").append(label).append("\n");
      ++report.phantomImages;
    }
  }
  writeFileAtomically(report.labelsCsv, labels);
  writeFileAtomically(report.heldOutCsv, heldOutLabels);
  const std::string_view ct = demoCtSlice();
  writeFileAtomically(imageRoot / "real" / kRealSliceName, ct.data(), ct.size());
  report.realImages = 1;
  std::error_code ec;
  fs::remove_all(staging, ec);
  if (ec)
    throw Error("cannot remove the temporary folder '" + staging.string() + "': " + ec.message() +
                ".");
  if (!ProgressRange(progress, kPhantomShare, kPhantomShare + kArrangeShare)
           .update(1, "arranging the demo images"))
    throw Cancelled();

  project::ProjectSettings settings = options.project;
  settings.imageRoot = imageRoot;
  if (settings.seed == 0) settings.seed = static_cast<std::int64_t>(options.seed);
  auto project = project::Project::create(dir, settings);
  ProgressRange importProgress(progress, kPhantomShare + kArrangeShare, 1);
  report.import = project->importImages(std::nullopt, &importProgress);
  const int expected = report.phantomImages + report.realImages;
  if (!report.import.failures.empty())
    fail(dir, "the image '" + report.import.failures.front().path +
                  "' could not be imported: " + report.import.failures.front().reason);
  if (report.import.added != expected)
    fail(dir, "expected to import " + std::to_string(expected) + " images, imported " +
                  std::to_string(report.import.added) + ".");
  return report;
}

}  // namespace

DemoReport createDemoProject(const fs::path& dir, const DemoOptions& options,
                             ProgressDelegate* progress) {
  fs::path target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "demo/" names "demo"
  validate(target, options);
  const bool created = prepareFolder(target);
  try {
    DemoReport report = build(target, options, progress);
    // Done: a cancel asked for now has nothing left to stop.
    if (progress != nullptr) progress->update(1.0, "demo project ready");
    return report;
  } catch (...) {
    removeWritten(target, created);
    throw;
  }
}

std::string_view demoCtSlice() {
  return {reinterpret_cast<const char*>(detail::kDemoCtSlice), detail::kDemoCtSliceSize};
}

}  // namespace camlabel::session
