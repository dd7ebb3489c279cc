// SPDX-License-Identifier: Apache-2.0
#include "core/project/image_import.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/sha256.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/image_folder.h"

namespace camlabel::project {

namespace fs = std::filesystem;

std::string naturalSortKey(std::string_view path) {
  std::string key;
  key.reserve(path.size() + 8);
  for (std::size_t i = 0; i < path.size();) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (!std::isdigit(c)) {
      key.push_back(static_cast<char>(std::tolower(c)));
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < path.size() && std::isdigit(static_cast<unsigned char>(path[end])))
      ++end;
    std::size_t first = i;
    while (first + 1 < end && path[first] == '0')
      ++first;
    // The digit count first, so that a longer number sorts after a shorter one.
    char length[8];
    std::snprintf(length, sizeof length, "%03zu", end - first);
    key += length;
    key.append(path.substr(first, end - first));
    i = end;
  }
  return key;
}

namespace {

/// A number as a fixed-width decimal that sorts bytewise as the numbers do.
std::string sortableNumber(std::int64_t value, std::int64_t offset) {
  char text[24];
  std::snprintf(text, sizeof text, "%011lld", static_cast<long long>(value + offset));
  return text;
}

}  // namespace

std::string importSortKey(std::string_view relativePath, const imaging::SlicePlacement& placement) {
  const bool placed = !placement.studyKey.empty() || !placement.seriesKey.empty() ||
                      placement.seriesNumber || placement.instanceNumber || placement.positionMm;
  if (!placed) return naturalSortKey(relativePath);
  // The top-level folder keeps its place among the others (one patient's or one CD's folder);
  // inside it, "\x01" puts the DICOM slices first, then fixed-width fields separated by spaces.
  std::string key;
  if (const auto slash = relativePath.find('/'); slash != std::string_view::npos)
    key = naturalSortKey(relativePath.substr(0, slash + 1));
  key += '\x01';
  key += placement.studyKey;
  key += ' ';
  constexpr std::int64_t kIntOffset = std::int64_t{1} << 31;
  key += placement.seriesNumber ? sortableNumber(*placement.seriesNumber, kIntOffset) : "~";
  key += ' ';
  key += placement.seriesKey;
  key += ' ';
  if (placement.positionMm) {
    // Head first: a larger position (towards the head in an axial CT) sorts earlier. In
    // micrometres, within a kilometre either way.
    const double mm = std::clamp(*placement.positionMm, -1e6, 1e6);
    key += sortableNumber(-std::llround(mm * 1000.0), 1'000'000'000);
  } else {
    key += '~';
  }
  key += ' ';
  key += placement.instanceNumber ? sortableNumber(*placement.instanceNumber, kIntOffset) : "~";
  key += ' ';
  key += naturalSortKey(relativePath);
  return key;
}

std::string describeSkipped(const ImportReport& report) {
  std::string text;
  for (int kind = 0; kind < imaging::kNotASliceKinds; ++kind) {
    const int count = report.skipped[static_cast<std::size_t>(kind)];
    if (count == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(count) + " " +
            imaging::notASliceNoun(static_cast<imaging::NotASlice>(kind), count);
  }
  return text;
}

std::string whyNothingAdded(const ImportReport& report) {
  if (report.added > 0) return {};
  const std::string skipped = describeSkipped(report);
  const bool none = skipped.empty() && report.failures.empty() && report.duplicates == 0 &&
                    report.alreadyImported == 0;
  if (none)
    return "no image file was found: camlabel imports DICOM files (by their content, whatever "
           "their names, and those a DICOMDIR lists), PNG, JPEG, TIFF and BMP.";
  std::string why = "nothing was added:";
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on " " + std::to_string(...).
  if (report.alreadyImported + report.duplicates > 0)
    why.append(" ")
        .append(std::to_string(report.alreadyImported + report.duplicates))
        .append(" already in the project;");
  if (!skipped.empty()) why.append(" skipped as not slices to label: ").append(skipped).append(";");
  if (!report.failures.empty())
    why.append(" ").append(std::to_string(report.failures.size())).append(" could not be read;");
  why.back() = '.';
  return why;
}

ImportReport importInBatches(
    const fs::path& imageRoot, const std::optional<fs::path>& folder,
    const std::function<bool(const std::string& relativePath)>& known,
    const std::function<void(const std::vector<ImportCandidate>&, ImportReport&)>& store,
    std::chrono::milliseconds commitEvery, bool keepOnCancel, ProgressDelegate* progress) {
  const std::vector<fs::path> files = importFiles(imageRoot, folder);
  ImportReport report;
  if (const auto slices = datasetSlicesFolder(imageRoot); slices && !folder)
    report.slicesFolder = slices->lexically_relative(imageRoot).generic_string();
  std::vector<ImportCandidate> batch;
  auto batchStart = std::chrono::steady_clock::now();
  const long total = static_cast<long>(files.size());
  try {
    for (long i = 0; i < total; ++i) {
      reportProgress(progress, i, total, "Importing images");
      const fs::path& file = files[static_cast<std::size_t>(i)];
      const std::string rel = file.lexically_relative(imageRoot).generic_string();
      if (known(rel)) {
        ++report.alreadyImported;
        continue;
      }
      try {
        // The header only: decoding every pixel would make import as slow as viewing every
        // image. What a header cannot show (damaged compressed pixel data) is reported with the
        // file's name when the image is first shown.
        batch.push_back(readImportCandidate(imageRoot, file));
        report.bytesHashed += batch.back().sizeBytes;
      } catch (const imaging::NotASliceError& e) {
        ++report.skipped[static_cast<std::size_t>(e.kind())];
      } catch (const InputError& e) {
        report.failures.push_back({rel, e.reason()});
      } catch (const fs::filesystem_error& e) {
        report.failures.push_back({rel, e.code().message()});
      }
      if (std::chrono::steady_clock::now() - batchStart >= commitEvery) {
        store(batch, report);
        batch.clear();
        batchStart = std::chrono::steady_clock::now();
      }
    }
  } catch (const Cancelled&) {
    if (keepOnCancel) store(batch, report);
    throw;
  }
  store(batch, report);
  reportProgress(progress, total, total, "Importing images");
  return report;
}

std::optional<fs::path> datasetSlicesFolder(const fs::path& imageRoot) {
  std::error_code ec;
  if (fs::is_directory(imageRoot / "images", ec) && fs::is_directory(imageRoot / "masks", ec) &&
      fs::is_regular_file(imageRoot / "labels.csv", ec))
    return imageRoot / "images";
  return std::nullopt;
}

std::vector<fs::path> importFiles(const fs::path& imageRoot,
                                  const std::optional<fs::path>& folder) {
  std::error_code ec;
  fs::path from = imageRoot;
  if (folder) {
    from = fs::weakly_canonical(fs::absolute(*folder), ec);
  } else if (const auto slices = datasetSlicesFolder(imageRoot)) {
    from = *slices;
  }
  const fs::path inside = from.lexically_relative(imageRoot);
  if (inside.empty() || *inside.begin() == "..")
    throw Error("the folder '" + from.string() + "' is not inside the project's image folder '" +
                imageRoot.string() + "'.");
  return imaging::listImageFiles(from, true);
}

ImportCandidate readImportCandidate(const fs::path& imageRoot, const fs::path& file) {
  ImportCandidate c;
  c.relativePath = file.lexically_relative(imageRoot).generic_string();
  // The header first: an object that is not a slice is skipped before its content is hashed.
  const imaging::ImageProbe probe = imaging::probeImage(file);
  if (probe.notASlice)
    throw imaging::NotASliceError(
        file.string(), *probe.notASlice,
        "not a slice to label: a " + imaging::notASliceNoun(*probe.notASlice, 1));
  c.sha256 = sha256File(file);
  c.sizeBytes = static_cast<std::int64_t>(fs::file_size(file));
  c.sortKey = importSortKey(c.relativePath, probe.placement);
  c.placement = probe.placement;
  if (probe.frameCount > 1)
    throw InputError(file.string(),
                     "the DICOM file has " + std::to_string(probe.frameCount) +
                         " frames; a project holds single slices, so save each frame as a file "
                         "of its own (e.g. with dcmtk's dcmconv or gdcm)");
  c.format = imaging::formatName(probe.format);
  c.modality = probe.modality;
  c.width = probe.width;
  c.height = probe.height;
  return c;
}

}  // namespace camlabel::project
