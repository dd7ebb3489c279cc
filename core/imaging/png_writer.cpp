// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/png_writer.h"

#include <png.h>
#include <zlib.h>

#include <bit>
#include <cstring>
#include <string>

#include "core/common/error.h"

namespace camlabel::imaging::detail {

namespace {

/// libpng reports errors by longjmp: the message is kept here for the exception thrown once
/// control is back in C++ (no C++ object lives in a frame that a longjmp skips).
struct Failure {
  char message[200] = {};
};

void onError(png_structp png, png_const_charp message) {
  auto* failure = static_cast<Failure*>(png_get_error_ptr(png));
  std::strncpy(failure->message, message, sizeof failure->message - 1);
  png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}  // nothing a user could act on

void append(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  try {
    out->insert(out->end(), data, data + length);
  } catch (const std::exception&) {
    png_error(png, "out of memory");  // no exception may cross libpng's C frames
  }
}

void flush(png_structp) {}

/// Encodes into `out`; false with `failure` filled when libpng fails. Only trivially destructible
/// objects live here besides the caller's vectors, which outlive the longjmp.
bool encodeInto(const cv::Mat& image, const std::vector<png_bytep>& rows,
                std::vector<std::uint8_t>& out, Failure& failure) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, onError, onWarning);
  if (png == nullptr) {
    std::strncpy(failure.message, "libpng could not start", sizeof failure.message - 1);
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    if (failure.message[0] == '\0')
      std::strncpy(failure.message, "libpng could not start", sizeof failure.message - 1);
    return false;
  }
  const int channels = image.channels();
  const int colorType = channels == 1   ? PNG_COLOR_TYPE_GRAY
                        : channels == 3 ? PNG_COLOR_TYPE_RGB
                                        : PNG_COLOR_TYPE_RGB_ALPHA;
  const int depth = image.depth() == CV_16U ? 16 : 8;
  png_set_write_fn(png, &out, append, flush);
  // As fast as OpenCV's own PNG writer (zlib level 1): these files are read back, not archived.
  png_set_compression_level(png, Z_BEST_SPEED);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.cols),
               static_cast<png_uint_32>(image.rows), depth, colorType, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  if (channels >= 3) png_set_bgr(png);  // OpenCV's order
  if (depth == 16 && std::endian::native == std::endian::little) png_set_swap(png);
  png_write_image(png, const_cast<png_bytepp>(rows.data()));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

bool pngEncodable(const cv::Mat& image) {
  const int channels = image.channels();
  return !image.empty() && (image.depth() == CV_8U || image.depth() == CV_16U) &&
         (channels == 1 || channels == 3 || channels == 4);
}

std::vector<std::uint8_t> encodePng(const cv::Mat& image) {
  if (!pngEncodable(image)) {
    throw Error("a PNG holds 8- or 16-bit gray, RGB or RGBA samples, not this " +
                std::to_string(image.channels()) + "-channel image of depth " +
                std::to_string(image.depth()));
  }
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.rows));
  for (int y = 0; y < image.rows; ++y)
    rows[static_cast<std::size_t>(y)] = const_cast<png_bytep>(image.ptr<png_byte>(y));
  std::vector<std::uint8_t> out;
  // Room for the stored samples, so that the writes seldom reallocate.
  out.reserve(image.total() * image.elemSize() / 2 + 1024);
  Failure failure;
  if (!encodeInto(image, rows, out, failure))
    throw Error(std::string("libpng failed: ") + failure.message);
  return out;
}

}  // namespace camlabel::imaging::detail
