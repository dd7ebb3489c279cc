// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"

namespace camlabel::imaging {

/// A readable DICOM object that is not a CT slice to label, by what it is: a CD or a PACS study
/// holds these beside the slices, and an import skips and counts them instead of failing on them.
enum class NotASlice {
  DicomDirectory,        ///< a DICOMDIR: the index of a CD, not an image
  StructuredReport,      ///< SR documents, key object selections included
  PresentationState,     ///< how to show another image
  RadiotherapyObject,    ///< RT structure sets, plans, doses, RT images
  EncapsulatedDocument,  ///< a PDF or CDA document wrapped in DICOM
  Waveform,              ///< ECG and other waveforms
  OtherNonImage,         ///< any other object without pixel data
  Localizer,             ///< a scout (Image Type LOCALIZER): an image, but not a slice
};
inline constexpr int kNotASliceKinds = 8;

/// What a report calls count objects of this kind, e.g. "1 structured report", "2 localizers"
/// (the noun only, in English, singular or plural as count asks).
std::string notASliceNoun(NotASlice kind, int count);

/// What a DICOM object is when it is not a slice to label, from its header: the Media Storage SOP
/// Class of its file meta information, its SOP Class UID, Modality, whether it has Pixel Data and
/// the values of its Image Type. std::nullopt for an image that may be a slice (CT, MR, ...).
struct DicomObjectHeader {
  std::string mediaStorageSopClass;
  std::string sopClass;
  std::string modality;
  bool hasPixelData = false;
  bool hasDirectoryRecords = false;  ///< a Directory Record Sequence, as a DICOMDIR holds
  std::vector<std::string> imageType;
};
std::optional<NotASlice> classifyDicomObject(const DicomObjectHeader& header);

/// Thrown for a DICOM object that is not a slice to label, with what it is. The readers throw it
/// for an object without pixel data; an import also for an image that is not a slice.
class NotASliceError : public InputError {
 public:
  NotASliceError(std::string path, NotASlice kind, std::string reason)
      : InputError(std::move(path), std::move(reason)), kind_(kind) {}
  NotASlice kind() const noexcept { return kind_; }

 private:
  NotASlice kind_;
};

/// Where a DICOM slice lies and which study and series it belongs to, from its header. No
/// identifier is kept: a study and a series appear as short hashes of their instance UIDs, equal
/// for the slices of one series and telling nothing else.
struct SlicePlacement {
  std::string studyKey;   ///< 12 hex digits of SHA-256(Study Instance UID); empty when absent
  std::string seriesKey;  ///< 12 hex digits of SHA-256(Series Instance UID); empty when absent
  std::optional<int> seriesNumber;
  std::optional<int> instanceNumber;
  /// Image Position (Patient) projected on the slice normal (the cross product of the two Image
  /// Orientation (Patient) directions), in mm: where the slice lies along the series. For an
  /// axial CT it is the z coordinate, larger towards the head.
  std::optional<double> positionMm;
};

/// The first 12 hex digits of the SHA-256 of a UID (empty for an empty UID): tells studies and
/// series apart, names nothing. SlicePlacement's keys, and the folders a PACS retrieval writes.
std::string uidKey(std::string_view uid);

}  // namespace camlabel::imaging
