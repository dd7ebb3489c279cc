// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/image_writer.h"

#include <cctype>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/imaging/png_writer.h"
#include "core/imaging/raster_codecs.h"

namespace camlabel::imaging {

namespace {

bool isPng(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  for (char& c : extension)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension == ".png";
}

}  // namespace

void writeImageFile(const std::filesystem::path& path, const cv::Mat& image) {
  std::vector<std::uint8_t> encoded;
  if (isPng(path) && detail::pngEncodable(image)) {
    try {
      encoded = detail::encodePng(image);
    } catch (const Error& e) {
      throw Error("cannot write '" + path.string() + "': " + e.what());
    }
  } else {
    try {
      if (!detail::encodeRaster(path.extension().string(), image, encoded))
        throw Error("cannot write '" + path.string() + "': the image cannot be encoded as " +
                    path.extension().string());
    } catch (const detail::RasterCodecError& e) {
      throw Error("cannot write '" + path.string() + "': " + e.what());
    }
  }
  writeFileAtomically(path, encoded.data(), encoded.size());
}

}  // namespace camlabel::imaging
