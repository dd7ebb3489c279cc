// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/project/project.h"

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::session {

struct DemoOptions {
  int perClass = 30;          ///< phantom slices per pattern (10 patterns), held-out ones included
  int size = 256;             ///< pixels per side of each phantom slice, 64..4096
  std::uint64_t seed = 1;     ///< same seed, same pixels, same split
  double heldOutShare = 0.2;  ///< share of each pattern kept out of the project for `eval`
  /// The new project's settings; imageRoot is replaced by DIR/images, a seed of 0 by seed, and
  /// the scheme must be the built-in "pattern" scheme (the default), whose classes the phantom
  /// draws.
  project::ProjectSettings project;
};

struct DemoReport {
  std::filesystem::path projectDir;  ///< DIR, absolute
  std::filesystem::path labelsCsv;   ///< DIR/labels.csv
  std::filesystem::path heldOutCsv;  ///< DIR/held_out/labels.csv
  int phantomImages = 0;             ///< phantom slices in the project (all in labels.csv)
  int heldOutImages = 0;             ///< phantom slices in DIR/held_out only
  int realImages = 0;                ///< real CT slices in the project (unlabelled)
  project::ImportReport import;
};

/// Creates the demo project: synthetic chest slices of all 10 ILD patterns (imaging::
/// writePhantomSet) plus one real CT slice, laid out so that DIR is itself the project:
///
///   DIR/project.sqlite, DIR/models/   the project (Project::create(DIR)), closed on return
///   DIR/images/                       its image root, every file imported, none labelled yet
///     phantom/phantom_NNNN.png        phantom slices to label (16-bit PNG, HU + 1024)
///     real/CT_small.dcm               the real slice (pydicom's, MIT; see resources/demo)
///   DIR/labels.csv                    "file,label" for images/phantom, file relative to the
///                                     image root, in label order: the input of
///                                     `camlabel-cli label DIR --from DIR/labels.csv`
///   DIR/masks/phantom_NNNN.png        lesion mask of each slice in images/phantom
///   DIR/held_out/images/, masks/      slices that never enter the project, for `eval`
///   DIR/held_out/labels.csv           "file,label", file relative to DIR/held_out (the phantom
///                                     set's own format)
///
/// Each pattern has perClass slices of which round(perClass * heldOutShare), clamped to
/// [1, perClass - 1], are held out (so perClass >= 2 and 0 < heldOutShare < 1). Deterministic for
/// equal options. DIR must be missing or empty: a project, or anything else, already there is
/// refused with camlabel::Error before anything is written, as are bad options. On any failure, or
/// Cancelled from progress, what was written is removed again.
DemoReport createDemoProject(const std::filesystem::path& dir, const DemoOptions& options = {},
                             ProgressDelegate* progress = nullptr);

/// The bytes of the embedded real CT slice (resources/demo/CT_small.dcm).
std::string_view demoCtSlice();

}  // namespace camlabel::session
