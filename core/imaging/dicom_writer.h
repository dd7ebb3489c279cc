// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <opencv2/core/mat.hpp>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// Where a written slice lies: slices written with the same study and series UIDs are one series,
/// ordered by instance number and position, as a scanner writes them.
struct DicomSlicePlace {
  std::string studyUid;
  std::string seriesUid;
  std::string frameOfReferenceUid;
  int seriesNumber = 1;
  int instanceNumber = 1;
  double zMm = 0;  ///< Image Position (Patient) z of the axial slice, larger towards the head
};

/// A new study and series (fresh UIDs) for the slices of one written series, at instance 1, z 0.
DicomSlicePlace newDicomSeries(int seriesNumber = 1);

/// Writes a Hounsfield image (CV_32FC1) as an uncompressed CT DICOM file (Explicit VR Little
/// Endian): 16-bit unsigned stored values SV = round(HU) + 1024 clamped to [0, 65535], Rescale
/// Intercept -1024, Slope 1, so a reader that applies the rescale gets HU back. No patient
/// identifiers are written (Patient's Name and ID are empty). Written to a temporary file and
/// renamed. Without place the file is a study and series of its own. Throws camlabel::Error on
/// failure.
void writeCtDicom(const std::filesystem::path& path, const cv::Mat& hu, double pixelSpacingMm = 0.7,
                  std::optional<Window> window = std::nullopt,
                  const std::optional<DicomSlicePlace>& place = std::nullopt);

}  // namespace camlabel::imaging
