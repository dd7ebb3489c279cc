#pragma once

#include <filesystem>
#include <optional>

#include <opencv2/core/mat.hpp>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// Writes a Hounsfield image (CV_32FC1) as an uncompressed CT DICOM file (Explicit VR Little
/// Endian): 16-bit unsigned stored values SV = round(HU) + 1024 clamped to [0, 65535], Rescale
/// Intercept -1024, Slope 1, so a reader that applies the rescale gets HU back. No patient
/// identifiers are written (Patient's Name and ID are empty). Written to a temporary file and
/// renamed. Throws camlabel::Error on failure.
void writeCtDicom(const std::filesystem::path& path, const cv::Mat& hu, double pixelSpacingMm = 0.7,
                  std::optional<Window> window = std::nullopt);

}  // namespace camlabel::imaging
