// SPDX-License-Identifier: Apache-2.0
// Query and retrieve against a real PACS: a throwaway Orthanc per test, fed with the CD-style
// folder's files by C-STORE, as a modality would send them.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "cli_runner.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/imaging/ct_image.h"
#include "core/pacs/pacs_client.h"
#include "core/project/project.h"
#include "dicom_cd.h"
#include "orthanc_server.h"
#include "test_support.h"

namespace camlabel::pacs {
namespace {

namespace fs = std::filesystem;

/// A PACS holding the CD folder's study: two CT series, a localizer, a structured report.
struct Fixture {
  test::TempDir tmp;
  test::CdFolder cd = test::writeCdFolder(tmp / "cd");
  test::OrthancServer server{tmp / "orthanc"};

  Fixture() { server.storeFolder(tmp / "cd"); }

  PacsAddress address() const { return parsePacsAddress(server.address()); }
  SeriesQuery study() const { return {cd.studyInstanceUid, "", "CT"}; }

  /// Where the retrieval writes a file of the CD folder.
  fs::path retrievedFrom(const std::string& cdFile, const fs::path& folder) const {
    DcmFileFormat f;
    EXPECT_TRUE(f.loadFile((tmp.path() / "cd" / cdFile).c_str()).good()) << cdFile;
    OFString study, series, instance;
    f.getDataset()->findAndGetOFString(DCM_StudyInstanceUID, study);
    f.getDataset()->findAndGetOFString(DCM_SeriesInstanceUID, series);
    f.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, instance);
    return retrievedFile(folder, study.c_str(), series.c_str(), instance.c_str());
  }
};

/// Calls back after each retrieved file; stops (cancels) when the callback says so.
class Callback : public ProgressDelegate {
 public:
  explicit Callback(std::function<bool(int)> onFile) : onFile_(std::move(onFile)) {}
  bool update(double fraction, std::string_view) override {
    if (fraction <= 0) return true;  // the start
    return onFile_(++files_);
  }

 private:
  std::function<bool(int)> onFile_;
  int files_ = 0;
};

int countFiles(const fs::path& folder, const std::string& extension) {
  if (!fs::exists(folder)) return 0;
  return static_cast<int>(std::count_if(
      fs::recursive_directory_iterator(folder), fs::recursive_directory_iterator(),
      [&](const auto& e) { return e.is_regular_file() && e.path().extension() == extension; }));
}

TEST(PacsAddress, ReadsTheDicomFormAndRefusesOthers) {
  const PacsAddress a = parsePacsAddress("dicom://ORTHANC@pacs.example.org:4242");
  EXPECT_EQ(a.calledAeTitle, "ORTHANC");
  EXPECT_EQ(a.host, "pacs.example.org");
  EXPECT_EQ(a.port, 4242);
  EXPECT_EQ(a.callingAeTitle, "CAMLABEL");
  EXPECT_EQ(parsePacsAddress("dicom://MAIN PACS@10.0.0.7").port, 104);
  for (const char* bad :
       {"http://ORTHANC@pacs:4242", "dicom://pacs:4242", "dicom://@pacs:4242",
        "dicom://ORTHANC@pacs:0", "dicom://ORTHANC@pacs:70000", "dicom://ORTHANC@pacs:42x",
        "dicom://ORTHANC@:4242", "dicom://AN_AE_TITLE_TOO_LONG@pacs", "dicom://A\\B@pacs",
        "dicom://ORTHANC@pa cs:4242", "dicom://ORTHANC@pacs;rm -rf:4242"}) {
    EXPECT_THROW(parsePacsAddress(bad), Error) << bad;
  }
  EXPECT_THROW(checkAeTitle("    ", "the calling AE title"), Error);
  EXPECT_NO_THROW(checkAeTitle("CAMLABEL", "the calling AE title"));
}

TEST(Pacs, FindsTheSeriesOfAStudyInSeriesOrderAndOnlyOfTheModalityAsked) {
  Fixture f;
  PacsClient client(f.address());
  client.echo();
  const std::vector<SeriesInfo> ct = client.findSeries(f.study());
  ASSERT_EQ(ct.size(), 3U) << "localizer, then the two axial series; not the report";
  EXPECT_EQ(ct[0].seriesNumber, 1);
  EXPECT_EQ(ct[0].instances, 1);
  EXPECT_EQ(ct[1].seriesNumber, 2);
  EXPECT_EQ(ct[1].instances, 3);
  EXPECT_EQ(ct[2].seriesNumber, 3);
  EXPECT_EQ(ct[2].instances, 2);
  for (const SeriesInfo& s : ct)
    EXPECT_EQ(s.modality, "CT");
  EXPECT_EQ(client.findSeries({f.cd.studyInstanceUid, "", "SR"}).size(), 1U);
  EXPECT_EQ(client.findSeries({f.cd.studyInstanceUid, "", ""}).size(), 4U);
  EXPECT_EQ(client.findInstances(ct[1]).size(), 3U);

  const std::vector<SeriesInfo> ofPatient = client.findSeries({"", f.cd.patientId, "CT"});
  ASSERT_EQ(ofPatient.size(), 3U);
  EXPECT_EQ(ofPatient[1].seriesInstanceUid, ct[1].seriesInstanceUid);
  EXPECT_TRUE(client.findSeries({"", "NOBODY-123", "CT"}).empty());
  EXPECT_THROW(client.findSeries({"", "", "CT"}), Error) << "neither study nor patient";
}

TEST(Pacs, RetrievesEachFileOnceUnderHashedNamesAndFetchesOnlyWhatIsMissing) {
  Fixture f;
  const fs::path folder = f.tmp / "retrieved";
  const PacsRetrieval first = retrieveFromPacs(f.address(), f.study(), folder);
  EXPECT_EQ(first.report.series, 3);
  EXPECT_EQ(first.report.received, 6);
  EXPECT_EQ(first.report.alreadyThere, 0);
  EXPECT_EQ(first.report.failed, 0);
  EXPECT_EQ(first.report.files.size(), 6U);
  EXPECT_EQ(describeRetrieval(first), "3 CT series, 6 files: 6 retrieved, 0 already here");
  for (const std::string& slice : f.cd.slicesInOrder) {
    const fs::path file = f.retrievedFrom(slice, folder);
    ASSERT_TRUE(fs::exists(file)) << slice;
    EXPECT_EQ(imaging::readImage(file).values.rows, 16) << slice;
  }
  // File and folder names are hashes: no UID or other identifier is written into a path.
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    for (const std::string& identifier : f.cd.identifiers)
      EXPECT_EQ(entry.path().string().find(identifier), std::string::npos) << identifier;

  // One file lost (or never arrived): a rerun fetches that one only.
  fs::remove(f.retrievedFrom(f.cd.slicesInOrder[1], folder));
  const PacsRetrieval second = retrieveFromPacs(f.address(), f.study(), folder);
  EXPECT_EQ(second.report.received, 1);
  EXPECT_EQ(second.report.alreadyThere, 5);
  EXPECT_EQ(second.report.files.size(), 6U);
  const PacsRetrieval third = retrieveFromPacs(f.address(), f.study(), folder);
  EXPECT_EQ(third.report.received, 0);
  EXPECT_EQ(third.report.alreadyThere, 6);
}

TEST(Pacs, AServerThatStopsDuringARetrievalGivesAClearErrorAndARerunCompletes) {
  Fixture f;
  const fs::path folder = f.tmp / "retrieved";
  Callback killAfterTheFirst([&](int files) {
    if (files == 1) f.server.kill();
    return true;
  });
  try {
    retrieveFromPacs(f.address(), f.study(), folder, &killAfterTheFirst);
    FAIL() << "the retrieval went on without its server";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("stopped answering"), std::string::npos) << message;
    EXPECT_NE(message.find("1 of 6 files arrived and are kept"), std::string::npos) << message;
    EXPECT_NE(message.find("run the same command again"), std::string::npos) << message;
  }
  EXPECT_EQ(countFiles(folder, ".dcm"), 1);
  EXPECT_EQ(countFiles(folder, ".part"), 0);

  // While it is down: a clear error, nothing written.
  try {
    retrieveFromPacs(f.address(), f.study(), folder);
    FAIL() << "connected to a stopped server";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to the PACS 'ORTHANC' at 127.0.0.1:"),
              std::string::npos)
        << e.what();
  }

  f.server.start();
  const PacsRetrieval rerun = retrieveFromPacs(f.address(), f.study(), folder);
  EXPECT_EQ(rerun.report.alreadyThere, 1);
  EXPECT_EQ(rerun.report.received, 5);
  EXPECT_EQ(countFiles(folder, ".dcm"), 6);
}

TEST(Pacs, CancellingKeepsWhatArrived) {
  Fixture f;
  const fs::path folder = f.tmp / "retrieved";
  Callback stopAfterTwo([](int files) { return files < 2; });
  EXPECT_THROW(retrieveFromPacs(f.address(), f.study(), folder, &stopAfterTwo), Cancelled);
  EXPECT_EQ(countFiles(folder, ".dcm"), 2);
  EXPECT_EQ(retrieveFromPacs(f.address(), f.study(), folder).report.received, 4);
}

TEST(Pacs, NothingToTakeSaysSoWithoutQuotingThePatient) {
  Fixture f;
  try {
    retrieveFromPacs(f.address(), {"", "PID-NOBODY-77", "CT"}, f.tmp / "retrieved");
    FAIL() << "nothing matched, yet no error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("has no CT series of the given patient"), std::string::npos) << message;
    EXPECT_EQ(message.find("PID-NOBODY-77"), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(f.tmp / "retrieved"));
}

// The whole path a user takes: `project new --pacs` retrieves the study into the project and
// imports its slices series by series, head first, with the localizer skipped and no identifier
// in the project or the output; `project import --pacs` afterwards adds nothing twice.
TEST(PacsCli, ProjectNewFromAPacsStudyImportsItsSlicesInAnatomicalOrder) {
  Fixture f;
  const fs::path dir = f.tmp / "project";
  const test::CliRun created = test::runCli({"project", "new", dir.string(), "--pacs",
                                             f.server.address(), "--study", f.cd.studyInstanceUid});
  ASSERT_EQ(created.exitCode, 0) << created.output;
  EXPECT_EQ(created.out,
            "from the PACS: 3 CT series, 6 files: 6 retrieved, 0 already here\n"
            "added " +
                std::to_string(f.cd.slicesInOrder.size()) +
                ", duplicates 0, already imported 0, unreadable 0\n"
                "skipped, not slices to label: 1 localizer\n");
  {
    auto project = project::Project::open(dir);
    EXPECT_EQ(fs::canonical(project->settings().imageRoot), fs::canonical(dir / "images"));
    std::vector<std::string> expected;
    for (const std::string& slice : f.cd.slicesInOrder)
      expected.push_back(
          fs::relative(f.retrievedFrom(slice, dir / "images" / "pacs"), dir / "images")
              .generic_string());
    std::vector<std::string> order;
    for (std::int64_t i = 0;; ++i) {
      auto image = project->imageAt(i);
      if (!image) break;
      order.push_back(image->relativePath);
    }
    EXPECT_EQ(order, expected);
    project->database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const std::string stored = test::readFile(dir / "project.sqlite");
  const test::CliRun status = test::runCli({"project", "status", dir.string(), "--json"});
  for (const std::string& identifier : f.cd.identifiers) {
    EXPECT_EQ(stored.find(identifier), std::string::npos) << identifier;
    EXPECT_EQ(created.output.find(identifier), std::string::npos) << identifier;
    EXPECT_EQ(status.output.find(identifier), std::string::npos) << identifier;
  }

  const test::CliRun again = test::runCli({"project", "import", dir.string(), "--pacs",
                                           f.server.address(), "--patient", f.cd.patientId});
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.out.find("6 files: 0 retrieved, 6 already here"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("added 0,"), std::string::npos) << again.out;
  EXPECT_EQ(again.output.find(f.cd.patientId), std::string::npos);

  const test::CliRun neither =
      test::runCli({"project", "new", (f.tmp / "p2").string(), "--pacs", f.server.address()});
  EXPECT_EQ(neither.exitCode, 2) << neither.output;
  EXPECT_NE(neither.err.find("--study UID or --patient ID"), std::string::npos) << neither.err;
  EXPECT_FALSE(fs::exists(f.tmp / "p2" / "project.sqlite"));
}

}  // namespace
}  // namespace camlabel::pacs
