#include "core/imaging/image_folder.h"

#include <algorithm>
#include <array>
#include <string>

#include "core/common/error.h"
#include "core/common/natural_sort.h"

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

std::vector<fs::path> listImageFiles(const fs::path& folder, bool recursive) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw InputError(folder.string(), "not a folder");
  std::vector<fs::path> files;
  auto consider = [&](const fs::directory_entry& entry) {
    std::error_code typeError;
    if (entry.is_regular_file(typeError) && hasImageExtension(entry.path()))
      files.push_back(entry.path());
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
  return files;
}

}  // namespace camlabel::imaging
