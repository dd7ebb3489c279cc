#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// The format a file's first bytes announce, or nullopt when no known signature matches.
/// DICOM is recognised by its "DICM" preamble only; files without a preamble are tried later.
std::optional<ImageFormat> sniffFormat(std::span<const std::uint8_t> bytes);

/// Width and height read from a raster header (PNG, JPEG, TIFF, BMP) without decoding pixels,
/// so that a huge declared size is refused before any allocation.
struct RasterHeader {
  int width = 0;
  int height = 0;
};

/// Parses the header of a raster file and checks it is complete (PNG IEND chunk, JPEG end-of-image
/// marker, BMP declared size). Returns the reason as an error string when it is not.
struct HeaderCheck {
  std::optional<RasterHeader> header;
  std::string problem;  ///< empty when header is set
};
HeaderCheck inspectRasterHeader(ImageFormat format, std::span<const std::uint8_t> bytes);

}  // namespace camlabel::imaging
