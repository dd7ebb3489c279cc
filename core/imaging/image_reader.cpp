// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/dicom_reader.h"
#include "core/imaging/file_signature.h"
#include "core/imaging/raster_codecs.h"

namespace camlabel::imaging {
namespace {

/// While alive, the process's stderr (fd 2) goes to /dev/null: libpng, libjpeg and libtiff print
/// their own messages there ("libpng error: IDAT: incorrect data check"), and OpenCV's imdecode
/// prints a decoder's exception there as several lines, whatever its log level; the reader says
/// what went wrong in one line of its own. Counted across threads: the first decode redirects,
/// the last one out restores. What another thread writes to stderr meanwhile is lost (camlabel
/// reports a read's problem after it, not during). Off in sanitizer builds, whose reports go to
/// stderr.
class SilencedStderr {
 public:
  SilencedStderr() {
    if (!kEnabled) return;
    const std::lock_guard lock(mutex());
    if (count()++ > 0) return;
    std::fflush(stderr);
    saved() = ::dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved() >= 0 && null >= 0) ::dup2(null, STDERR_FILENO);
    if (null >= 0) ::close(null);
  }
  ~SilencedStderr() {
    if (!kEnabled) return;
    const std::lock_guard lock(mutex());
    if (--count() > 0 || saved() < 0) return;
    std::fflush(stderr);
    ::dup2(saved(), STDERR_FILENO);
    ::close(saved());
    saved() = -1;
  }
  SilencedStderr(const SilencedStderr&) = delete;
  SilencedStderr& operator=(const SilencedStderr&) = delete;

 private:
#if defined(__SANITIZE_ADDRESS__)
  static constexpr bool kEnabled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
  static constexpr bool kEnabled = false;
#else
  static constexpr bool kEnabled = true;
#endif
#else
  static constexpr bool kEnabled = true;
#endif
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static int& count() {
    static int n = 0;
    return n;
  }
  static int& saved() {
    static int fd = -1;
    return fd;
  }
};

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, const std::string& reason) {
  throw InputError(path.string(), reason);
}

/// The size of a regular, non-empty file within the limit; fails with the reason otherwise.
std::uintmax_t checkedFileSize(const fs::path& path, std::uintmax_t maxBytes) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) fail(path, "no such file");
  if (fs::is_directory(status)) fail(path, "it is a folder, not an image file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) fail(path, ec.message());
  if (size == 0) fail(path, "the file is empty");
  if (size > maxBytes)
    fail(path, "the file is " + std::to_string(size >> 20) + " MiB, larger than the " +
                   std::to_string(maxBytes >> 20) + " MiB limit for one image");
  return size;
}

std::vector<std::uint8_t> readAllBytes(const fs::path& path, std::uintmax_t size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::strerror(errno));
  std::vector<std::uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) fail(path, "the file could not be read");
  return bytes;
}

[[noreturn]] void failNotAnImage(const fs::path& path, const InputError& asDicom) {
  fail(path, "not an image: the content is not DICOM, PNG, JPEG, TIFF or BMP (as DICOM: " +
                 asDicom.reason() + ")");
}

/// A file without the DICOM preamble that parses as a dataset naming what it is (a report, a
/// presentation state, ...) is that object; one that names nothing is more likely not DICOM.
void rethrowIfKnownObject(const NotASliceError& e) {
  if (e.kind() != NotASlice::OtherNonImage) throw e;
}

void checkSize(const fs::path& path, int width, int height, const ReadOptions& options) {
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width < kMinImageSide || height < kMinImageSide)
    fail(path, "the image is " + size + " pixels; camlabel needs at least " +
                   std::to_string(kMinImageSide) + "x" + std::to_string(kMinImageSide));
  if (width > options.maxSide || height > options.maxSide)
    fail(path, "the image is " + size + " pixels, larger than the limit of " +
                   std::to_string(options.maxSide) + " per side");
}

/// The decoded size bound (ReadOptions::maxDecodedBytes) from a raster header; a header that
/// does not say is taken at its largest (4 samples of 16 bits).
void checkMemory(const fs::path& path, const RasterHeader& header, const ReadOptions& options) {
  const int samples = header.samplesPerPixel > 0 ? header.samplesPerPixel : 4;
  const int bytesPerSample = header.bitsPerSample > 0 ? (header.bitsPerSample + 7) / 8 : 2;
  const std::uint64_t bytes = decodedBytes(header.width, header.height, samples, bytesPerSample);
  if (bytes > options.maxDecodedBytes)
    fail(path, "decoding it would take " + std::to_string(bytes >> 20) + " MB (" +
                   std::to_string(header.width) + "x" + std::to_string(header.height) + ", " +
                   std::to_string(samples) + " samples of " + std::to_string(8 * bytesPerSample) +
                   " bits), more than the " + std::to_string(options.maxDecodedBytes >> 20) +
                   " MB one image may use");
}

CtImage decodeRaster(const fs::path& path, ImageFormat format,
                     const std::vector<std::uint8_t>& bytes, const ReadOptions& options) {
  // The header first, so that a huge declared size is refused before the decoder allocates.
  const HeaderCheck check = inspectRasterHeader(format, bytes);
  if (!check.header) fail(path, check.problem);
  checkSize(path, check.header->width, check.header->height, options);
  checkMemory(path, *check.header, options);

  // OpenCV's own log (its decoders' warnings) is silenced, and so is what the decoder libraries
  // print to stderr themselves (SilencedStderr): the reader says what went wrong in one line.
  static std::once_flag quiet;
  std::call_once(quiet,
                 [] { cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT); });
  cv::Mat decoded;
  try {
    const SilencedStderr silenced;
    decoded = detail::decodeRaster(bytes);
  } catch (const detail::RasterCodecError& e) {
    fail(path, std::string("the decoder failed: ") + e.what());
  }
  if (decoded.empty())
    fail(path, "the " + std::string(formatName(format)) + " data is damaged or truncated");

  CtImage image;
  ImageInfo& info = image.info;
  info.format = format;
  info.width = decoded.cols;
  info.height = decoded.rows;
  info.samplesPerPixel = decoded.channels();
  info.bitsPerSample = static_cast<int>(decoded.elemSize1() * 8);

  cv::Mat gray;
  switch (decoded.channels()) {
    case 1:
      gray = decoded;
      break;
    case 2:  // gray + alpha
      cv::extractChannel(decoded, gray, 0);
      break;
    case 3:
      cv::cvtColor(decoded, gray, cv::COLOR_BGR2GRAY);
      info.warnings.emplace_back("colour image converted to grayscale");
      break;
    default:
      cv::cvtColor(decoded, gray, cv::COLOR_BGRA2GRAY);
      info.warnings.emplace_back("colour image converted to grayscale");
      break;
  }

  double offset = 0;
  switch (gray.depth()) {
    case CV_8U:
    case CV_8S:
      info.meaning = PixelMeaning::Stored8;
      break;
    case CV_16U:
      if (options.sixteenBitIsHounsfield) {
        info.meaning = PixelMeaning::Hounsfield;
        offset = -options.hounsfieldOffset;
      } else {
        info.meaning = PixelMeaning::Stored;
      }
      break;
    case CV_16S:  // signed 16-bit holds Hounsfield units directly
    case CV_32F:  // float TIFF holds Hounsfield units (camlabel's convention)
    case CV_64F:
      info.meaning = PixelMeaning::Hounsfield;
      break;
    default:
      info.meaning = PixelMeaning::Stored;
      break;
  }
  gray.convertTo(image.values, CV_32F, 1.0, offset);
  if (!cv::checkRange(image.values))
    fail(path, "the image contains values that are not finite numbers (NaN or infinity)");
  cv::minMaxLoc(image.values, &info.minValue, &info.maxValue);
  return image;
}

}  // namespace

std::string_view formatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::Dicom:
      return "DICOM";
    case ImageFormat::Png:
      return "PNG";
    case ImageFormat::Jpeg:
      return "JPEG";
    case ImageFormat::Tiff:
      return "TIFF";
    case ImageFormat::Bmp:
      return "BMP";
  }
  return "unknown";
}

std::string_view meaningName(PixelMeaning meaning) {
  switch (meaning) {
    case PixelMeaning::Hounsfield:
      return "hounsfield";
    case PixelMeaning::Stored8:
      return "stored8";
    case PixelMeaning::Stored:
      return "stored";
  }
  return "unknown";
}

CtImage readImage(const fs::path& path, const ReadOptions& options) {
  const std::uintmax_t size = checkedFileSize(path, options.maxFileBytes);
  // Only the signature is read here: DCMTK reads a DICOM file itself, so reading it all first
  // would read it twice.
  const std::optional<ImageFormat> format = sniffFile(path);
  if (format == ImageFormat::Dicom) return detail::readDicom(path, options);
  if (format) return decodeRaster(path, *format, readAllBytes(path, size), options);
  // No signature: it may still be a DICOM dataset written without the Part 10 preamble.
  try {
    return detail::readDicom(path, options);
  } catch (const NotASliceError& e) {
    rethrowIfKnownObject(e);
    failNotAnImage(path, e);
  } catch (const InputError& e) {
    failNotAnImage(path, e);
  }
}

ImageProbe probeImage(const fs::path& path, const ReadOptions& options) {
  checkedFileSize(path, options.maxFileBytes);
  std::optional<ImageFormat> format;
  {
    FileSource source(path);
    const auto head = source.head();
    format = sniffFormat(head.first(std::min(head.size(), kSniffBytes)));
    if (format && format != ImageFormat::Dicom) {
      const HeaderCheck check = inspectRasterHeader(*format, source);
      if (!check.header) fail(path, check.problem);
      checkSize(path, check.header->width, check.header->height, options);
      checkMemory(path, *check.header, options);
      ImageProbe probe;
      probe.format = *format;
      probe.width = check.header->width;
      probe.height = check.header->height;
      probe.bitsPerSample = check.header->bitsPerSample;
      probe.samplesPerPixel = check.header->samplesPerPixel;
      return probe;
    }
  }
  if (format == ImageFormat::Dicom) return detail::probeDicom(path, options);
  try {
    return detail::probeDicom(path, options);
  } catch (const NotASliceError& e) {
    rethrowIfKnownObject(e);
    failNotAnImage(path, e);
  } catch (const InputError& e) {
    failNotAnImage(path, e);
  }
}

}  // namespace camlabel::imaging
