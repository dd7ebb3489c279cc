// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/imaging/ct_image.h"

namespace camlabel::imaging {

/// The format a file's first bytes announce, or nullopt when no known signature matches.
/// DICOM is recognised by its "DICM" preamble only; files without a preamble are tried later.
std::optional<ImageFormat> sniffFormat(std::span<const std::uint8_t> bytes);

/// Bytes enough for sniffFormat to tell every format (the DICOM preamble is the longest).
inline constexpr std::size_t kSniffBytes = 132;

/// sniffFormat of a file's first kSniffBytes (all of it when shorter), read without the rest.
/// Throws camlabel::InputError naming the file when it cannot be opened or read.
std::optional<ImageFormat> sniffFile(const std::filesystem::path& path);

/// Random access to the bytes of a buffer or a file, so that a header can be parsed without
/// reading the whole file.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;
  /// Fills out with the bytes at offset; false when the source ends before them.
  virtual bool read(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
};

/// Bytes already in memory.
class SpanSource : public ByteSource {
 public:
  explicit SpanSource(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  bool read(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  std::span<const std::uint8_t> bytes_;
};

/// A file read on demand: its first block is read once, anything else with a seek, so a header
/// probe costs a few small reads whatever the file's size.
class FileSource : public ByteSource {
 public:
  /// Throws camlabel::InputError naming the file when it cannot be opened.
  explicit FileSource(const std::filesystem::path& path);
  std::uint64_t size() const override { return size_; }
  bool read(std::uint64_t offset, std::span<std::uint8_t> out) override;
  /// The first bytes of the file (up to 4 KiB; all of it when smaller).
  std::span<const std::uint8_t> head() const { return head_; }

 private:
  std::ifstream in_;
  std::uint64_t size_ = 0;
  std::vector<std::uint8_t> head_;
};

/// Width and height read from a raster header (PNG, JPEG, TIFF, BMP) without decoding pixels,
/// so that a huge declared size is refused before any allocation.
struct RasterHeader {
  int width = 0;
  int height = 0;
  int bitsPerSample = 0;    ///< as stored; 0 when the header does not say
  int samplesPerPixel = 0;  ///< as stored (a palette counts as 1); 0 when the header does not say
};

/// Parses the header of a raster file and checks it is complete (PNG IEND chunk, JPEG
/// end-of-image marker, TIFF first directory, BMP declared size). Returns the reason
/// as an error string when it is not. Reads only the header and the last bytes: damage inside
/// the compressed pixel data is not seen here, only when the pixels are decoded.
struct HeaderCheck {
  std::optional<RasterHeader> header;
  std::string problem;  ///< empty when header is set
};
HeaderCheck inspectRasterHeader(ImageFormat format, ByteSource& source);
HeaderCheck inspectRasterHeader(ImageFormat format, std::span<const std::uint8_t> bytes);

}  // namespace camlabel::imaging
