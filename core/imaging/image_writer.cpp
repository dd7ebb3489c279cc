// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/image_writer.h"

#include <vector>

#include <opencv2/core.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/imaging/raster_codecs.h"

namespace camlabel::imaging {

void writeImageFile(const std::filesystem::path& path, const cv::Mat& image) {
  std::vector<std::uint8_t> encoded;
  try {
    if (!detail::encodeRaster(path.extension().string(), image, encoded))
      throw Error("cannot write '" + path.string() + "': the image cannot be encoded as " +
                  path.extension().string());
  } catch (const detail::RasterCodecError& e) {
    throw Error("cannot write '" + path.string() + "': " + e.what());
  }
  writeFileAtomically(path, encoded.data(), encoded.size());
}

}  // namespace camlabel::imaging
