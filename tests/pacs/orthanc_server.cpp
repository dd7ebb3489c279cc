// SPDX-License-Identifier: Apache-2.0
#include "orthanc_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>

extern char** environ;

namespace camlabel::test {
namespace {

namespace fs = std::filesystem;

/// A TCP port nothing listens on now (the kernel's choice for a socket bound to port 0).
int freePort() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) throw std::runtime_error("socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t size = sizeof a;
  const bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &size) == 0;
  ::close(s);
  if (!ok) throw std::runtime_error("no free port");
  return ntohs(a.sin_port);
}

/// C-ECHO as CAMLABEL; true when the server answered.
bool echo(int port) {
  DcmSCU scu;
  scu.setAETitle("CAMLABEL");
  scu.setPeerAETitle("ORTHANC");
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(static_cast<Uint16>(port));
  scu.setConnectionTimeout(2);
  scu.setACSETimeout(2);
  scu.setDIMSETimeout(2);
  OFList<OFString> ts;
  ts.push_back(UID_LittleEndianImplicitTransferSyntax);
  scu.addPresentationContext(UID_VerificationSOPClass, ts);
  if (scu.initNetwork().bad() || scu.negotiateAssociation().bad()) return false;
  const bool ok = scu.sendECHORequest(0).good();
  scu.releaseAssociation();
  return ok;
}

}  // namespace

OrthancServer::OrthancServer(fs::path dir) : dir_(std::move(dir)) {
  // As camlabel itself: DCMTK quiet (a line per C-ECHO and C-STORE otherwise).
  OFLog::configure(OFLogger::OFF_LOG_LEVEL);
  if (!fs::exists(CAMLABEL_ORTHANC))
    throw std::runtime_error("Orthanc is not installed (" CAMLABEL_ORTHANC
                             "): run packaging/install-deps.sh");
  fs::create_directories(dir_ / "storage");
  port_ = freePort();
  std::ofstream config(dir_ / "orthanc.json");
  config << "{\n"
         << "  \"Name\": \"camlabel-test\",\n"
         << "  \"StorageDirectory\": \"" << (dir_ / "storage").string() << "\",\n"
         << "  \"IndexDirectory\": \"" << (dir_ / "storage").string() << "\",\n"
         << "  \"Plugins\": [],\n"
         << "  \"HttpServerEnabled\": false,\n"
         << "  \"DicomServerEnabled\": true,\n"
         << "  \"DicomAet\": \"ORTHANC\",\n"
         << "  \"DicomPort\": " << port_ << ",\n"
         << "  \"DicomCheckCalledAet\": false,\n"
         << "  \"DicomCheckModalityHost\": true,\n"
         << "  \"DicomAlwaysAllowEcho\": false,\n"
         << "  \"DicomAlwaysAllowStore\": false,\n"
         << "  \"DicomAlwaysAllowFind\": false,\n"
         << "  \"DicomAlwaysAllowGet\": false,\n"
         << "  \"DicomAlwaysAllowMove\": false,\n"
         << "  \"DicomModalities\": {\n"
         << "    \"camlabel\": {\"AET\": \"CAMLABEL\", \"Host\": \"127.0.0.1\", \"Port\": 1,\n"
         << "      \"AllowEcho\": true, \"AllowFind\": true, \"AllowGet\": true,\n"
         << "      \"AllowStore\": true, \"AllowMove\": false}\n"
         << "  },\n"
         << "  \"RemoteAccessAllowed\": false,\n"
         << "  \"AuthenticationEnabled\": false,\n"
         << "  \"StorageCompression\": false,\n"
         << "  \"SaveJobs\": false,\n"
         << "  \"ConcurrentJobs\": 1\n"
         << "}\n";
  config.close();
  start();
}

OrthancServer::~OrthancServer() {
  kill();
}

std::string OrthancServer::address() const {
  return "dicom://ORTHANC@127.0.0.1:" + std::to_string(port_);
}

void OrthancServer::start() {
  if (pid_ > 0) return;
  const std::string log = (dir_ / "orthanc.log").string();
  const std::string config = (dir_ / "orthanc.json").string();
  std::string program = CAMLABEL_ORTHANC;
  char* argv[] = {program.data(), const_cast<char*>(config.c_str()), nullptr};
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("cannot start Orthanc");
  if (pid_ == 0) {
    // The server goes with the test, even when the test crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execve(program.c_str(), argv, environ);
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("Orthanc exited at start; see " + log);
    }
    if (echo(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill();
  throw std::runtime_error("Orthanc did not answer C-ECHO within 30 s; see " + log);
}

void OrthancServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void OrthancServer::store(const std::vector<fs::path>& files) const {
  std::set<std::string> classes;
  for (const fs::path& file : files) {
    DcmFileFormat f;
    if (f.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot read " + file.string());
    OFString sopClass;
    f.getDataset()->findAndGetOFString(DCM_SOPClassUID, sopClass);
    classes.insert(sopClass.c_str());
  }
  DcmSCU scu;
  scu.setAETitle("CAMLABEL");
  scu.setPeerAETitle("ORTHANC");
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(static_cast<Uint16>(port_));
  OFList<OFString> ts;
  ts.push_back(UID_LittleEndianExplicitTransferSyntax);
  ts.push_back(UID_LittleEndianImplicitTransferSyntax);
  for (const std::string& c : classes)
    scu.addPresentationContext(c.c_str(), ts);
  if (scu.initNetwork().bad() || scu.negotiateAssociation().bad())
    throw std::runtime_error("cannot connect to Orthanc to store");
  for (const fs::path& file : files) {
    DcmFileFormat f;
    f.loadFile(file.c_str());
    Uint16 status = 0;
    const OFCondition c = scu.sendSTORERequest(0, "", f.getDataset(), status);
    if (c.bad() || status != 0)
      throw std::runtime_error("Orthanc did not store " + file.string() + ": " + c.text());
  }
  scu.releaseAssociation();
}

void OrthancServer::storeFolder(const fs::path& folder) const {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().filename() != "DICOMDIR")
      files.push_back(entry.path());
  store(files);
}

}  // namespace camlabel::test
