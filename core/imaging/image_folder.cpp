// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/image_folder.h"

#include <algorithm>
#include <array>
#include <string>

#include "core/common/error.h"
#include "core/common/natural_sort.h"
#include "core/imaging/dicom_reader.h"
#include "core/imaging/file_signature.h"

namespace camlabel::imaging {

namespace fs = std::filesystem;

bool hasImageExtension(const fs::path& path) {
  static constexpr std::array<std::string_view, 9> kExtensions{
      ".dcm", ".dicom", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".dib"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

bool looksLikeDicomFile(const fs::path& path) {
  try {
    return sniffFile(path) == ImageFormat::Dicom;
  } catch (const InputError&) {
    return false;  // unreadable: not listed, as an unreadable sub-folder is not
  }
}

std::vector<fs::path> listImageFiles(const fs::path& folder, bool recursive) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw InputError(folder.string(), "not a folder");
  std::vector<fs::path> files;
  auto consider = [&](const fs::directory_entry& entry) {
    std::error_code typeError;
    if (!entry.is_regular_file(typeError)) return;
    const fs::path& path = entry.path();
    if (hasImageExtension(path)) {
      files.push_back(path);
      return;
    }
    if (!looksLikeDicomFile(path)) return;
    files.push_back(path);
    if (path.filename() != "DICOMDIR" && path.filename() != "dicomdir") return;
    try {
      for (fs::path& listed : detail::readDicomDirectory(path)) {
        const fs::path inside = listed.lexically_relative(folder);
        if (!inside.empty() && *inside.begin() != "..") files.push_back(std::move(listed));
      }
    } catch (const InputError&) {
      // The DICOMDIR stays listed: importing it reports why it cannot be read.
    }
  };
  const auto options = fs::directory_options::skip_permission_denied;
  if (recursive) {
    fs::recursive_directory_iterator it(folder, options, ec);
    if (ec) throw InputError(folder.string(), ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      consider(*it);
    }
  } else {
    fs::directory_iterator it(folder, options, ec);
    if (ec) throw InputError(folder.string(), ec.message());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      consider(*it);
    }
  }
  std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
    return naturalLess(a.lexically_relative(folder).string(),
                       b.lexically_relative(folder).string());
  });
  // A file both found by content and listed by a DICOMDIR (or by two DICOMDIRs) is listed once.
  files.erase(std::unique(files.begin(), files.end(),
                          [](const fs::path& a, const fs::path& b) {
                            return a.lexically_normal() == b.lexically_normal();
                          }),
              files.end());
  return files;
}

}  // namespace camlabel::imaging
