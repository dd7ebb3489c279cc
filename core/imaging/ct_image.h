// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "core/imaging/dicom_object.h"

namespace camlabel::imaging {

enum class ImageFormat { Dicom, Png, Jpeg, Tiff, Bmp };

std::string_view formatName(ImageFormat format);

/// What a decoded pixel value means.
enum class PixelMeaning {
  Hounsfield,  ///< CT Hounsfield units (DICOM CT after rescale, or 16-bit/float exports)
  Stored8,     ///< an 8-bit image: 0..255 as stored, no physical unit
  Stored,      ///< other intensities without a physical unit (MR, 16-bit without the HU convention)
};

std::string_view meaningName(PixelMeaning meaning);

/// A linear display window: values in [center - width/2, center + width/2] map to [0, 1].
struct Window {
  double center = 0;
  double width = 1;  ///< always > 0
  friend bool operator==(const Window&, const Window&) = default;
};

/// What is known about an image, never including patient identifiers.
struct ImageInfo {
  ImageFormat format = ImageFormat::Png;
  int width = 0;
  int height = 0;
  int bitsPerSample = 0;    ///< as stored in the file (8, 16, 32)
  int samplesPerPixel = 1;  ///< in the file; colour images are converted to grayscale
  int frameCount = 1;
  PixelMeaning meaning = PixelMeaning::Stored8;
  std::string modality;  ///< DICOM Modality (CT, MR, ...); empty for other formats
  double minValue = 0;   ///< of the decoded values (HU when meaning is Hounsfield)
  double maxValue = 0;
  std::optional<double> pixelSpacingRowMm;  ///< DICOM Pixel Spacing, mm between rows
  std::optional<double> pixelSpacingColMm;  ///< mm between columns
  std::optional<Window> storedWindow;       ///< DICOM Window Center/Width (the first pair)
  std::string transferSyntax;               ///< DICOM only: name of the transfer syntax
  std::vector<std::string> warnings;        ///< things a user should know, e.g. "modality is MR"
};

/// A decoded single-channel slice. values is CV_32FC1 of height x width.
struct CtImage {
  cv::Mat values;
  ImageInfo info;
};

/// Readers refuse images with a side smaller than this: nothing useful is that small.
inline constexpr int kMinImageSide = 8;

struct ReadOptions {
  /// Multi-frame DICOM: the 0-based frame to read. Required when the file has several frames.
  std::optional<int> frame;
  /// 16-bit PNG/TIFF carry Hounsfield units as stored = HU + offset (camlabel's convention).
  bool sixteenBitIsHounsfield = true;
  int hounsfieldOffset = 1024;
  /// Images with a larger side are refused before any pixel is decoded.
  int maxSide = 16384;
  /// Files larger than this are refused before they are read.
  std::uintmax_t maxFileBytes = std::uintmax_t{2} << 30;
  /// Images that would take more memory than this decoded (decodedBytes(): the pixels as stored
  /// plus their floating-point values) are refused from the header, before any pixel is decoded:
  /// a laptop with 8 GB and a prefetching window cannot give one slice gigabytes. A CT slice of
  /// 512 x 512 takes 1.5 MB; the bound takes 8192 x 8192 16-bit grayscale.
  std::uint64_t maxDecodedBytes = std::uint64_t{512} << 20;
};

/// The memory an image takes while it is read: its pixels as decoded (samples x bytes each),
/// the grayscale copy and its 32-bit floating-point values.
constexpr std::uint64_t decodedBytes(int width, int height, int samples, int bytesPerSample) {
  const auto pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  return pixels *
         (static_cast<std::uint64_t>(samples) * static_cast<std::uint64_t>(bytesPerSample) +
          static_cast<std::uint64_t>(bytesPerSample) + 4);
}

/// Reads a DICOM, PNG, JPEG, TIFF or BMP file, chosen by its content, not its name.
/// Throws camlabel::InputError naming the file and the reason for anything it cannot decode.
CtImage readImage(const std::filesystem::path& path, const ReadOptions& options = {});

/// What a file's header says, read without decoding (or, for DICOM, reading) any pixel.
struct ImageProbe {
  ImageFormat format = ImageFormat::Png;
  int width = 0;
  int height = 0;
  int bitsPerSample = 0;    ///< as stored; 0 when the header does not say
  int samplesPerPixel = 0;  ///< as stored; 0 when the header does not say
  int frameCount = 1;
  std::string modality;        ///< DICOM Modality; empty for other formats
  std::string transferSyntax;  ///< DICOM only
  SlicePlacement placement;    ///< DICOM only: study, series and position
  /// DICOM only: set for a readable image that is still not a slice to label (a localizer, an
  /// RT dose or RT image); an import skips it.
  std::optional<NotASlice> notASlice;
};

/// Checks that a file is an image camlabel can read, from its header alone: the format by
/// content, the size limits of readImage, a complete header and a file that is not cut short
/// (PNG IEND chunk, JPEG end-of-image marker, BMP declared size, DICOM pixel data length), and
/// for compressed DICOM that a decoder exists. It cannot see damage inside compressed pixel
/// data (deflate or JPEG entropy-coded streams, DICOM fragments), non-finite float values or
/// pixels that fail a colour conversion: readImage finds those when the image is shown.
/// Multi-frame DICOM is not refused here (frameCount says how many). Throws
/// camlabel::InputError naming the file and the reason; NotASliceError (an InputError) for a
/// DICOM object without pixel data, with what it is.
ImageProbe probeImage(const std::filesystem::path& path, const ReadOptions& options = {});

}  // namespace camlabel::imaging
