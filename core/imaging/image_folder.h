// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <vector>

namespace camlabel::imaging {

/// True for the extensions camlabel imports: .dcm/.dicom, .png, .jpg/.jpeg, .tif/.tiff, .bmp
/// (any case).
bool hasImageExtension(const std::filesystem::path& path);

/// True when the file starts as a DICOM Part 10 file does (128 bytes of preamble, then "DICM"),
/// whatever its name: how the files of a CD (DICOM/ST0/SE0/IM1) or a PACS export (named by
/// their UIDs) are found. Reads 132 bytes.
bool looksLikeDicomFile(const std::filesystem::path& path);

/// The image files under folder (recursively when asked), in natural order of their paths
/// relative to folder: files with an image extension, DICOM files by content whatever their
/// name, and the files a DICOMDIR lists (even those written without the preamble), each once.
/// A DICOMDIR that cannot be read is listed itself (its import says why) and adds nothing.
/// Unreadable sub-folders are skipped. Throws camlabel::Error when folder itself cannot be
/// listed.
std::vector<std::filesystem::path> listImageFiles(const std::filesystem::path& folder,
                                                  bool recursive = true);

}  // namespace camlabel::imaging
