// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reading a folder of images for a project: which files, what each one is (hash, header, where a
// DICOM slice lies), in what order, and what the import reports. No database here: Project stores
// what these functions read (Project::importImages, addImportCandidates).

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/imaging/dicom_object.h"

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::project {

struct ImportFailure {
  std::string path;  ///< relative to the image root
  std::string reason;
};

struct ImportReport {
  /// Set when the image folder is a labelled dataset and only its slices were imported
  /// (datasetSlicesFolder): the folder they came from, relative to the image root.
  std::string slicesFolder;
  int added = 0;
  int duplicates = 0;       ///< same content (SHA-256) as an image already in the project
  int alreadyImported = 0;  ///< same relative path as an image already in the project
  /// Readable DICOM objects that are not slices to label (reports, localizers, a DICOMDIR, ...),
  /// counted by imaging::NotASlice.
  std::array<int, imaging::kNotASliceKinds> skipped{};
  std::vector<ImportFailure> failures;
  std::int64_t bytesHashed = 0;
};

/// "1 structured report, 2 localizers": the skipped objects of a report, in English; empty when
/// none was skipped.
std::string describeSkipped(const ImportReport& report);

/// One line that says why an import added nothing, or empty when it added something: no image
/// file found, every one already there, or what was skipped and failed instead.
std::string whyNothingAdded(const ImportReport& report);

/// An image file read for import (content hash and header), not yet stored.
struct ImportCandidate {
  std::string relativePath;  ///< generic '/' separators, relative to the image root
  /// The image's place in the project's order (importSortKey); naturalSortKey(relativePath) when
  /// empty.
  std::string sortKey;
  imaging::SlicePlacement placement;  ///< DICOM: its series and position, stored beside it
  std::string sha256;
  std::int64_t sizeBytes = 0;
  std::string format;
  std::string modality;
  int width = 0;
  int height = 0;
};

/// The folder of a labelled dataset's slices: imageRoot/images when imageRoot holds `images/`
/// beside `masks/` (lesion masks named as the slices, which are not slices to label) and a
/// `labels.csv`, as `camlabel-cli phantom` writes them. std::nullopt: the folder is imported as it
/// is.
std::optional<std::filesystem::path> datasetSlicesFolder(const std::filesystem::path& imageRoot);

/// The image files under folder (default: imageRoot, or its datasetSlicesFolder; imageRoot must
/// be canonical; folder must lie
/// inside it), recursively, in natural order: what importImages goes through. Throws
/// camlabel::Error for a folder outside the root or one that cannot be listed.
std::vector<std::filesystem::path> importFiles(
    const std::filesystem::path& imageRoot,
    const std::optional<std::filesystem::path>& folder = std::nullopt);

/// Reads what importImages stores for file (a file under imageRoot): hash, size and header, as
/// importImages checks them, touching no project. Throws camlabel::InputError for a file that is
/// not a readable single-slice image, std::filesystem::filesystem_error when it cannot be read.
ImportCandidate readImportCandidate(const std::filesystem::path& imageRoot,
                                    const std::filesystem::path& file);

/// The import loop of importImages, for a store reached through the caller's own locking: goes
/// through importFiles(imageRoot, folder), skips (and counts) each path `known` reports as
/// imported, reads the others with readImportCandidate outside any lock (listing unreadable ones
/// as failures), and hands them to `store` in batches every `commitEvery`, then the rest. When
/// progress cancels, the batch read so far is stored if `keepOnCancel`, else dropped, and
/// Cancelled is rethrown.
ImportReport importInBatches(
    const std::filesystem::path& imageRoot, const std::optional<std::filesystem::path>& folder,
    const std::function<bool(const std::string& relativePath)>& known,
    const std::function<void(const std::vector<ImportCandidate>&, ImportReport&)>& store,
    std::chrono::milliseconds commitEvery, bool keepOnCancel, ProgressDelegate* progress);

/// The sort key stored at import: compared bytewise it orders paths as naturalLess does for
/// ordinary names (digit runs by value, letters case-insensitively).
std::string naturalSortKey(std::string_view path);

/// The sort key of an imported image: a DICOM slice that names its study, series or position
/// sorts, within the top-level folder it is in, by study, then series number, then position along
/// the slice normal from head to foot, then instance number, then name, and before the other
/// images of that folder; any other image by naturalSortKey(relativePath).
std::string importSortKey(std::string_view relativePath, const imaging::SlicePlacement& placement);

}  // namespace camlabel::project
