// SPDX-License-Identifier: Apache-2.0
#pragma once
// Query and retrieve CT series from a PACS (DICOM C-FIND and C-GET, through DCMTK's dcmnet).
//
// Retrieved files are named by hashes of their UIDs (study/series/instance), never by patient
// data, and are written atomically, so an interrupted retrieval leaves only whole files and a
// rerun fetches only what is missing. Nothing here logs or stores a patient identifier: the
// queries carry what the user asked for, the results keep UIDs only for the retrieval.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace camlabel {
class ProgressDelegate;
}

namespace camlabel::pacs {

/// Where a PACS listens and who we are to it.
struct PacsAddress {
  std::string calledAeTitle;                ///< the PACS's AE title
  std::string host;                         ///< name or IPv4 address
  int port = 104;                           ///< DICOM's registered port by default
  std::string callingAeTitle = "CAMLABEL";  ///< ours, as the PACS knows this workstation
};

/// "dicom://CALLED_AET@HOST[:PORT]" (port 104 when absent). Throws Error naming the accepted
/// form for anything else (an AE title is 1 to 16 characters, no backslash or control code).
PacsAddress parsePacsAddress(std::string_view text);

/// Throws Error unless `title` is a valid AE title (1 to 16 characters, not only spaces, no
/// backslash or control code). `what` names it in the message ("the calling AE title").
void checkAeTitle(std::string_view title, std::string_view what);

/// Which series to take: those of one study, or of every study of one patient; only series of
/// `modality` (empty: every modality); of those, only the ones chosen, if any are.
struct SeriesQuery {
  std::string studyInstanceUid;  ///< one study; or
  std::string patientId;         ///< every study of this patient
  std::string modality = "CT";
  /// Only these series (Series Instance UIDs from an earlier findSeries, e.g. the ones a user
  /// ticked); empty: every series found.
  std::vector<std::string> seriesInstanceUids;
  /// Only series with these series numbers (what a viewer calls "series 3"; with several studies,
  /// in each of them); empty: every series found.
  std::vector<int> seriesNumbers;
};

/// One series as the PACS describes it. The UIDs are kept for the retrieval only.
struct SeriesInfo {
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string modality;
  std::string description;
  int seriesNumber = 0;  ///< 0 when the PACS did not say
  int instances = 0;     ///< as the PACS counts them; 0 when it did not say
};

/// Of `found` (findSeries' answer to `query`), the series `query` chooses, in the same order.
/// Throws Error naming what was asked for and what there is when a chosen UID or number is not
/// among them (a UID is not quoted: "2 of the chosen series are no longer on the PACS").
std::vector<SeriesInfo> chosenSeries(const std::vector<SeriesInfo>& found,
                                     const SeriesQuery& query);

/// What one retrieval did.
struct RetrieveReport {
  int series = 0;                            ///< series asked for
  int received = 0;                          ///< files received and written this time
  int alreadyThere = 0;                      ///< files of earlier runs, not fetched again
  int failed = 0;                            ///< instances the PACS said it could not send
  std::vector<std::filesystem::path> files;  ///< every file of the series now in the folder
};

/// The file a retrieved instance is written to under `folder`:
/// <study hash>/<series hash>/<instance hash>.dcm (hex digits of SHA-256 of each UID).
std::filesystem::path retrievedFile(const std::filesystem::path& folder,
                                    std::string_view studyInstanceUid,
                                    std::string_view seriesInstanceUid,
                                    std::string_view sopInstanceUid);

/// One association with a PACS, opened on construction (Study Root query/retrieve, C-GET with
/// CT, enhanced CT and secondary capture storage). Throws Error when the PACS cannot be reached
/// or refuses the association, with the address and the reason. Not thread-safe; one caller.
class PacsClient {
 public:
  explicit PacsClient(PacsAddress address, std::chrono::seconds timeout = std::chrono::seconds(30));
  ~PacsClient();
  PacsClient(const PacsClient&) = delete;
  PacsClient& operator=(const PacsClient&) = delete;

  /// C-ECHO; throws Error when the PACS does not answer.
  void echo();

  /// The series matching `query`, by study, then series number. Throws Error when the query is
  /// empty (neither study nor patient) or the PACS fails it.
  std::vector<SeriesInfo> findSeries(const SeriesQuery& query);

  /// The SOP Instance UIDs of a series (C-FIND at image level).
  std::vector<std::string> findInstances(const SeriesInfo& series);

  /// Retrieves every instance of `series` not already in `folder` (see retrievedFile) by C-GET,
  /// writing each file atomically as it arrives. `progress` counts the instances still missing
  /// at the start; asking to cancel stops the retrieval (Cancelled) and keeps what arrived.
  /// Throws Error when the PACS stops answering, naming how many files arrived (kept): a rerun
  /// fetches the rest.
  RetrieveReport retrieve(const std::vector<SeriesInfo>& series,
                          const std::filesystem::path& folder,
                          ProgressDelegate* progress = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// What retrieveFromPacs found and fetched.
struct PacsRetrieval {
  std::vector<SeriesInfo> series;
  RetrieveReport report;
};

/// Connects to the PACS and returns the series of `query` (PacsClient::findSeries), for a user to
/// choose among; the choice in `query` (seriesInstanceUids, seriesNumbers) is not applied.
std::vector<SeriesInfo> findSeriesOnPacs(const PacsAddress& address, const SeriesQuery& query);

/// Connects to the PACS, finds the series of `query`, keeps the chosen ones (chosenSeries) and
/// retrieves them into `folder` (see PacsClient::retrieve). Throws Error when nothing matches
/// (without quoting the query: a patient ID is an identifier), when a chosen series is not there,
/// when the PACS cannot be reached or stops answering; Cancelled.
PacsRetrieval retrieveFromPacs(const PacsAddress& address, const SeriesQuery& query,
                               const std::filesystem::path& folder,
                               ProgressDelegate* progress = nullptr);

/// The studies of `series` (Study Instance UIDs), each once, in the order first found: where a
/// list tells a user "study 2 of 3" without naming the study.
std::vector<std::string> studiesIn(const std::vector<SeriesInfo>& series);

/// The series description as the PACS sent it, fit to show on a terminal or in a list: no
/// control code (a terminal's escape sequence becomes a space), bytes that are not UTF-8 as %XX.
std::string shownDescription(const SeriesInfo& series);

/// One line for a user: "series 2: AXIAL 1.25 mm, 120 images" ("series ?" without a number,
/// no description or count when the PACS gave none).
std::string describeSeries(const SeriesInfo& series);

/// One line for a user: "3 CT series, 6 files: 6 retrieved, 0 already here".
std::string describeRetrieval(const PacsRetrieval& retrieval);

}  // namespace camlabel::pacs
