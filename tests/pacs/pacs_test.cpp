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

SeriesQuery query(std::string study, std::string patient, std::string modality) {
  SeriesQuery q;
  q.studyInstanceUid = std::move(study);
  q.patientId = std::move(patient);
  q.modality = std::move(modality);
  return q;
}

/// A PACS holding the CD folder's study: two CT series, a localizer, a structured report.
struct Fixture {
  test::TempDir tmp;
  test::CdFolder cd = test::writeCdFolder(tmp / "cd");
  test::OrthancServer server{tmp / "orthanc"};

  Fixture() { server.storeFolder(tmp / "cd"); }

  PacsAddress address() const { return parsePacsAddress(server.address()); }
  SeriesQuery study() const { return query(cd.studyInstanceUid, "", "CT"); }

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
  EXPECT_EQ(client.findSeries(query(f.cd.studyInstanceUid, "", "SR")).size(), 1U);
  EXPECT_EQ(client.findSeries(query(f.cd.studyInstanceUid, "", "")).size(), 4U);
  EXPECT_EQ(client.findInstances(ct[1]).size(), 3U);

  const std::vector<SeriesInfo> ofPatient = client.findSeries(query("", f.cd.patientId, "CT"));
  ASSERT_EQ(ofPatient.size(), 3U);
  EXPECT_EQ(ofPatient[1].seriesInstanceUid, ct[1].seriesInstanceUid);
  EXPECT_TRUE(client.findSeries(query("", "NOBODY-123", "CT")).empty());
  EXPECT_THROW(client.findSeries(query("", "", "CT")), Error) << "neither study nor patient";
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

// A user ticks some of a study's series (or names them by number): only those are retrieved;
// a choice that is not there is refused before anything is fetched, saying what there is.
TEST(Pacs, RetrievesOnlyTheChosenSeries) {
  Fixture f;
  const std::vector<SeriesInfo> found = findSeriesOnPacs(f.address(), f.study());
  ASSERT_EQ(found.size(), 3U);
  const fs::path folder = f.tmp / "retrieved";

  SeriesQuery ticked = f.study();
  ticked.seriesInstanceUids = {found[1].seriesInstanceUid};
  const PacsRetrieval second = retrieveFromPacs(f.address(), ticked, folder);
  EXPECT_EQ(describeRetrieval(second), "1 CT series, 3 files: 3 retrieved, 0 already here");
  ASSERT_EQ(second.series.size(), 1U);
  EXPECT_EQ(second.series[0].seriesNumber, 2);
  EXPECT_EQ(countFiles(folder, ".dcm"), 3);

  SeriesQuery byNumber = f.study();
  byNumber.seriesNumbers = {3, 2};
  const PacsRetrieval more = retrieveFromPacs(f.address(), byNumber, folder);
  EXPECT_EQ(describeRetrieval(more), "2 CT series, 5 files: 2 retrieved, 3 already here");
  EXPECT_EQ(countFiles(folder, ".dcm"), 5) << "the localizer (series 1) was never asked for";

  byNumber.seriesNumbers = {2, 7};
  try {
    retrieveFromPacs(f.address(), byNumber, f.tmp / "elsewhere");
    ADD_FAILURE() << "series 7 is not in the study";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "there is no series 7 among the CT series found (1, 2, 3)");
  }
  SeriesQuery gone = f.study();
  gone.seriesInstanceUids = {found[0].seriesInstanceUid, "1.2.3.4.5"};
  EXPECT_THROW(retrieveFromPacs(f.address(), gone, f.tmp / "elsewhere"), Error);
  EXPECT_FALSE(fs::exists(f.tmp / "elsewhere")) << "refused before anything was fetched";
}

TEST(PacsSeries, ChosenByUidAndNumberInTheOrderFound) {
  std::vector<SeriesInfo> found(4);
  for (int k = 0; k < 4; ++k) {
    found[k].studyInstanceUid = k < 2 ? "1.1" : "1.2";
    found[k].seriesInstanceUid = "2." + std::to_string(k);
    found[k].modality = "CT";
    found[k].seriesNumber = k % 2 + 1;  // series 1 and 2 in each of two studies
  }
  SeriesQuery q = query("", "PATIENT", "CT");
  EXPECT_EQ(chosenSeries(found, q).size(), 4U) << "no choice: every series";
  q.seriesNumbers = {2};
  const std::vector<SeriesInfo> second = chosenSeries(found, q);
  ASSERT_EQ(second.size(), 2U) << "series 2 of each study";
  EXPECT_EQ(second[0].seriesInstanceUid, "2.1");
  EXPECT_EQ(second[1].seriesInstanceUid, "2.3");
  q.seriesInstanceUids = {"2.3", "2.0"};
  const std::vector<SeriesInfo> both = chosenSeries(found, q);
  ASSERT_EQ(both.size(), 1U) << "ticked and numbered";
  EXPECT_EQ(both[0].seriesInstanceUid, "2.3");
  q.seriesNumbers = {};
  q.seriesInstanceUids = {"2.3", "2.9", "2.8"};
  try {
    chosenSeries(found, q);
    ADD_FAILURE() << "two of the chosen series are not there";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "2 of the 3 chosen series are no longer on the PACS: look for the study's series "
                 "again");
  }
}

// What a PACS sends as a series description reaches a terminal or a list: never a control code
// (an escape sequence would drive the terminal), bytes that are not UTF-8 as %XX.
TEST(PacsSeries, DescribedWithoutControlCodes) {
  SeriesInfo s;
  s.seriesNumber = 2;
  s.instances = 120;
  s.description = "AXIAL\x1b]0;owned\x07 1.25\xe9";
  EXPECT_EQ(shownDescription(s), "AXIAL ]0;owned  1.25%E9");
  EXPECT_EQ(describeSeries(s), "series 2: AXIAL ]0;owned  1.25%E9, 120 images");
  s.description.clear();
  s.instances = 1;
  EXPECT_EQ(describeSeries(s), "series 2: 1 image");
  s.seriesNumber = 0;
  s.instances = 0;
  EXPECT_EQ(describeSeries(s), "series ?");
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
    retrieveFromPacs(f.address(), query("", "PID-NOBODY-77", "CT"), f.tmp / "retrieved");
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

// Listing a study's series first, then taking one by its number, as a user does who does not
// want the scout or a second reconstruction.
TEST(PacsCli, ListsTheSeriesThenTakesTheOnesNamed) {
  Fixture f;
  const fs::path dir = f.tmp / "project";
  const test::CliRun listed =
      test::runCli({"project", "new", dir.string(), "--pacs", f.server.address(), "--study",
                    f.cd.studyInstanceUid, "--list-series"});
  ASSERT_EQ(listed.exitCode, 0) << listed.output;
  EXPECT_EQ(listed.out,
            "series 1: camlabel synthetic phantom, 1 image\n"
            "series 2: camlabel synthetic phantom, 3 images\n"
            "series 3: camlabel synthetic phantom, 2 images\n");
  EXPECT_FALSE(fs::exists(dir)) << "listing makes no project";

  const test::CliRun created =
      test::runCli({"project", "new", dir.string(), "--pacs", f.server.address(), "--study",
                    f.cd.studyInstanceUid, "--series", "2"});
  ASSERT_EQ(created.exitCode, 0) << created.output;
  EXPECT_EQ(created.out,
            "from the PACS: 1 CT series, 3 files: 3 retrieved, 0 already here\n"
            "added 3, duplicates 0, already imported 0, unreadable 0\n");
  const test::CliRun more =
      test::runCli({"project", "import", dir.string(), "--pacs", f.server.address(), "--study",
                    f.cd.studyInstanceUid, "--series", "3,9"});
  EXPECT_EQ(more.exitCode, 1) << more.output;
  EXPECT_NE(more.err.find("there is no series 9 among the CT series found (1, 2, 3)"),
            std::string::npos)
      << more.err;
  EXPECT_EQ(project::Project::open(dir)->imageCount(), 3);
  for (const std::string& identifier : f.cd.identifiers) {
    EXPECT_EQ(listed.output.find(identifier), std::string::npos) << identifier;
    EXPECT_EQ(created.output.find(identifier), std::string::npos) << identifier;
  }
}

}  // namespace
}  // namespace camlabel::pacs
