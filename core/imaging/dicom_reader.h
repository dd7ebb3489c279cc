#pragma once

#include <filesystem>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging::detail {

/// Reads one frame of a DICOM image with DCMTK (files with or without the Part 10 preamble).
/// Throws InputError with the reason; never logs a data element's value.
CtImage readDicom(const std::filesystem::path& path, const ReadOptions& options);

/// The header checks of readDicom without reading the pixel data (DCMTK seeks past it).
/// Throws InputError with the reason; never logs a data element's value.
ImageProbe probeDicom(const std::filesystem::path& path, const ReadOptions& options);

}  // namespace camlabel::imaging::detail
