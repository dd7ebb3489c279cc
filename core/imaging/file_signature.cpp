#include "core/imaging/file_signature.h"

#include <algorithm>
#include <array>

namespace camlabel::imaging {
namespace {

bool startsWith(std::span<const std::uint8_t> bytes, std::initializer_list<std::uint8_t> prefix) {
  return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}
std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at + 3]} << 24) | (std::uint32_t{b[at + 2]} << 16) |
         (std::uint32_t{b[at + 1]} << 8) | b[at];
}
std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at + 1] << 8) | b[at]);
}

HeaderCheck fail(std::string problem) {
  return {std::nullopt, std::move(problem)};
}
HeaderCheck ok(std::int64_t width, std::int64_t height) {
  constexpr std::int64_t kLimit = 1 << 30;
  if (width <= 0 || height <= 0 || width > kLimit || height > kLimit)
    return fail("the header declares an impossible size " + std::to_string(width) + "x" +
                std::to_string(height));
  return {RasterHeader{static_cast<int>(width), static_cast<int>(height)}, {}};
}

HeaderCheck inspectPng(std::span<const std::uint8_t> b) {
  // 8-byte signature, then IHDR: length(4) "IHDR"(4) width(4) height(4) ...
  if (b.size() < 8 + 25 || !std::equal(b.begin() + 12, b.begin() + 16, "IHDR"))
    return fail("truncated PNG: the header chunk is incomplete");
  // A complete PNG ends with the 12-byte IEND chunk: length 0, "IEND", CRC.
  const std::array<std::uint8_t, 8> iend{0, 0, 0, 0, 'I', 'E', 'N', 'D'};
  if (b.size() < 8 + 25 + 12 || !std::equal(iend.begin(), iend.end(), b.end() - 12))
    return fail("truncated PNG: the file ends before its IEND chunk");
  return ok(be32(b, 16), be32(b, 20));
}

HeaderCheck inspectJpeg(std::span<const std::uint8_t> b) {
  std::size_t end = b.size();
  while (end > 2 && b[end - 1] == 0)
    --end;  // some writers pad after the end marker
  if (end < 4 || b[end - 2] != 0xFF || b[end - 1] != 0xD9)
    return fail("truncated JPEG: the file ends before its end-of-image marker");
  std::size_t i = 2;
  while (i + 4 <= b.size()) {
    if (b[i] != 0xFF) return fail("damaged JPEG: expected a marker at byte " + std::to_string(i));
    const std::uint8_t marker = b[i + 1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      i += 2;
      continue;
    }
    const std::size_t length = be16(b, i + 2);
    const bool isStartOfFrame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (isStartOfFrame) {
      if (i + 9 > b.size()) break;
      return ok(be16(b, i + 7), be16(b, i + 5));
    }
    if (marker == 0xDA || length < 2) break;  // scan data before any frame header
    i += 2 + length;
  }
  return fail("damaged JPEG: no frame header found");
}

HeaderCheck inspectTiff(std::span<const std::uint8_t> b) {
  if (b.size() < 8) return fail("truncated TIFF: the header is incomplete");
  const bool little = b[0] == 'I';
  auto u16 = [&](std::size_t at) { return little ? le16(b, at) : be16(b, at); };
  auto u32 = [&](std::size_t at) { return little ? le32(b, at) : be32(b, at); };
  const std::size_t ifd = u32(4);
  if (ifd + 2 > b.size()) return fail("truncated TIFF: the first directory is past the end");
  const std::size_t entries = u16(ifd);
  if (ifd + 2 + entries * 12 > b.size())
    return fail("truncated TIFF: the first directory is incomplete");
  std::int64_t width = -1;
  std::int64_t height = -1;
  for (std::size_t e = 0; e < entries; ++e) {
    const std::size_t at = ifd + 2 + e * 12;
    const std::uint16_t tag = u16(at);
    const std::uint16_t type = u16(at + 2);
    const std::int64_t value = type == 3 ? u16(at + 8) : u32(at + 8);  // SHORT or LONG
    if (tag == 256) width = value;
    if (tag == 257) height = value;
  }
  if (width < 0 || height < 0) return fail("damaged TIFF: no image width or length");
  return ok(width, height);
}

HeaderCheck inspectBmp(std::span<const std::uint8_t> b) {
  if (b.size() < 26) return fail("truncated BMP: the header is incomplete");
  const std::uint32_t declared = le32(b, 2);
  if (declared > b.size())
    return fail("truncated BMP: the header declares " + std::to_string(declared) +
                " bytes but the file has " + std::to_string(b.size()));
  const auto height = static_cast<std::int32_t>(le32(b, 22));  // negative: rows top-down
  return ok(static_cast<std::int32_t>(le32(b, 18)), std::abs(std::int64_t{height}));
}

}  // namespace

std::optional<ImageFormat> sniffFormat(std::span<const std::uint8_t> bytes) {
  if (bytes.size() >= 132 && std::equal(bytes.begin() + 128, bytes.begin() + 132, "DICM"))
    return ImageFormat::Dicom;
  if (startsWith(bytes, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFormat::Png;
  if (startsWith(bytes, {0xFF, 0xD8, 0xFF})) return ImageFormat::Jpeg;
  if (startsWith(bytes, {'I', 'I', 42, 0}) || startsWith(bytes, {'M', 'M', 0, 42}))
    return ImageFormat::Tiff;
  if (startsWith(bytes, {'B', 'M'})) return ImageFormat::Bmp;
  return std::nullopt;
}

HeaderCheck inspectRasterHeader(ImageFormat format, std::span<const std::uint8_t> bytes) {
  switch (format) {
    case ImageFormat::Png:
      return inspectPng(bytes);
    case ImageFormat::Jpeg:
      return inspectJpeg(bytes);
    case ImageFormat::Tiff:
      return inspectTiff(bytes);
    case ImageFormat::Bmp:
      return inspectBmp(bytes);
    case ImageFormat::Dicom:
      break;
  }
  return fail("not a raster format");
}

}  // namespace camlabel::imaging
