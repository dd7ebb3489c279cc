// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/file_signature.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/common/error.h"

namespace camlabel::imaging {
namespace {

// The head a FileSource keeps: enough for the PNG, BMP and TIFF headers and the DICOM
// preamble, so a typical probe reads one block from the start and one from the end.
constexpr std::size_t kHeadBytes = 4096;

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
HeaderCheck ok(std::int64_t width, std::int64_t height, int bits = 0, int samples = 0) {
  constexpr std::int64_t kLimit = 1 << 30;
  if (width <= 0 || height <= 0 || width > kLimit || height > kLimit)
    return fail("the header declares an impossible size " + std::to_string(width) + "x" +
                std::to_string(height));
  return {RasterHeader{static_cast<int>(width), static_cast<int>(height), bits, samples}, {}};
}

HeaderCheck inspectPng(ByteSource& source) {
  // 8-byte signature, then IHDR: length(4) "IHDR"(4) width(4) height(4) depth(1) colour(1)
  // compression(1) filter(1) interlace(1) CRC(4).
  std::array<std::uint8_t, 8 + 25> h{};
  if (!source.read(0, h) || be32(h, 8) != 13 || !std::equal(h.begin() + 12, h.begin() + 16, "IHDR"))
    return fail("truncated PNG: the header chunk is incomplete");
  const int depth = h[24];
  int samples = 0;
  switch (h[25]) {
    case 0:  // gray
    case 3:  // palette
      samples = 1;
      break;
    case 2:
      samples = 3;
      break;
    case 4:
      samples = 2;
      break;
    case 6:
      samples = 4;
      break;
    default:
      return fail("damaged PNG: unknown colour type " + std::to_string(h[25]));
  }
  if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
    return fail("damaged PNG: impossible bit depth " + std::to_string(depth));
  // A complete PNG ends with the 12-byte IEND chunk: length 0, "IEND", CRC.
  const std::array<std::uint8_t, 8> iend{0, 0, 0, 0, 'I', 'E', 'N', 'D'};
  std::array<std::uint8_t, 12> tail{};
  if (source.size() < h.size() + tail.size() || !source.read(source.size() - tail.size(), tail) ||
      !std::equal(iend.begin(), iend.end(), tail.begin()))
    return fail("truncated PNG: the file ends before its IEND chunk");
  return ok(be32(h, 16), be32(h, 20), depth, samples);
}

/// Offset one past the last byte that is not zero (some writers pad after the end marker).
std::uint64_t endWithoutPadding(ByteSource& source) {
  std::array<std::uint8_t, 4096> block{};
  std::uint64_t end = source.size();
  while (end > 0) {
    const std::uint64_t n = std::min<std::uint64_t>(end, block.size());
    const auto chunk = std::span(block).first(static_cast<std::size_t>(n));
    if (!source.read(end - n, chunk)) return 0;
    for (std::size_t i = chunk.size(); i > 0; --i)
      if (chunk[i - 1] != 0) return end - n + i;
    end -= n;
  }
  return 0;
}

HeaderCheck inspectJpeg(ByteSource& source) {
  const std::uint64_t end = endWithoutPadding(source);
  std::array<std::uint8_t, 2> last{};
  if (end < 4 || !source.read(end - 2, last) || last[0] != 0xFF || last[1] != 0xD9)
    return fail("truncated JPEG: the file ends before its end-of-image marker");
  std::uint64_t i = 2;
  std::array<std::uint8_t, 10> m{};
  while (i + 4 <= source.size()) {
    if (!source.read(i, std::span(m).first(4))) break;
    if (m[0] != 0xFF) return fail("damaged JPEG: expected a marker at byte " + std::to_string(i));
    const std::uint8_t marker = m[1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      i += 2;
      continue;
    }
    const std::size_t length = be16(m, 2);
    const bool isStartOfFrame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (isStartOfFrame) {
      // precision(1) height(2) width(2) components(1) after the length.
      if (!source.read(i, m)) break;
      return ok(be16(m, 7), be16(m, 5), m[4], m[9]);
    }
    if (marker == 0xDA || length < 2) break;  // scan data before any frame header
    i += 2 + length;
  }
  return fail("damaged JPEG: no frame header found");
}

HeaderCheck inspectTiff(ByteSource& source) {
  std::array<std::uint8_t, 8> h{};
  if (!source.read(0, h)) return fail("truncated TIFF: the header is incomplete");
  const bool little = h[0] == 'I';
  auto u16 = [&](std::span<const std::uint8_t> b, std::size_t at) {
    return little ? le16(b, at) : be16(b, at);
  };
  auto u32 = [&](std::span<const std::uint8_t> b, std::size_t at) {
    return little ? le32(b, at) : be32(b, at);
  };
  const std::uint64_t ifd = u32(h, 4);
  std::array<std::uint8_t, 2> count{};
  if (!source.read(ifd, count)) return fail("truncated TIFF: the first directory is past the end");
  const std::size_t entries = u16(count, 0);
  std::vector<std::uint8_t> dir(entries * 12);
  if (!source.read(ifd + 2, dir)) return fail("truncated TIFF: the first directory is incomplete");
  std::int64_t width = -1;
  std::int64_t height = -1;
  int bits = 0;
  int samples = 1;  // the TIFF default when the tag is absent
  for (std::size_t e = 0; e < entries; ++e) {
    const std::size_t at = e * 12;
    const std::uint16_t tag = u16(dir, at);
    const std::uint16_t type = u16(dir, at + 2);
    const std::uint32_t valueCount = u32(dir, at + 4);
    const std::int64_t value = type == 3 ? u16(dir, at + 8) : u32(dir, at + 8);  // SHORT or LONG
    if (tag == 256) width = value;
    if (tag == 257) height = value;
    if (tag == 277) samples = static_cast<int>(value);
    if (tag == 258 && type == 3) {
      // BitsPerSample: one SHORT per sample, inline when they fit in 4 bytes.
      std::array<std::uint8_t, 2> first{};
      if (valueCount <= 2)
        bits = u16(dir, at + 8);
      else if (source.read(u32(dir, at + 8), first))
        bits = u16(first, 0);
    }
  }
  if (width < 0 || height < 0) return fail("damaged TIFF: no image width or length");
  // What the decoder reads: 1 to 4 samples (gray, gray + alpha, RGB, RGBA). Refused here, before
  // the decoder prints its own report of it.
  if (samples < 1 || samples > 4)
    return fail("a TIFF with " + std::to_string(samples) +
                " samples per pixel; camlabel reads 1 (gray) to 4 (RGBA)");
  return ok(width, height, bits, samples);
}

HeaderCheck inspectBmp(ByteSource& source) {
  std::array<std::uint8_t, 30> h{};
  if (!source.read(0, std::span(h).first(26)))
    return fail("truncated BMP: the header is incomplete");
  const std::uint32_t declared = le32(h, 2);
  if (declared > source.size())
    return fail("truncated BMP: the header declares " + std::to_string(declared) +
                " bytes but the file has " + std::to_string(source.size()));
  int bits = 0;
  int samples = 0;
  if (source.read(26, std::span(h).subspan(26, 4))) {
    const int bitCount = le16(h, 28);
    if (bitCount <= 8) {
      bits = bitCount;
      samples = 1;
    } else if (bitCount == 24 || bitCount == 32) {
      bits = 8;
      samples = bitCount / 8;
    }
  }
  const auto height = static_cast<std::int32_t>(le32(h, 22));  // negative: rows top-down
  return ok(static_cast<std::int32_t>(le32(h, 18)), std::abs(std::int64_t{height}), bits, samples);
}

}  // namespace

bool SpanSource::read(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (offset > bytes_.size() || out.size() > bytes_.size() - offset) return false;
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
  return true;
}

std::optional<ImageFormat> sniffFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), std::strerror(errno));
  std::array<std::uint8_t, kSniffBytes> head{};
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  if (in.bad()) throw InputError(path.string(), "the file could not be read");
  return sniffFormat(std::span(head).first(static_cast<std::size_t>(in.gcount())));
}

FileSource::FileSource(const std::filesystem::path& path) : in_(path, std::ios::binary) {
  if (!in_) throw InputError(path.string(), std::strerror(errno));
  in_.seekg(0, std::ios::end);
  const std::streamoff end = in_.tellg();
  if (end < 0) throw InputError(path.string(), "its size cannot be determined");
  size_ = static_cast<std::uint64_t>(end);
  head_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(size_, kHeadBytes)));
  in_.seekg(0);
  in_.read(reinterpret_cast<char*>(head_.data()), static_cast<std::streamsize>(head_.size()));
  if (static_cast<std::size_t>(in_.gcount()) != head_.size())
    throw InputError(path.string(), "the file could not be read");
}

bool FileSource::read(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (offset > size_ || out.size() > size_ - offset) return false;
  if (offset + out.size() <= head_.size()) {
    std::copy_n(head_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
    return true;
  }
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(offset));
  in_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return static_cast<std::size_t>(in_.gcount()) == out.size();
}

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

HeaderCheck inspectRasterHeader(ImageFormat format, ByteSource& source) {
  switch (format) {
    case ImageFormat::Png:
      return inspectPng(source);
    case ImageFormat::Jpeg:
      return inspectJpeg(source);
    case ImageFormat::Tiff:
      return inspectTiff(source);
    case ImageFormat::Bmp:
      return inspectBmp(source);
    case ImageFormat::Dicom:
      break;
  }
  return fail("not a raster format");
}

HeaderCheck inspectRasterHeader(ImageFormat format, std::span<const std::uint8_t> bytes) {
  SpanSource source(bytes);
  return inspectRasterHeader(format, source);
}

}  // namespace camlabel::imaging
