// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/dicom_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "core/common/error.h"

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;

/// Stored value = HU - kRescaleIntercept, so -1024 HU (below air) is stored as 0.
constexpr int kRescaleIntercept = -1024;
/// A DICOM Decimal String holds at most 16 characters.
constexpr std::size_t kMaxDecimalStringLength = 16;

[[noreturn]] void fail(const fs::path& path, const std::string& reason) {
  throw Error("cannot write '" + path.string() + "': " + reason);
}

/// The shortest "%g" form that fits a Decimal String, starting from enough digits to round-trip
/// any value a user would type as a window or spacing.
std::string decimalString(double value) {
  char buffer[64];
  for (int precision = 12; precision >= 1; --precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::string(buffer).size() <= kMaxDecimalStringLength) break;
  }
  return buffer;
}

std::string newUid(const char* root) {
  char uid[100];
  return dcmGenerateUniqueIdentifier(uid, root);
}

/// Rounds half up, the same rule as the phantom's PNG writer, so that a slice written both
/// ways stores identical values.
Uint16 storedValue(float hu) {
  const double stored = std::floor(static_cast<double>(hu) + 0.5) - kRescaleIntercept;
  return static_cast<Uint16>(std::clamp(stored, 0.0, 65535.0));
}

void put(DcmDataset& dataset, const DcmTagKey& key, const std::string& value) {
  const OFCondition status = dataset.putAndInsertString(key, value.c_str());
  if (status.bad())
    throw Error(std::string("cannot build the DICOM data set (") + key.toString().c_str() +
                "): " + status.text());
}

void putUint16(DcmDataset& dataset, const DcmTagKey& key, Uint16 value) {
  const OFCondition status = dataset.putAndInsertUint16(key, value);
  if (status.bad())
    throw Error(std::string("cannot build the DICOM data set (") + key.toString().c_str() +
                "): " + status.text());
}

}  // namespace

DicomSlicePlace newDicomSeries(int seriesNumber) {
  DicomSlicePlace place;
  place.studyUid = newUid(SITE_STUDY_UID_ROOT);
  place.seriesUid = newUid(SITE_SERIES_UID_ROOT);
  place.frameOfReferenceUid = newUid(SITE_SERIES_UID_ROOT);
  place.seriesNumber = seriesNumber;
  return place;
}

void writeCtDicom(const fs::path& path, const cv::Mat& hu, double pixelSpacingMm,
                  std::optional<Window> window, const std::optional<DicomSlicePlace>& place) {
  if (hu.empty() || hu.type() != CV_32FC1)
    throw std::invalid_argument(
        "writeCtDicom needs a non-empty CV_32FC1 image of Hounsfield units");
  if (hu.rows > 65535 || hu.cols > 65535)
    throw std::invalid_argument("writeCtDicom: a DICOM image has at most 65535 rows and columns");
  if (!std::isfinite(pixelSpacingMm) || pixelSpacingMm <= 0)
    throw std::invalid_argument("writeCtDicom: the pixel spacing must be a positive number");
  if (window &&
      (!std::isfinite(window->center) || !std::isfinite(window->width) || window->width <= 0))
    throw std::invalid_argument("writeCtDicom: the window needs a finite center and width > 0");

  std::vector<Uint16> pixels;
  pixels.reserve(static_cast<std::size_t>(hu.rows) * static_cast<std::size_t>(hu.cols));
  for (int y = 0; y < hu.rows; ++y) {
    const float* row = hu.ptr<float>(y);
    for (int x = 0; x < hu.cols; ++x) {
      if (std::isnan(row[x])) throw std::invalid_argument("writeCtDicom: the image contains NaN");
      pixels.push_back(storedValue(row[x]));
    }
  }

  DcmFileFormat file;
  DcmDataset& dataset = *file.getDataset();
  const DicomSlicePlace slice = place ? *place : newDicomSeries();
  const std::string& studyUid = slice.studyUid;
  const std::string& seriesUid = slice.seriesUid;
  const std::string instanceUid = newUid(SITE_INSTANCE_UID_ROOT);
  const std::string& frameUid = slice.frameOfReferenceUid;

  put(dataset, DCM_SOPClassUID, UID_CTImageStorage);
  put(dataset, DCM_SOPInstanceUID, instanceUid);
  put(dataset, DCM_StudyInstanceUID, studyUid);
  put(dataset, DCM_SeriesInstanceUID, seriesUid);
  put(dataset, DCM_FrameOfReferenceUID, frameUid);
  // Type 2 elements are present but empty: there is no patient, date or physician to name.
  for (const DcmTagKey& key :
       {DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex, DCM_StudyDate,
        DCM_StudyTime, DCM_ReferringPhysicianName, DCM_StudyID, DCM_AccessionNumber,
        DCM_Manufacturer, DCM_PositionReferenceIndicator, DCM_KVP, DCM_AcquisitionNumber,
        DCM_SliceThickness})
    put(dataset, key, "");
  put(dataset, DCM_Modality, "CT");
  put(dataset, DCM_SeriesNumber, std::to_string(slice.seriesNumber));
  put(dataset, DCM_InstanceNumber, std::to_string(slice.instanceNumber));
  put(dataset, DCM_SeriesDescription, "camlabel synthetic phantom");
  // AXIAL is the third value the CT Image module requires after the derivation flags.
  put(dataset, DCM_ImageType, "DERIVED\\SECONDARY\\AXIAL");
  put(dataset, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  put(dataset, DCM_ImagePositionPatient,
      decimalString(-0.5 * pixelSpacingMm * hu.cols) + "\\" +
          decimalString(-0.5 * pixelSpacingMm * hu.rows) + "\\" + decimalString(slice.zMm));
  put(dataset, DCM_PixelSpacing,
      decimalString(pixelSpacingMm) + "\\" + decimalString(pixelSpacingMm));

  putUint16(dataset, DCM_Rows, static_cast<Uint16>(hu.rows));
  putUint16(dataset, DCM_Columns, static_cast<Uint16>(hu.cols));
  putUint16(dataset, DCM_SamplesPerPixel, 1);
  put(dataset, DCM_PhotometricInterpretation, "MONOCHROME2");
  putUint16(dataset, DCM_BitsAllocated, 16);
  putUint16(dataset, DCM_BitsStored, 16);
  putUint16(dataset, DCM_HighBit, 15);
  putUint16(dataset, DCM_PixelRepresentation, 0);
  put(dataset, DCM_RescaleIntercept, std::to_string(kRescaleIntercept));
  put(dataset, DCM_RescaleSlope, "1");
  put(dataset, DCM_RescaleType, "HU");
  if (window) {
    put(dataset, DCM_WindowCenter, decimalString(window->center));
    put(dataset, DCM_WindowWidth, decimalString(window->width));
  }
  const OFCondition pixelStatus = dataset.putAndInsertUint16Array(
      DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
  if (pixelStatus.bad())
    throw Error(std::string("cannot build the DICOM pixel data: ") + pixelStatus.text());

  const fs::path temp = path.string() + ".tmp";
  const OFCondition saved =
      file.saveFile(temp.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL,
                    EPD_noChange, 0, 0, EWM_createNewMeta);
  std::error_code ignored;
  if (saved.bad()) {
    fs::remove(temp, ignored);
    fail(path, saved.text());
  }
  std::error_code renamed;
  fs::rename(temp, path, renamed);
  if (renamed) {
    fs::remove(temp, ignored);
    fail(path, renamed.message());
  }
}

}  // namespace camlabel::imaging
