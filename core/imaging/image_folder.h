#pragma once

#include <filesystem>
#include <vector>

namespace camlabel::imaging {

/// True for the extensions camlabel imports: .dcm/.dicom, .png, .jpg/.jpeg, .tif/.tiff, .bmp
/// (any case). Extension-less files are not listed: name them or import them one by one.
bool hasImageExtension(const std::filesystem::path& path);

/// The image files under folder (recursively when asked), in natural order of their paths
/// relative to folder. Unreadable sub-folders are skipped. Throws camlabel::Error when folder
/// itself cannot be listed.
std::vector<std::filesystem::path> listImageFiles(const std::filesystem::path& folder,
                                                  bool recursive = true);

}  // namespace camlabel::imaging
