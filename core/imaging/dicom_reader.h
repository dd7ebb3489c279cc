// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <vector>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging::detail {

/// Registers DCMTK's decoders and turns its log off (its messages can quote element values, and
/// patient identifiers must never reach a log); once per process, from any thread.
void initialiseDcmtk();

/// Reads one frame of a DICOM image with DCMTK (files with or without the Part 10 preamble).
/// Throws InputError with the reason; never logs a data element's value.
CtImage readDicom(const std::filesystem::path& path, const ReadOptions& options);

/// The header checks of readDicom without reading the pixel data (DCMTK seeks past it).
/// Throws InputError with the reason; never logs a data element's value.
ImageProbe probeDicom(const std::filesystem::path& path, const ReadOptions& options);

/// The files a DICOMDIR lists (its records' Referenced File IDs, resolved under the DICOMDIR's
/// folder, letter case ignored as a CD read without its long names needs), in the order listed,
/// existing regular files only. A File ID with an empty, "." or ".." component or a separator in
/// one is ignored: a DICOMDIR cannot point outside its folder. Throws InputError with the reason
/// for a file that is not a readable DICOMDIR.
std::vector<std::filesystem::path> readDicomDirectory(const std::filesystem::path& path);

}  // namespace camlabel::imaging::detail
