// SPDX-License-Identifier: Apache-2.0
#include "dicom_cd.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <opencv2/core.hpp>

#include <stdexcept>

#include "core/imaging/dicom_writer.h"

namespace camlabel::test {
namespace {

namespace fs = std::filesystem;

void check(const OFCondition& status, const std::string& what) {
  if (status.bad()) throw std::runtime_error(what + ": " + status.text());
}

std::string joinFileId(const std::vector<std::string>& parts) {
  std::string id;
  for (const std::string& part : parts)
    id += (id.empty() ? "" : "\\") + part;
  return id;
}

/// Loads a DICOM file, lets edit change its data set, and saves it back (with or without the
/// Part 10 preamble and meta header).
template <typename Edit>
void rewrite(const fs::path& path, Edit edit, bool preamble = true) {
  DcmFileFormat file;
  check(file.loadFile(path.c_str()), "load " + path.string());
  // Long values stay on disk until written; the file is about to be replaced, so read them now.
  check(file.loadAllDataIntoMemory(), "read " + path.string());
  edit(*file.getDataset());
  check(file.saveFile(path.c_str(), file.getDataset()->getOriginalXfer(), EET_ExplicitLength,
                      EGL_recalcGL, EPD_noChange, 0, 0, preamble ? EWM_fileformat : EWM_dataset),
        "save " + path.string());
}

cv::Mat slice(float hu) {
  return cv::Mat(16, 16, CV_32F, cv::Scalar(hu));
}

}  // namespace

void copyAsEnhancedCt(const fs::path& multiFrame, const fs::path& to) {
  fs::copy_file(multiFrame, to, fs::copy_options::overwrite_existing);
  rewrite(to, [](DcmDataset& d) {
    check(d.putAndInsertString(DCM_SOPClassUID, UID_EnhancedCTImageStorage), "sop class");
    check(d.putAndInsertString(DCM_Modality, "CT"), "modality");
  });
}

void writeDicomDirectory(const fs::path& path,
                         const std::vector<std::vector<std::string>>& fileIds) {
  DcmFileFormat file;
  DcmItem& meta = *file.getMetaInfo();
  check(meta.putAndInsertString(DCM_MediaStorageSOPClassUID, UID_MediaStorageDirectoryStorage),
        "meta");
  DcmDataset& dataset = *file.getDataset();
  check(dataset.putAndInsertString(DCM_FileSetID, "CAMLABEL"), "file set");
  for (const auto& parts : fileIds) {
    auto* record = new DcmItem();
    check(record->putAndInsertString(DCM_DirectoryRecordType, "IMAGE"), "record type");
    check(record->putAndInsertString(DCM_ReferencedFileID, joinFileId(parts).c_str()), "file id");
    check(dataset.insertSequenceItem(DCM_DirectoryRecordSequence, record), "record");
  }
  check(file.saveFile(path.c_str(), EXS_LittleEndianExplicit), "save DICOMDIR");
}

CdFolder writeCdFolder(const fs::path& dir) {
  using imaging::DicomSlicePlace;
  CdFolder cd;
  std::vector<std::vector<std::string>> listed;
  const auto identify = [](DcmDataset& d) {
    check(d.putAndInsertString(DCM_PatientName, "CAMLABEL^TESTPATIENT"), "name");
    check(d.putAndInsertString(DCM_PatientID, "PID-90817"), "id");
    check(d.putAndInsertString(DCM_InstitutionName, "Camlabel Test Hospital"), "institution");
    check(d.putAndInsertString(DCM_AccessionNumber, "ACC-55123"), "accession");
  };
  cd.identifiers = {"CAMLABEL^TESTPATIENT", "PID-90817", "Camlabel Test Hospital", "ACC-55123"};
  auto write = [&](const std::string& series, const std::string& image, const cv::Mat& hu,
                   const DicomSlicePlace& place) {
    const fs::path path = dir / "DICOM" / "ST0" / series / image;
    fs::create_directories(path.parent_path());
    imaging::writeCtDicom(path, hu, 0.7, std::nullopt, place);
    rewrite(path, identify);
    listed.push_back({"DICOM", "ST0", series, image});
    return path;
  };
  DicomSlicePlace first = imaging::newDicomSeries(2);
  DicomSlicePlace second = imaging::newDicomSeries(3);
  second.studyUid = first.studyUid;
  DicomSlicePlace scout = imaging::newDicomSeries(1);
  scout.studyUid = first.studyUid;
  cd.identifiers.insert(cd.identifiers.end(), {first.studyUid, first.seriesUid, second.seriesUid});
  cd.studyInstanceUid = first.studyUid;
  cd.patientId = "PID-90817";

  // Series 2: three slices; IM1 lies lowest (z -20), IM3 highest (z 0), so the head-first order
  // is IM3, IM2, IM1; their instance numbers say the opposite, and position wins.
  for (int i = 1; i <= 3; ++i) {
    DicomSlicePlace place = first;
    place.instanceNumber = i;
    place.zMm = -10.0 * (3 - i);
    write("SE0", "IM" + std::to_string(i), slice(-800.0F + 10.0F * i), place);
  }
  cd.slicesInOrder = {"DICOM/ST0/SE0/IM3", "DICOM/ST0/SE0/IM2", "DICOM/ST0/SE0/IM1"};
  // Series 3: two slices in name order; IM2 is saved without the preamble.
  for (int i = 1; i <= 2; ++i) {
    DicomSlicePlace place = second;
    place.instanceNumber = i;
    place.zMm = 5.0 - 10.0 * i;
    write("SE1", "IM" + std::to_string(i), slice(-600.0F + 10.0F * i), place);
  }
  rewrite(
      dir / "DICOM/ST0/SE1/IM2", [](DcmDataset&) {}, /*preamble=*/false);
  cd.slicesInOrder.insert(cd.slicesInOrder.end(), {"DICOM/ST0/SE1/IM1", "DICOM/ST0/SE1/IM2"});
  // Series 1: a scout.
  const fs::path scoutPath = write("SE2", "IM1", slice(-500.0F), scout);
  rewrite(scoutPath, [](DcmDataset& d) {
    check(d.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\LOCALIZER"), "image type");
  });
  cd.localizers = 1;
  // A structured report: no pixel data.
  {
    DcmFileFormat report;
    DcmDataset& d = *report.getDataset();
    char uid[100];
    check(d.putAndInsertString(DCM_SOPClassUID, UID_ComprehensiveSRStorage), "sop class");
    check(d.putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid)), "uid");
    check(d.putAndInsertString(DCM_StudyInstanceUID, first.studyUid.c_str()), "study");
    check(d.putAndInsertString(DCM_SeriesInstanceUID, dcmGenerateUniqueIdentifier(uid)), "ser");
    check(d.putAndInsertString(DCM_Modality, "SR"), "modality");
    identify(d);
    const fs::path path = dir / "DICOM" / "ST0" / "SE3" / "IM1";
    fs::create_directories(path.parent_path());
    check(report.saveFile(path.c_str(), EXS_LittleEndianExplicit), "save report");
    listed.push_back({"DICOM", "ST0", "SE3", "IM1"});
  }
  cd.structuredReports = 1;
  writeDicomDirectory(dir / "DICOMDIR", listed);
  cd.dicomDirectories = 1;
  return cd;
}

}  // namespace camlabel::test
