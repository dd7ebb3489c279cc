// SPDX-License-Identifier: Apache-2.0
#include "core/pacs/pacs_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>

#include "core/common/error.h"
#include "core/common/file_names.h"
#include "core/common/progress.h"
#include "core/common/sha256.h"
#include "core/imaging/dicom_object.h"
#include "core/imaging/dicom_reader.h"

namespace camlabel::pacs {
namespace {

namespace fs = std::filesystem;

std::string text(const OFCondition& condition) {
  return condition.text() != nullptr ? condition.text() : "unknown error";
}

/// A value of a response's data set; empty when absent.
std::string value(DcmDataset* dataset, const DcmTagKey& tag) {
  OFString v;
  if (dataset == nullptr || dataset->findAndGetOFString(tag, v).bad()) return {};
  std::string s = v.c_str();
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

int number(DcmDataset* dataset, const DcmTagKey& tag) {
  const std::string s = value(dataset, tag);
  int n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() ? n : 0;
}

/// Writes a received data set as a DICOM file: to NAME.part, flushed to disk, then renamed, so a
/// file under its final name is always whole (a rerun trusts it and does not fetch it again).
void writeDataset(DcmDataset* dataset, const fs::path& target) {
  DcmFileFormat file(dataset, OFFalse);  // owns the data set from here on
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw Error("cannot create '" + target.parent_path().string() + "': " + ec.message());
  const fs::path part = target.string() + ".part";
  const OFCondition saved = file.saveFile(part.c_str(), EXS_Unknown);
  if (saved.bad()) {
    fs::remove(part, ec);
    throw Error("cannot write '" + part.string() + "': " + text(saved));
  }
  const int fd = ::open(part.c_str(), O_RDONLY | O_CLOEXEC);
  const bool flushed = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!flushed) {
    fs::remove(part, ec);
    throw Error("cannot flush '" + part.string() + "' to disk");
  }
  fs::rename(part, target, ec);
  if (ec) throw Error("cannot rename '" + part.string() + "': " + ec.message());
}

/// DcmSCU that writes each instance a C-GET brings under a folder, by hashed UIDs.
class RetrievingScu : public DcmSCU {
 public:
  fs::path folder;
  ProgressDelegate* progress = nullptr;
  long total = 0;
  int received = 0;
  bool cancelled = false;
  std::string writeError;

 protected:
  OFCondition handleSTORERequest(const T_ASC_PresentationContextID /*presID*/, DcmDataset* incoming,
                                 OFBool& continueSession, Uint16& status) override {
    if (incoming == nullptr) return DIMSE_NULLKEY;
    const std::string study = value(incoming, DCM_StudyInstanceUID);
    const std::string series = value(incoming, DCM_SeriesInstanceUID);
    const std::string instance = value(incoming, DCM_SOPInstanceUID);
    if (study.empty() || series.empty() || instance.empty()) {
      delete incoming;
      status = STATUS_STORE_Error_DataSetDoesNotMatchSOPClass;
      return EC_TagNotFound;
    }
    try {
      writeDataset(incoming, retrievedFile(folder, study, series, instance));
    } catch (const std::exception& e) {
      writeError = e.what();
      status = STATUS_STORE_Refused_OutOfResources;
      continueSession = OFFalse;
      return EC_IllegalCall;
    }
    ++received;
    status = STATUS_Success;
    if (progress != nullptr &&
        !progress->update(
            total > 0 ? static_cast<double>(received) / static_cast<double>(total) : 1.0,
            "Retrieving from the PACS")) {
      cancelled = true;
      continueSession = OFFalse;
    }
    return EC_Normal;
  }
};

bool isAeCharacter(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7F && c != '\\';
}

}  // namespace

void checkAeTitle(std::string_view title, std::string_view what) {
  const bool blank = title.find_first_not_of(' ') == std::string_view::npos;
  if (title.empty() || title.size() > 16 || blank ||
      !std::all_of(title.begin(), title.end(), isAeCharacter)) {
    throw Error(std::string(what) +
                " must be 1 to 16 characters (letters, digits, spaces, no backslash)");
  }
}

PacsAddress parsePacsAddress(std::string_view text) {
  const std::string form =
      "a PACS is given as dicom://CALLED_AET@HOST:PORT (for example dicom://ORTHANC@pacs:4242)";
  constexpr std::string_view kScheme = "dicom://";
  if (text.substr(0, kScheme.size()) != kScheme) throw Error(form);
  std::string_view rest = text.substr(kScheme.size());
  const std::size_t at = rest.rfind('@');
  if (at == std::string_view::npos || at == 0) throw Error(form);
  PacsAddress address;
  address.calledAeTitle = std::string(rest.substr(0, at));
  checkAeTitle(address.calledAeTitle, "the PACS's AE title");
  std::string_view hostPort = rest.substr(at + 1);
  while (!hostPort.empty() && hostPort.back() == '/')
    hostPort.remove_suffix(1);
  const std::size_t colon = hostPort.rfind(':');
  std::string_view host = hostPort.substr(0, colon);
  if (colon != std::string_view::npos) {
    const std::string_view port = hostPort.substr(colon + 1);
    int p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535)
      throw Error("the PACS's port must be 1 to 65535: " + form);
    address.port = p;
  }
  const bool hostOk = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
  });
  if (!hostOk) throw Error("the PACS's host name is not valid: " + form);
  address.host = std::string(host);
  return address;
}

fs::path retrievedFile(const fs::path& folder, std::string_view studyInstanceUid,
                       std::string_view seriesInstanceUid, std::string_view sopInstanceUid) {
  // Study and series folders are named by the keys the project stores for them.
  return folder / imaging::uidKey(studyInstanceUid) / imaging::uidKey(seriesInstanceUid) /
         (sha256Hex(sopInstanceUid).substr(0, 16) + ".dcm");
}

struct PacsClient::Impl {
  PacsAddress address;
  RetrievingScu scu;
  T_ASC_PresentationContextID find = 0;
  T_ASC_PresentationContextID get = 0;
  bool broken = false;  ///< an aborted retrieval left the association unusable

  std::string where() const {
    return "'" + address.calledAeTitle + "' at " + address.host + ":" +
           std::to_string(address.port);
  }

  void usable() const {
    if (broken || !scu.isConnected())
      throw Error("the connection to the PACS " + where() + " was closed; connect again");
  }

  /// C-FIND; the data sets of the pending responses. Throws Error on a failed or refused query.
  std::vector<std::unique_ptr<DcmDataset>> query(DcmDataset& keys) {
    usable();
    OFList<QRResponse*> responses;
    const OFCondition sent = scu.sendFINDRequest(find, &keys, &responses);
    std::vector<std::unique_ptr<QRResponse>> owned;
    for (QRResponse* r : responses)
      owned.emplace_back(r);
    if (sent.bad()) {
      broken = true;
      throw Error("the PACS " + where() + " did not answer a query: " + text(sent));
    }
    std::vector<std::unique_ptr<DcmDataset>> found;
    for (auto& r : owned) {
      if (DICOM_PENDING_STATUS(r->m_status) && r->m_dataset != nullptr) {
        found.emplace_back(r->m_dataset);
        r->m_dataset = nullptr;
      } else if (r->m_status != STATUS_Success && !DICOM_PENDING_STATUS(r->m_status)) {
        throw Error("the PACS " + where() +
                    " refused a query: " + DU_cfindStatusString(r->m_status));
      }
    }
    return found;
  }

  /// C-GET of the keys' series or instance; the PACS's count of sub-operations that failed.
  int retrieve(DcmDataset& keys) {
    usable();
    OFList<RetrieveResponse*> responses;
    const OFCondition sent = scu.sendCGETRequest(get, &keys, &responses);
    std::vector<std::unique_ptr<RetrieveResponse>> owned;
    for (RetrieveResponse* r : responses)
      owned.emplace_back(r);
    const int arrived = scu.received;
    if (scu.cancelled) {
      broken = true;
      scu.abortAssociation();
      throw Cancelled();
    }
    if (!scu.writeError.empty()) {
      broken = true;
      scu.abortAssociation();
      throw Error(scu.writeError + " (" + std::to_string(arrived) +
                  " files arrived before and are kept)");
    }
    if (sent.bad()) {
      broken = true;
      throw Error("the PACS " + where() + " stopped answering during the retrieval (" + text(sent) +
                  "); " + std::to_string(arrived) + " of " + std::to_string(scu.total) +
                  " files arrived and are kept: run the same command again to fetch the rest");
    }
    if (owned.empty()) return 0;
    const RetrieveResponse& last = *owned.back();
    const Uint16 status = last.m_status;
    const bool failure =
        status != STATUS_Success && !DICOM_PENDING_STATUS(status) && !DICOM_WARNING_STATUS(status);
    if (failure && last.m_numberOfFailedSubops == 0)
      throw Error("the PACS " + where() + " refused the retrieval: " + DU_cgetStatusString(status));
    return static_cast<int>(last.m_numberOfFailedSubops);
  }
};

PacsClient::PacsClient(PacsAddress address, std::chrono::seconds timeout)
    : impl_(std::make_unique<Impl>()) {
  imaging::detail::initialiseDcmtk();  // DCMTK's log stays off: it could quote identifiers
  checkAeTitle(address.callingAeTitle, "the calling AE title");
  checkAeTitle(address.calledAeTitle, "the PACS's AE title");
  impl_->address = std::move(address);
  const PacsAddress& a = impl_->address;
  RetrievingScu& scu = impl_->scu;
  const auto seconds = static_cast<Uint32>(std::max<std::int64_t>(1, timeout.count()));
  scu.setAETitle(a.callingAeTitle.c_str());
  scu.setPeerAETitle(a.calledAeTitle.c_str());
  scu.setPeerHostName(a.host.c_str());
  scu.setPeerPort(static_cast<Uint16>(a.port));
  scu.setConnectionTimeout(static_cast<Sint32>(seconds));
  scu.setACSETimeout(seconds);
  scu.setDIMSETimeout(seconds);
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);

  OFList<OFString> plain;
  plain.push_back(UID_LittleEndianExplicitTransferSyntax);
  plain.push_back(UID_LittleEndianImplicitTransferSyntax);
  scu.addPresentationContext(UID_VerificationSOPClass, plain);
  scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, plain);
  scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, plain);
  // What C-GET may send back: the transfer syntaxes camlabel decodes, uncompressed first.
  OFList<OFString> images = plain;
  images.push_back(UID_JPEGProcess14SV1TransferSyntax);
  images.push_back(UID_JPEGLSLosslessTransferSyntax);
  images.push_back(UID_RLELosslessTransferSyntax);
  images.push_back(UID_JPEGProcess1TransferSyntax);
  for (const char* storage :
       {UID_CTImageStorage, UID_EnhancedCTImageStorage, UID_SecondaryCaptureImageStorage})
    scu.addPresentationContext(storage, images, ASC_SC_ROLE_SCP);

  OFCondition c = scu.initNetwork();
  if (c.good()) c = scu.negotiateAssociation();
  if (c.bad())
    throw Error("cannot connect to the PACS " + impl_->where() + ": " + text(c) +
                " (is the address right, and does the PACS know the calling AE title '" +
                a.callingAeTitle + "'?)");
  impl_->find = scu.findPresentationContextID(UID_FINDStudyRootQueryRetrieveInformationModel, "");
  impl_->get = scu.findPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel, "");
  if (impl_->find == 0)
    throw Error("the PACS " + impl_->where() + " does not offer study-root queries (C-FIND)");
  if (impl_->get == 0)
    throw Error("the PACS " + impl_->where() +
                " does not offer retrieval by C-GET; camlabel does not use C-MOVE yet");
}

PacsClient::~PacsClient() {
  if (impl_ && !impl_->broken && impl_->scu.isConnected()) impl_->scu.releaseAssociation();
}

void PacsClient::echo() {
  impl_->usable();
  const OFCondition c = impl_->scu.sendECHORequest(0);
  if (c.bad()) throw Error("the PACS " + impl_->where() + " did not answer C-ECHO: " + text(c));
}

std::vector<SeriesInfo> PacsClient::findSeries(const SeriesQuery& query) {
  std::vector<std::string> studies;
  if (!query.studyInstanceUid.empty()) {
    studies.push_back(query.studyInstanceUid);
  } else if (!query.patientId.empty()) {
    DcmDataset keys;
    keys.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "STUDY");
    keys.putAndInsertOFStringArray(DCM_PatientID, query.patientId.c_str());
    keys.putAndInsertOFStringArray(DCM_StudyInstanceUID, "");
    keys.putAndInsertOFStringArray(DCM_ModalitiesInStudy, query.modality.c_str());
    for (const auto& found : impl_->query(keys))
      if (std::string uid = value(found.get(), DCM_StudyInstanceUID); !uid.empty())
        studies.push_back(std::move(uid));
  } else {
    throw Error("say which study (its Study Instance UID) or which patient (their ID) to take");
  }
  std::vector<SeriesInfo> series;
  for (std::size_t s = 0; s < studies.size(); ++s) {
    DcmDataset keys;
    keys.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "SERIES");
    keys.putAndInsertOFStringArray(DCM_StudyInstanceUID, studies[s].c_str());
    keys.putAndInsertOFStringArray(DCM_SeriesInstanceUID, "");
    keys.putAndInsertOFStringArray(DCM_Modality, query.modality.c_str());
    keys.putAndInsertOFStringArray(DCM_SeriesNumber, "");
    keys.putAndInsertOFStringArray(DCM_SeriesDescription, "");
    keys.putAndInsertOFStringArray(DCM_NumberOfSeriesRelatedInstances, "");
    std::vector<SeriesInfo> ofStudy;
    for (const auto& found : impl_->query(keys)) {
      SeriesInfo info;
      info.studyInstanceUid = studies[s];
      info.seriesInstanceUid = value(found.get(), DCM_SeriesInstanceUID);
      info.modality = value(found.get(), DCM_Modality);
      info.description = value(found.get(), DCM_SeriesDescription);
      info.seriesNumber = number(found.get(), DCM_SeriesNumber);
      info.instances = number(found.get(), DCM_NumberOfSeriesRelatedInstances);
      // A PACS may ignore the modality key: filter here as well.
      if (info.seriesInstanceUid.empty() ||
          (!query.modality.empty() && info.modality != query.modality))
        continue;
      ofStudy.push_back(std::move(info));
    }
    std::stable_sort(ofStudy.begin(), ofStudy.end(),
                     [](const auto& a, const auto& b) { return a.seriesNumber < b.seriesNumber; });
    series.insert(series.end(), ofStudy.begin(), ofStudy.end());
  }
  return series;
}

std::vector<std::string> PacsClient::findInstances(const SeriesInfo& series) {
  DcmDataset keys;
  keys.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "IMAGE");
  keys.putAndInsertOFStringArray(DCM_StudyInstanceUID, series.studyInstanceUid.c_str());
  keys.putAndInsertOFStringArray(DCM_SeriesInstanceUID, series.seriesInstanceUid.c_str());
  keys.putAndInsertOFStringArray(DCM_SOPInstanceUID, "");
  std::vector<std::string> instances;
  for (const auto& found : impl_->query(keys))
    if (std::string uid = value(found.get(), DCM_SOPInstanceUID); !uid.empty())
      instances.push_back(std::move(uid));
  return instances;
}

RetrieveReport PacsClient::retrieve(const std::vector<SeriesInfo>& series, const fs::path& folder,
                                    ProgressDelegate* progress) {
  struct Plan {
    const SeriesInfo* series;
    std::vector<std::string> instances;
    std::vector<std::string> missing;
  };
  RetrieveReport report;
  report.series = static_cast<int>(series.size());
  std::vector<Plan> plans;
  long missing = 0;
  for (const SeriesInfo& s : series) {
    Plan plan{&s, findInstances(s), {}};
    for (const std::string& uid : plan.instances) {
      if (fs::exists(retrievedFile(folder, s.studyInstanceUid, s.seriesInstanceUid, uid)))
        ++report.alreadyThere;
      else
        plan.missing.push_back(uid);
    }
    missing += static_cast<long>(plan.missing.size());
    plans.push_back(std::move(plan));
  }
  // A file written only in part when an earlier run was killed is not a slice; it is fetched again.
  for (const Plan& plan : plans) {
    const fs::path seriesFolder =
        retrievedFile(folder, plan.series->studyInstanceUid, plan.series->seriesInstanceUid, "x")
            .parent_path();
    std::error_code ec;
    for (fs::directory_iterator it(seriesFolder, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".part") fs::remove(it->path(), ec);
  }
  RetrievingScu& scu = impl_->scu;
  scu.folder = folder;
  scu.progress = progress;
  scu.total = missing;
  scu.received = 0;
  scu.cancelled = false;
  scu.writeError.clear();
  reportProgress(progress, 0, std::max(1L, missing), "Retrieving from the PACS");
  for (const Plan& plan : plans) {
    if (plan.missing.empty()) continue;
    auto keysFor = [&](const std::string* instance) {
      auto keys = std::make_unique<DcmDataset>();
      keys->putAndInsertOFStringArray(DCM_QueryRetrieveLevel, instance ? "IMAGE" : "SERIES");
      keys->putAndInsertOFStringArray(DCM_StudyInstanceUID, plan.series->studyInstanceUid.c_str());
      keys->putAndInsertOFStringArray(DCM_SeriesInstanceUID,
                                      plan.series->seriesInstanceUid.c_str());
      if (instance) keys->putAndInsertOFStringArray(DCM_SOPInstanceUID, instance->c_str());
      return keys;
    };
    if (plan.missing.size() == plan.instances.size()) {
      report.failed += impl_->retrieve(*keysFor(nullptr));
    } else {
      // A resumed retrieval asks only for what did not arrive before.
      for (const std::string& uid : plan.missing)
        report.failed += impl_->retrieve(*keysFor(&uid));
    }
  }
  report.received = scu.received;
  for (const Plan& plan : plans)
    for (const std::string& uid : plan.instances) {
      fs::path file =
          retrievedFile(folder, plan.series->studyInstanceUid, plan.series->seriesInstanceUid, uid);
      if (fs::exists(file)) report.files.push_back(std::move(file));
    }
  return report;
}

std::vector<SeriesInfo> chosenSeries(const std::vector<SeriesInfo>& found,
                                     const SeriesQuery& query) {
  const auto listed = [](const std::vector<int>& numbers) {
    std::string text;
    for (const int n : numbers)
      text.append(text.empty() ? "" : ", ").append(std::to_string(n));
    return text;
  };
  std::vector<int> missingNumbers;
  for (const int n : query.seriesNumbers)
    if (std::none_of(found.begin(), found.end(),
                     [n](const SeriesInfo& s) { return s.seriesNumber == n; }))
      missingNumbers.push_back(n);
  if (!missingNumbers.empty()) {
    std::vector<int> there;
    for (const SeriesInfo& s : found)
      if (std::find(there.begin(), there.end(), s.seriesNumber) == there.end())
        there.push_back(s.seriesNumber);
    std::sort(there.begin(), there.end());
    throw Error((missingNumbers.size() == 1 ? "there is no series " : "there are no series ") +
                listed(missingNumbers) + " among the " +
                (query.modality.empty() ? std::string() : query.modality + " ") + "series found" +
                (there.empty() ? std::string() : " (" + listed(there) + ")"));
  }
  const auto missingUids = static_cast<std::size_t>(std::count_if(
      query.seriesInstanceUids.begin(), query.seriesInstanceUids.end(),
      [&found](const std::string& uid) {
        return std::none_of(found.begin(), found.end(),
                            [&uid](const SeriesInfo& s) { return s.seriesInstanceUid == uid; });
      }));
  if (missingUids > 0)
    throw Error(std::to_string(missingUids) + " of the " +
                std::to_string(query.seriesInstanceUids.size()) + " chosen series " +
                (missingUids == 1 ? "is" : "are") +
                " no longer on the PACS: look for the study's series again");
  std::vector<SeriesInfo> chosen;
  for (const SeriesInfo& s : found) {
    const bool byUid = query.seriesInstanceUids.empty() ||
                       std::find(query.seriesInstanceUids.begin(), query.seriesInstanceUids.end(),
                                 s.seriesInstanceUid) != query.seriesInstanceUids.end();
    const bool byNumber = query.seriesNumbers.empty() ||
                          std::find(query.seriesNumbers.begin(), query.seriesNumbers.end(),
                                    s.seriesNumber) != query.seriesNumbers.end();
    if (byUid && byNumber) chosen.push_back(s);
  }
  return chosen;
}

std::vector<SeriesInfo> findSeriesOnPacs(const PacsAddress& address, const SeriesQuery& query) {
  PacsClient client(address);
  return client.findSeries(query);
}

PacsRetrieval retrieveFromPacs(const PacsAddress& address, const SeriesQuery& query,
                               const fs::path& folder, ProgressDelegate* progress) {
  PacsClient client(address);
  PacsRetrieval retrieval;
  retrieval.series = client.findSeries(query);
  if (!retrieval.series.empty()) retrieval.series = chosenSeries(retrieval.series, query);
  if (retrieval.series.empty()) {
    std::string what =
        query.modality.empty() ? std::string("no series") : "no " + query.modality + " series";
    what += query.studyInstanceUid.empty() ? " of the given patient" : " in the given study";
    throw Error("the PACS " + address.calledAeTitle + " at " + address.host + ":" +
                std::to_string(address.port) + " has " + what);
  }
  retrieval.report = client.retrieve(retrieval.series, folder, progress);
  return retrieval;
}

std::vector<std::string> studiesIn(const std::vector<SeriesInfo>& series) {
  std::vector<std::string> studies;
  for (const SeriesInfo& s : series)
    if (std::find(studies.begin(), studies.end(), s.studyInstanceUid) == studies.end())
      studies.push_back(s.studyInstanceUid);
  return studies;
}

std::string shownDescription(const SeriesInfo& series) {
  std::string shown = displayName(series.description);
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return shown;
}

std::string describeSeries(const SeriesInfo& series) {
  std::string line = "series ";
  line.append(series.seriesNumber > 0 ? std::to_string(series.seriesNumber) : std::string("?"));
  std::string details = shownDescription(series);
  if (series.instances > 0)
    details.append(details.empty() ? "" : ", ")
        .append(std::to_string(series.instances))
        .append(series.instances == 1 ? " image" : " images");
  if (!details.empty()) line.append(": ").append(details);
  return line;
}

std::string describeRetrieval(const PacsRetrieval& retrieval) {
  const RetrieveReport& r = retrieval.report;
  std::string modality;
  for (const SeriesInfo& s : retrieval.series)
    if (modality.empty() || modality == s.modality)
      modality = s.modality;
    else
      modality = "mixed";
  std::string line = std::to_string(retrieval.series.size());
  line.append(modality.empty() || modality == "mixed" ? "" : " " + modality)
      .append(" series, ")
      .append(std::to_string(r.received + r.alreadyThere + r.failed))
      .append(" files: ")
      .append(std::to_string(r.received))
      .append(" retrieved, ")
      .append(std::to_string(r.alreadyThere))
      .append(" already here");
  if (r.failed > 0)
    line.append(", ").append(std::to_string(r.failed)).append(" not sent by the PACS");
  return line;
}

}  // namespace camlabel::pacs
