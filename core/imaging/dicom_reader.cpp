// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/dicom_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmimgle/dipixel.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>
#include <opencv2/core.hpp>

#include "core/common/error.h"
#include "core/imaging/dicom_nesting.h"

namespace camlabel::imaging::detail {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, const std::string& reason) {
  throw InputError(path.string(), reason);
}

std::string stringOf(DcmItem& item, const DcmTagKey& key, unsigned long pos = 0) {
  OFString value;
  if (item.findAndGetOFString(key, value, pos).good()) return value.c_str();
  return {};
}

std::optional<double> numberOf(DcmItem& item, const DcmTagKey& key, unsigned long pos = 0) {
  Float64 value = 0;
  if (item.findAndGetFloat64(key, value, pos).good() && std::isfinite(value)) return value;
  return std::nullopt;
}

std::string sopClassName(DcmItem& dataset) {
  const std::string uid = stringOf(dataset, DCM_SOPClassUID);
  if (uid.empty()) return "unknown SOP class";
  const char* name = dcmFindNameOfUID(uid.c_str());
  return name ? name : uid;
}

template <typename T>
void copyPixels(const void* data, cv::Mat& out) {
  cv::Mat(out.rows, out.cols, cv::DataType<T>::type, const_cast<void*>(data))
      .convertTo(out, CV_32F);
}

cv::Mat interDataToMat(const DiPixel& pixel, int rows, int cols) {
  cv::Mat out(rows, cols, CV_32F);
  const void* data = pixel.getData();
  switch (pixel.getRepresentation()) {
    case EPR_Uint8:
      copyPixels<std::uint8_t>(data, out);
      break;
    case EPR_Sint8:
      copyPixels<std::int8_t>(data, out);
      break;
    case EPR_Uint16:
      copyPixels<std::uint16_t>(data, out);
      break;
    case EPR_Sint16:
      copyPixels<std::int16_t>(data, out);
      break;
    case EPR_Sint32:
      copyPixels<std::int32_t>(data, out);
      break;
    case EPR_Uint32: {  // OpenCV has no unsigned 32-bit type
      const auto* src = static_cast<const std::uint32_t*>(data);
      for (int i = 0; i < rows * cols; ++i)
        out.ptr<float>()[i] = static_cast<float>(src[i]);
      break;
    }
  }
  return out;
}

/// A DICOM file loaded by DCMTK; values longer than maxReadLength stay on disk (DCMTK seeks past
/// them and reads them when asked). A deflated data set is loaded from its inflated copy, which
/// lives as long as this object, so that values left on disk can still be read.
class LoadedDicom {
 public:
  LoadedDicom(const fs::path& path, Uint32 maxReadLength) {
    initialiseDcmtk();
    inflated_ = prepareForDcmtk(path);  // before DCMTK's recursive parser
    OFCondition loaded;
    if (inflated_) {
      loaded = file_.loadFile(inflated_->path().c_str(), EXS_LittleEndianExplicit, EGL_noChange,
                              maxReadLength, ERM_dataset);
      DcmMetaInfo meta;
      if (loaded.good() && file_.getMetaInfo() != nullptr &&
          meta.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, maxReadLength).good())
        *file_.getMetaInfo() = meta;
      storedXfer_ = EXS_DeflatedLittleEndianExplicit;
    } else {
      loaded =
          file_.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, maxReadLength, ERM_autoDetect);
      storedXfer_ = file_.getDataset()->getOriginalXfer();
    }
    if (loaded == EC_StreamNotifyClient)
      fail(path, "truncated DICOM: the file ends in the middle of a data element");
    if (loaded.bad()) fail(path, std::string("not a readable DICOM file (") + loaded.text() + ")");
    // Values left on disk are read when asked for, at the length they claim.
    std::error_code ec;
    const std::uint64_t bytes = fs::file_size(inflated_ ? inflated_->path() : path, ec);
    refuseValuesBeyond(file_, ec ? 0 : bytes, path);
  }

  DcmFileFormat& file() { return file_; }
  DcmDataset& dataset() { return *file_.getDataset(); }
  /// The transfer syntax as the file has it (deflated too; the data set read says explicit).
  E_TransferSyntax storedXfer() const { return storedXfer_; }

 private:
  std::optional<InflatedCopy> inflated_;  // outlives file_, which may read from it
  DcmFileFormat file_;
  E_TransferSyntax storedXfer_ = EXS_Unknown;
};

std::vector<std::string> valuesOf(DcmItem& item, const DcmTagKey& key) {
  std::vector<std::string> values;
  OFString value;
  for (unsigned long i = 0; item.findAndGetOFString(key, value, i).good(); ++i)
    values.emplace_back(value.c_str());
  return values;
}

DicomObjectHeader objectHeader(DcmFileFormat& file) {
  DcmDataset& dataset = *file.getDataset();
  DicomObjectHeader header;
  header.mediaStorageSopClass = stringOf(*file.getMetaInfo(), DCM_MediaStorageSOPClassUID);
  header.sopClass = stringOf(dataset, DCM_SOPClassUID);
  header.modality = stringOf(dataset, DCM_Modality);
  header.hasPixelData = dataset.tagExists(DCM_PixelData);
  header.hasDirectoryRecords = dataset.tagExists(DCM_DirectoryRecordSequence);
  header.imageType = valuesOf(dataset, DCM_ImageType);
  return header;
}

/// Refuses an object that has no image to read (a DICOMDIR, a report, ...), saying what it is.
/// An image that is not a slice to label (a localizer, an RT dose) is read; notASlice says so.
std::optional<NotASlice> refuseNonImage(DcmFileFormat& file, const fs::path& path) {
  const DicomObjectHeader header = objectHeader(file);
  const std::optional<NotASlice> kind = classifyDicomObject(header);
  if (kind && !header.hasPixelData) {
    const std::string what =
        *kind == NotASlice::OtherNonImage ? "a DICOM object" : "a " + notASliceNoun(*kind, 1);
    throw NotASliceError(
        path.string(), *kind,
        "not an image: " + what + " (" + sopClassName(*file.getDataset()) + ") with no pixel data");
  }
  return kind;
}

SlicePlacement placementOf(DcmItem& dataset) {
  SlicePlacement placement;
  placement.studyKey = uidKey(stringOf(dataset, DCM_StudyInstanceUID));
  placement.seriesKey = uidKey(stringOf(dataset, DCM_SeriesInstanceUID));
  Sint32 number = 0;
  if (dataset.findAndGetSint32(DCM_SeriesNumber, number).good()) placement.seriesNumber = number;
  if (dataset.findAndGetSint32(DCM_InstanceNumber, number).good())
    placement.instanceNumber = number;
  std::array<double, 3> position{};
  for (unsigned long i = 0; i < 3; ++i) {
    const auto value = numberOf(dataset, DCM_ImagePositionPatient, i);
    if (!value) return placement;
    position[i] = *value;
  }
  std::array<double, 6> orientation{};
  bool oriented = true;
  for (unsigned long i = 0; i < 6 && oriented; ++i) {
    const auto value = numberOf(dataset, DCM_ImageOrientationPatient, i);
    oriented = value.has_value();
    if (value) orientation[i] = *value;
  }
  // The normal is the cross product of the row and column directions; without them (or with
  // degenerate ones) the slice is taken as axial.
  std::array<double, 3> normal{0, 0, 1};
  if (oriented) {
    const std::array<double, 3> cross{
        orientation[1] * orientation[5] - orientation[2] * orientation[4],
        orientation[2] * orientation[3] - orientation[0] * orientation[5],
        orientation[0] * orientation[4] - orientation[1] * orientation[3]};
    const double norm = std::sqrt(cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]);
    if (norm > 1e-6) normal = {cross[0] / norm, cross[1] / norm, cross[2] / norm};
  }
  placement.positionMm =
      position[0] * normal[0] + position[1] * normal[1] + position[2] * normal[2];
  return placement;
}

/// The checks a file's header allows, shared by probe and read: pixel data present, size
/// limits, a decoder for compressed pixels and, uncompressed, pixel data as long as the
/// declared size needs.
ImageProbe checkHeader(LoadedDicom& loaded, const fs::path& path, const ReadOptions& options) {
  DcmDataset& dataset = loaded.dataset();
  ImageProbe probe;
  probe.format = ImageFormat::Dicom;
  const DcmXfer xferInfo(loaded.storedXfer());
  probe.transferSyntax = xferInfo.getXferName();

  Uint16 rows = 0;
  Uint16 cols = 0;
  Uint16 bitsAllocated = 0;
  Uint16 samples = 1;
  dataset.findAndGetUint16(DCM_Rows, rows);
  dataset.findAndGetUint16(DCM_Columns, cols);
  dataset.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
  dataset.findAndGetUint16(DCM_SamplesPerPixel, samples);
  if (rows == 0 || cols == 0) fail(path, "the DICOM image has no Rows/Columns");
  if (cols < kMinImageSide || rows < kMinImageSide)
    fail(path, "the image is " + std::to_string(cols) + "x" + std::to_string(rows) +
                   " pixels; camlabel needs at least " + std::to_string(kMinImageSide) + "x" +
                   std::to_string(kMinImageSide));
  if (cols > options.maxSide || rows > options.maxSide)
    fail(path, "the image is " + std::to_string(cols) + "x" + std::to_string(rows) +
                   " pixels, larger than the limit of " + std::to_string(options.maxSide) +
                   " per side");
  probe.width = cols;
  probe.height = rows;
  probe.bitsPerSample = bitsAllocated;
  probe.samplesPerPixel = samples;
  // What the standard allows (PS3.3 C.7.6.3), refused otherwise: a crafted header is not
  // decoded on a guess.
  if (samples != 1 && samples != 3)
    fail(path, "its Samples per Pixel is " + std::to_string(samples) +
                   "; an image has 1 (grayscale) or 3 (colour)");
  if (bitsAllocated != 1 && (bitsAllocated == 0 || bitsAllocated % 8 != 0 || bitsAllocated > 64))
    fail(path, "its Bits Allocated is " + std::to_string(bitsAllocated) +
                   "; the standard allows 1 or a multiple of 8");
  Uint16 bitsStored = bitsAllocated;
  if (dataset.findAndGetUint16(DCM_BitsStored, bitsStored).good() &&
      (bitsStored == 0 || bitsStored > bitsAllocated))
    fail(path, "its Bits Stored is " + std::to_string(bitsStored) + ", not 1 to Bits Allocated (" +
                   std::to_string(bitsAllocated) + ")");
  for (const auto& [key, name] : {std::pair{DCM_RescaleSlope, "Rescale Slope"},
                                  std::pair{DCM_RescaleIntercept, "Rescale Intercept"}}) {
    if (!dataset.tagExists(key)) continue;
    Float64 value = 0;
    const bool read = dataset.findAndGetFloat64(key, value).good();
    if (!read || !std::isfinite(value) || (key == DCM_RescaleSlope && value == 0))
      fail(path, std::string("its ") + name + " is not a usable number ('" +
                     stringOf(dataset, key).substr(0, 32) + "'), so no Hounsfield unit can be " +
                     "computed");
  }

  Sint32 frames = 1;
  if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) frames = 1;
  probe.frameCount = frames;
  {
    // The memory reading one frame takes (every frame's stored pixels are read, one is
    // decoded), bounded before any pixel is read.
    const int bytesPerSample = (bitsAllocated + 7) / 8;
    const std::uint64_t bytes = decodedBytes(cols, rows, samples, bytesPerSample) +
                                static_cast<std::uint64_t>(cols) * rows * samples *
                                    static_cast<std::uint64_t>(bytesPerSample) *
                                    static_cast<std::uint64_t>(frames - 1);
    if (bytes > options.maxDecodedBytes)
      fail(path, "reading it would take " + std::to_string(bytes >> 20) + " MB (" +
                     std::to_string(cols) + "x" + std::to_string(rows) + ", " +
                     std::to_string(frames) + (frames == 1 ? " frame" : " frames") +
                     "), more than the " + std::to_string(options.maxDecodedBytes >> 20) +
                     " MB one image may use");
  }

  if (xferInfo.isEncapsulated()) {
    if (!DcmCodecList::canChangeCoding(loaded.storedXfer(), EXS_LittleEndianExplicit))
      fail(path, "its pixel data is compressed as " + probe.transferSyntax +
                     ", which this build cannot decode (camlabel decodes uncompressed, JPEG, "
                     "JPEG-LS and RLE DICOM; convert the file, e.g. with gdcmconv --raw)");
  } else {
    // Uncompressed: the Pixel Data element must hold every frame, or the file was cut short.
    DcmElement* pixelData = nullptr;
    const unsigned long expected = static_cast<unsigned long>(rows) * cols * samples *
                                   ((bitsAllocated + 7) / 8) * static_cast<unsigned long>(frames);
    if (dataset.findAndGetElement(DCM_PixelData, pixelData).bad() || pixelData == nullptr ||
        pixelData->getLength() < expected)
      fail(path, "truncated DICOM: the pixel data is shorter than " + std::to_string(cols) + "x" +
                     std::to_string(rows) + " pixels need");
  }
  probe.modality = stringOf(dataset, DCM_Modality);
  probe.placement = placementOf(dataset);
  return probe;
}

bool sameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

/// A Referenced File ID's components joined under base, each matched without regard to case when
/// the exact name is absent; std::nullopt for a component that could leave base or is not there.
std::optional<fs::path> resolveFileId(const fs::path& base, const std::vector<std::string>& parts) {
  fs::path at = base;
  for (const std::string& part : parts) {
    if (part.empty() || part == "." || part == ".." ||
        part.find_first_of(std::string_view("/\\:\0", 4)) != std::string::npos)
      return std::nullopt;
    std::error_code ec;
    if (fs::exists(at / part, ec)) {
      at /= part;
      continue;
    }
    std::optional<fs::path> match;
    for (fs::directory_iterator it(at, ec), end; !ec && it != end; it.increment(ec)) {
      if (sameIgnoringCase(it->path().filename().string(), part)) {
        match = it->path();
        break;
      }
    }
    if (!match) return std::nullopt;
    at = *match;
  }
  std::error_code ec;
  if (!fs::is_regular_file(at, ec)) return std::nullopt;
  return at;
}

}  // namespace

/// Codecs are registered once per process; DCMTK's own log is silenced because its messages can
/// quote element values, and patient identifiers must never reach a log.
void initialiseDcmtk() {
  static std::once_flag once;
  std::call_once(once, [] {
    OFLog::configure(OFLogger::OFF_LOG_LEVEL);
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

ImageProbe probeDicom(const fs::path& path, const ReadOptions& options) {
  // Values longer than this (the pixel data, overlays, private blobs) are skipped, not read;
  // DCMTK still notices a file that ends inside them.
  constexpr Uint32 kProbeReadLength = 1024;
  LoadedDicom loaded(path, kProbeReadLength);
  const std::optional<NotASlice> notASlice = refuseNonImage(loaded.file(), path);
  ImageProbe probe = checkHeader(loaded, path, options);
  probe.notASlice = notASlice;
  return probe;
}

std::vector<fs::path> readDicomDirectory(const fs::path& path) {
  // A DICOMDIR holds records of short values only; anything long is skipped, not read.
  constexpr Uint32 kRecordReadLength = 4096;
  LoadedDicom loaded(path, kRecordReadLength);
  DcmFileFormat& file = loaded.file();
  if (classifyDicomObject(objectHeader(file)) != NotASlice::DicomDirectory)
    fail(path, "not a DICOMDIR (its Media Storage SOP Class is not the Media Storage Directory)");
  DcmSequenceOfItems* records = nullptr;
  if (file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() ||
      records == nullptr)
    fail(path, "the DICOMDIR has no Directory Record Sequence");
  std::vector<fs::path> files;
  const fs::path base = path.parent_path();
  for (unsigned long i = 0; i < records->card(); ++i) {
    DcmItem* record = records->getItem(i);
    if (record == nullptr) continue;
    const std::vector<std::string> parts = valuesOf(*record, DCM_ReferencedFileID);
    if (parts.empty()) continue;
    if (auto resolved = resolveFileId(base, parts)) files.push_back(std::move(*resolved));
  }
  return files;
}

CtImage readDicom(const fs::path& path, const ReadOptions& options) {
  LoadedDicom loaded(path, DCM_MaxReadLength);
  DcmFileFormat& file = loaded.file();
  refuseNonImage(file, path);
  DcmDataset& dataset = loaded.dataset();
  const ImageProbe probe = checkHeader(loaded, path, options);

  CtImage image;
  ImageInfo& info = image.info;
  info.format = ImageFormat::Dicom;
  info.transferSyntax = probe.transferSyntax;
  info.width = probe.width;
  info.height = probe.height;
  info.bitsPerSample = probe.bitsPerSample;
  info.samplesPerPixel = probe.samplesPerPixel;
  info.frameCount = probe.frameCount;
  const Uint16 rows = static_cast<Uint16>(probe.height);
  const Uint16 cols = static_cast<Uint16>(probe.width);
  const int frames = probe.frameCount;
  int frame = 0;
  if (frames > 1) {
    if (!options.frame)
      fail(path, "the file has " + std::to_string(frames) + " frames; choose one (frame 0 to " +
                     std::to_string(frames - 1) + ")");
    frame = *options.frame;
  }
  if (frame < 0 || frame >= frames)
    fail(path, "frame " + std::to_string(frame) + " does not exist; the file has " +
                   std::to_string(frames));

  E_TransferSyntax xfer = dataset.getOriginalXfer();
  if (DcmXfer(xfer).isEncapsulated()) {
    if (dataset.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
        !dataset.canWriteXfer(EXS_LittleEndianExplicit))
      fail(path,
           "its pixel data is compressed as " + info.transferSyntax +
               " and cannot be decompressed (damaged data, or parameters the decoder does not "
               "support)");
    xfer = EXS_LittleEndianExplicit;  // the dataset now holds the decompressed pixels
  }

  info.modality = probe.modality;
  if (info.modality.empty())
    info.warnings.emplace_back("the file names no modality");
  else if (info.modality != "CT")
    info.warnings.emplace_back("modality is " + info.modality +
                               ", not CT: values are not Hounsfield units");
  const std::string photometric = stringOf(dataset, DCM_PhotometricInterpretation);
  if (photometric == "MONOCHROME1")
    info.warnings.emplace_back("MONOCHROME1: the file shows low values as white");

  const std::optional<double> slope = numberOf(dataset, DCM_RescaleSlope);
  const std::optional<double> intercept = numberOf(dataset, DCM_RescaleIntercept);
  const bool hasModalityLut = dataset.tagExists(DCM_ModalityLUTSequence);

  // Rescale is applied here in double precision, as the standard defines it (HU = m * SV + b);
  // a Modality LUT sequence, rare in CT, is left to DCMTK.
  unsigned long flags = CIF_UsePartialAccessToPixelData;
  if (!hasModalityLut) flags |= CIF_IgnoreModalityTransformation;
  DicomImage dicomImage(&file, xfer, flags, static_cast<unsigned long>(frame), 1);
  if (dicomImage.getStatus() != EIS_Normal)
    fail(path, std::string("the pixel data cannot be decoded (") +
                   DicomImage::getString(dicomImage.getStatus()) + ")");

  std::unique_ptr<DicomImage> monochrome;
  DicomImage* source = &dicomImage;
  if (!dicomImage.isMonochrome()) {
    monochrome.reset(dicomImage.createMonochromeImage());
    if (!monochrome || monochrome->getStatus() != EIS_Normal)
      fail(path, "its " + photometric + " pixels cannot be converted to grayscale");
    source = monochrome.get();
    info.warnings.emplace_back("colour image converted to grayscale");
  }
  const DiPixel* pixel = source->getInterData();
  if (pixel == nullptr || pixel->getData() == nullptr ||
      pixel->getCount() < static_cast<unsigned long>(rows) * cols)
    fail(path, "the pixel data cannot be decoded");
  image.values = interDataToMat(*pixel, rows, cols);

  if (!hasModalityLut && (slope || intercept)) {
    image.values.convertTo(image.values, CV_32F, slope.value_or(1.0), intercept.value_or(0.0));
    if (!cv::checkRange(image.values))
      fail(path, "its Rescale Slope and Intercept (" + stringOf(dataset, DCM_RescaleSlope) + ", " +
                     stringOf(dataset, DCM_RescaleIntercept) +
                     ") make values too large for any Hounsfield unit");
  }

  const bool isCt = info.modality == "CT";
  info.meaning = isCt ? PixelMeaning::Hounsfield : PixelMeaning::Stored;
  if (isCt && !slope && !intercept && !hasModalityLut)
    info.warnings.emplace_back("no Rescale Slope/Intercept: stored values taken as Hounsfield");

  const auto spacingRow = numberOf(dataset, DCM_PixelSpacing, 0);
  const auto spacingCol = numberOf(dataset, DCM_PixelSpacing, 1);
  if (spacingRow && spacingCol && *spacingRow > 0 && *spacingCol > 0) {
    info.pixelSpacingRowMm = spacingRow;
    info.pixelSpacingColMm = spacingCol;
  }
  const auto center = numberOf(dataset, DCM_WindowCenter);
  const auto width = numberOf(dataset, DCM_WindowWidth);
  if (center && width && *width > 0) info.storedWindow = Window{*center, *width};

  cv::minMaxLoc(image.values, &info.minValue, &info.maxValue);
  return image;
}

}  // namespace camlabel::imaging::detail
