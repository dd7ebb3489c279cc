// SPDX-License-Identifier: Apache-2.0
#pragma once
// OpenCV's image codecs (imgcodecs), loaded when an image is first decoded or encoded rather than
// when a program starts. Debian's OpenCV brings some 130 libraries with its codecs (GDAL, GDCM,
// OpenEXR, ...): about 70 ms and 50 MB at the start of every process that links them, more than
// all the rest of camlabel-cli needs for `info` on a DICOM file (issue 14). They live in a module
// of their own, libcamlabel_codecs.so, looked for beside the program, then in
// ../libexec/camlabel, then where the build tree put it.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace camlabel::imaging::detail {

/// A decoder or encoder threw; what() is OpenCV's message.
class RasterCodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// cv::imdecode(bytes, IMREAD_UNCHANGED): an empty Mat for data no decoder takes. Throws
/// RasterCodecError for a decoder's exception, camlabel::Error when the codecs cannot be loaded.
cv::Mat decodeRaster(const std::vector<std::uint8_t>& bytes);

/// cv::imencode(extension, image, out): false when no encoder takes it. Throws as decodeRaster.
bool encodeRaster(const std::string& extension, const cv::Mat& image,
                  std::vector<std::uint8_t>& out);

}  // namespace camlabel::imaging::detail
