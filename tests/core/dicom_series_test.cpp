// SPDX-License-Identifier: Apache-2.0
// DICOM as a CD or a PACS export holds it: files found by content whatever their names, the
// files a DICOMDIR lists, objects that are not slices told apart, and where each slice lies.

#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <opencv2/core.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/imaging/ct_image.h"
#include "core/imaging/dicom_reader.h"
#include "core/imaging/dicom_writer.h"
#include "core/imaging/image_folder.h"
#include "core/imaging/image_writer.h"
#include "dicom_cd.h"
#include "test_support.h"

namespace camlabel::imaging {
namespace {

namespace fs = std::filesystem;
using test::dataDir;
using test::TempDir;

std::vector<std::string> relativeNames(const std::vector<fs::path>& files, const fs::path& root) {
  std::vector<std::string> names;
  for (const fs::path& file : files)
    names.push_back(file.lexically_relative(root).generic_string());
  return names;
}

std::optional<NotASlice> refusedAs(const fs::path& path) {
  try {
    probeImage(path);
  } catch (const NotASliceError& e) {
    return e.kind();
  }
  return std::nullopt;
}

TEST(DicomFolder, FindsDicomFilesByContentWhateverTheirNames) {
  TempDir dir;
  fs::create_directories(dir / "DICOM");
  fs::copy_file(dataDir() / "CT_small.dcm", dir / "1.2.840.113619.2.55.3.1");
  fs::copy_file(dataDir() / "CT_small.dcm", dir / "DICOM" / "IM1");
  test::writeFile(dir / "README", "Viewer on this CD: run setup.exe");
  test::writeFile(dir / "notes.txt", std::string(200, 'x'));
  EXPECT_EQ(relativeNames(listImageFiles(dir.path()), dir.path()),
            (std::vector<std::string>{"1.2.840.113619.2.55.3.1", "DICOM/IM1"}));
  EXPECT_TRUE(looksLikeDicomFile(dir / "DICOM" / "IM1"));
  EXPECT_FALSE(looksLikeDicomFile(dir / "README"));
}

TEST(DicomFolder, ListsACdWithItsDicomdirAndAFileWrittenWithoutThePreamble) {
  TempDir dir;
  test::writeCdFolder(dir.path());
  EXPECT_FALSE(looksLikeDicomFile(dir / "DICOM/ST0/SE1/IM2"));
  EXPECT_EQ(relativeNames(listImageFiles(dir.path()), dir.path()),
            (std::vector<std::string>{"DICOM/ST0/SE0/IM1", "DICOM/ST0/SE0/IM2", "DICOM/ST0/SE0/IM3",
                                      "DICOM/ST0/SE1/IM1", "DICOM/ST0/SE1/IM2", "DICOM/ST0/SE2/IM1",
                                      "DICOM/ST0/SE3/IM1", "DICOMDIR"}));
}

TEST(DicomFolder, ADicomdirCannotPointOutsideItsFolderAndIgnoresLetterCase) {
  TempDir dir;
  const fs::path cd = dir / "cd";
  fs::create_directories(cd / "sub");
  fs::copy_file(dataDir() / "CT_small.dcm", cd / "sub" / "img1");
  fs::copy_file(dataDir() / "CT_small.dcm", dir / "outside");
  test::writeDicomDirectory(cd / "DICOMDIR", {{"SUB", "IMG1"}, {"..", "outside"}, {"", "x"}});
  EXPECT_EQ(relativeNames(detail::readDicomDirectory(cd / "DICOMDIR"), cd),
            (std::vector<std::string>{"sub/img1"}));
  EXPECT_EQ(relativeNames(listImageFiles(cd), cd),
            (std::vector<std::string>{"DICOMDIR", "sub/img1"}));
}

TEST(DicomFolder, AnUnreadableDicomdirIsListedItselfAndAddsNothing) {
  TempDir dir;
  std::string bytes(128, '\0');
  bytes += "DICM";
  bytes += "garbage that is no data set";
  test::writeFile(dir / "DICOMDIR", bytes);
  EXPECT_THROW(detail::readDicomDirectory(dir / "DICOMDIR"), InputError);
  EXPECT_EQ(relativeNames(listImageFiles(dir.path()), dir.path()),
            (std::vector<std::string>{"DICOMDIR"}));
}

TEST(DicomObjects, WhatIsNotASliceIsToldByWhatItIs) {
  TempDir dir;
  test::writeCdFolder(dir.path());
  EXPECT_EQ(refusedAs(dir / "DICOMDIR"), NotASlice::DicomDirectory);
  EXPECT_EQ(refusedAs(dir / "DICOM/ST0/SE3/IM1"), NotASlice::StructuredReport);
  EXPECT_EQ(refusedAs(dataDir() / "rtplan.dcm"), NotASlice::RadiotherapyObject);
  // Images that are not slices are read (a user may look at them) and marked.
  EXPECT_EQ(probeImage(dir / "DICOM/ST0/SE2/IM1").notASlice, NotASlice::Localizer);
  EXPECT_EQ(probeImage(dataDir() / "rtdose.dcm").notASlice, NotASlice::RadiotherapyObject);
  EXPECT_EQ(probeImage(dir / "DICOM/ST0/SE0/IM1").notASlice, std::nullopt);
  EXPECT_EQ(probeImage(dataDir() / "CT_small.dcm").notASlice, std::nullopt);
  try {
    readImage(dir / "DICOM/ST0/SE3/IM1");
    ADD_FAILURE() << "a report was read as an image";
  } catch (const NotASliceError& e) {
    EXPECT_NE(e.reason().find("not an image: a structured report"), std::string::npos)
        << e.reason();
  }

  DicomObjectHeader header;
  header.hasPixelData = true;
  header.modality = "CT";
  EXPECT_EQ(classifyDicomObject(header), std::nullopt);
  header.imageType = {"ORIGINAL", "PRIMARY", "LOCALIZER"};
  EXPECT_EQ(classifyDicomObject(header), NotASlice::Localizer);
  header.modality = "KO";
  EXPECT_EQ(classifyDicomObject(header), NotASlice::StructuredReport);
  header = {};
  header.sopClass = "1.2.840.10008.5.1.4.1.1.11.1";  // Grayscale Softcopy Presentation State
  EXPECT_EQ(classifyDicomObject(header), NotASlice::PresentationState);
  header.sopClass = "1.2.840.10008.5.1.4.1.1.104.1";  // Encapsulated PDF
  EXPECT_EQ(classifyDicomObject(header), NotASlice::EncapsulatedDocument);
  header.sopClass = "1.2.840.10008.5.1.4.1.1.9.1.1";  // 12-lead ECG
  EXPECT_EQ(classifyDicomObject(header), NotASlice::Waveform);
  header.sopClass = "1.2.3";
  EXPECT_EQ(classifyDicomObject(header), NotASlice::OtherNonImage);
  EXPECT_EQ(notASliceNoun(NotASlice::Localizer, 2), "localizers");
  EXPECT_EQ(notASliceNoun(NotASlice::StructuredReport, 1), "structured report");
}

TEST(DicomPlacement, SeriesAndPositionComeFromTheHeaderWithoutTheirUids) {
  TempDir dir;
  test::writeCdFolder(dir.path());
  const SlicePlacement low = probeImage(dir / "DICOM/ST0/SE0/IM1").placement;
  const SlicePlacement high = probeImage(dir / "DICOM/ST0/SE0/IM3").placement;
  const SlicePlacement other = probeImage(dir / "DICOM/ST0/SE1/IM2").placement;
  ASSERT_TRUE(low.positionMm && high.positionMm);
  EXPECT_DOUBLE_EQ(*low.positionMm, -20.0);
  EXPECT_DOUBLE_EQ(*high.positionMm, 0.0);
  EXPECT_EQ(low.seriesNumber, 2);
  EXPECT_EQ(low.instanceNumber, 1);
  EXPECT_EQ(high.instanceNumber, 3);
  EXPECT_EQ(other.seriesNumber, 3);
  EXPECT_EQ(low.seriesKey, high.seriesKey);
  EXPECT_NE(low.seriesKey, other.seriesKey);
  EXPECT_EQ(low.studyKey, other.studyKey);
  EXPECT_EQ(low.seriesKey.size(), 12U);
  EXPECT_EQ(low.seriesKey.find_first_not_of("0123456789abcdef"), std::string::npos);

  // A sagittal slice: rows along +y, columns along -z, so the normal is -x.
  const fs::path sagittal = dir / "sagittal.dcm";
  writeCtDicom(sagittal, cv::Mat(16, 16, CV_32F, cv::Scalar(0.0F)));
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(sagittal.c_str()).good());
  file.getDataset()->putAndInsertString(DCM_ImageOrientationPatient, "0\\1\\0\\0\\0\\-1");
  file.getDataset()->putAndInsertString(DCM_ImagePositionPatient, "12\\-50\\80");
  ASSERT_TRUE(file.saveFile(sagittal.c_str(), EXS_LittleEndianExplicit).good());
  EXPECT_DOUBLE_EQ(*probeImage(sagittal).placement.positionMm, -12.0);
  // A PNG has no placement.
  writeImageFile(dir / "slice.png", cv::Mat(16, 16, CV_8UC1, cv::Scalar(3)));
  EXPECT_EQ(probeImage(dir / "slice.png").placement.positionMm, std::nullopt);
}

}  // namespace
}  // namespace camlabel::imaging
