// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace camlabel::test {

/// What writeCdFolder wrote: the slices to label, in the order a project must list them (series by
/// series, head to foot), and the objects an import must skip.
struct CdFolder {
  std::vector<std::string> slicesInOrder;  ///< relative to the folder, '/' separators
  int structuredReports = 0;
  int localizers = 0;
  int dicomDirectories = 0;
  /// Identifiers written into every file (patient name and ID, institution, study and series
  /// UIDs): none may reach a project, a log or an export.
  std::vector<std::string> identifiers;
  std::string studyInstanceUid;  ///< the one study every file belongs to
  std::string patientId;
};

/// Writes a folder laid out as a patient CD or a PACS export writes one: a DICOMDIR at the root
/// and DICOM/ST0/SE<n>/IM<m> files without an extension. Two axial series of 16 x 16 CT slices
/// whose file names run against their positions (IM1 is the lowest slice), one slice written
/// without the Part 10 preamble (found through the DICOMDIR only), a localizer and a structured
/// report. Each file names a (made-up) patient and institution, as real files do.
CdFolder writeCdFolder(const std::filesystem::path& dir);

/// Writes a DICOMDIR at path whose records reference the given File IDs (components as the
/// standard writes them, e.g. {"DICOM", "ST0", "SE0", "IM1"}).
void writeDicomDirectory(const std::filesystem::path& path,
                         const std::vector<std::vector<std::string>>& fileIds);

/// Copies a multi-frame DICOM file (tests/data/rtdose.dcm) to `to` as an enhanced CT: its SOP
/// class and modality say CT, its frames stay.
void copyAsEnhancedCt(const std::filesystem::path& multiFrame, const std::filesystem::path& to);

}  // namespace camlabel::test
