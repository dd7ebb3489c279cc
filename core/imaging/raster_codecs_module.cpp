// SPDX-License-Identifier: Apache-2.0
// libcamlabel_codecs.so: the only code that calls OpenCV's imgcodecs for camlabel_base, loaded
// on first use by raster_codecs.cpp. C entry points, C++ objects of the same compiler behind them;
// no exception crosses the boundary.

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

extern "C" {

__attribute__((visibility("default"))) bool camlabel_decode_raster(
    const std::vector<std::uint8_t>* bytes, cv::Mat* out, std::string* error) {
  try {
    *out = cv::imdecode(*bytes, cv::IMREAD_UNCHANGED);
    return true;
  } catch (const cv::Exception& e) {
    *error = e.err;
  } catch (const std::exception& e) {
    *error = e.what();
  }
  return false;
}

/// 1: encoded; 0: no encoder takes it; -1: an encoder threw (message in error).
__attribute__((visibility("default"))) int camlabel_encode_raster(const std::string* extension,
                                                                  const cv::Mat* image,
                                                                  std::vector<std::uint8_t>* out,
                                                                  std::string* error) {
  try {
    return cv::imencode(*extension, *image, *out) ? 1 : 0;
  } catch (const cv::Exception& e) {
    *error = e.err;
  } catch (const std::exception& e) {
    *error = e.what();
  }
  return -1;
}

}  // extern "C"
