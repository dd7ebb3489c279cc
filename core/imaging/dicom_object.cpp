// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/dicom_object.h"

#include <string_view>

#include "core/common/sha256.h"

namespace camlabel::imaging {
namespace {

// SOP Class UID roots of PS3.4 Annex B (Storage Service Class) for objects that are not slices.
constexpr std::string_view kDicomDirectoryClass = "1.2.840.10008.1.3.10";
constexpr std::string_view kStructuredReportRoot = "1.2.840.10008.5.1.4.1.1.88.";
constexpr std::string_view kPresentationStateRoot = "1.2.840.10008.5.1.4.1.1.11.";
constexpr std::string_view kRadiotherapyRoot = "1.2.840.10008.5.1.4.1.1.481.";
constexpr std::string_view kEncapsulatedDocumentRoot = "1.2.840.10008.5.1.4.1.1.104.";
constexpr std::string_view kWaveformRoot = "1.2.840.10008.5.1.4.1.1.9.";

}  // namespace

std::optional<NotASlice> classifyDicomObject(const DicomObjectHeader& header) {
  const std::string_view sop = header.sopClass;
  const std::string_view modality = header.modality;
  if (header.mediaStorageSopClass == kDicomDirectoryClass || sop == kDicomDirectoryClass ||
      header.hasDirectoryRecords)
    return NotASlice::DicomDirectory;
  if (sop.starts_with(kStructuredReportRoot) || modality == "SR" || modality == "KO")
    return NotASlice::StructuredReport;
  if (sop.starts_with(kPresentationStateRoot) || modality == "PR")
    return NotASlice::PresentationState;
  if (sop.starts_with(kRadiotherapyRoot) || modality.starts_with("RT"))
    return NotASlice::RadiotherapyObject;
  if (sop.starts_with(kEncapsulatedDocumentRoot) || modality == "DOC")
    return NotASlice::EncapsulatedDocument;
  if (sop.starts_with(kWaveformRoot) || modality == "ECG") return NotASlice::Waveform;
  if (!header.hasPixelData) return NotASlice::OtherNonImage;
  // Image Type value 3 names a scout; some scanners put it elsewhere, so any value counts.
  for (const std::string& value : header.imageType)
    if (value == "LOCALIZER") return NotASlice::Localizer;
  return std::nullopt;
}

std::string notASliceNoun(NotASlice kind, int count) {
  const bool one = count == 1;
  switch (kind) {
    case NotASlice::DicomDirectory:
      return one ? "DICOMDIR" : "DICOMDIRs";
    case NotASlice::StructuredReport:
      return one ? "structured report" : "structured reports";
    case NotASlice::PresentationState:
      return one ? "presentation state" : "presentation states";
    case NotASlice::RadiotherapyObject:
      return one ? "radiotherapy object" : "radiotherapy objects";
    case NotASlice::EncapsulatedDocument:
      return one ? "encapsulated document" : "encapsulated documents";
    case NotASlice::Waveform:
      return one ? "waveform" : "waveforms";
    case NotASlice::OtherNonImage:
      return one ? "other object without pixel data" : "other objects without pixel data";
    case NotASlice::Localizer:
      return one ? "localizer" : "localizers";
  }
  return "object";
}

std::string uidKey(std::string_view uid) {
  return uid.empty() ? std::string() : sha256Hex(uid).substr(0, 12);
}

}  // namespace camlabel::imaging
