// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace camlabel::test {

/// A throwaway Orthanc (Debian's `orthanc` package) for the PACS tests: its own configuration
/// and storage in `dir`, the DICOM port on a free port, its HTTP server off, no plugins. Only
/// the AE title "CAMLABEL" from 127.0.0.1 may echo, query, retrieve (C-GET) and store.
class OrthancServer {
 public:
  /// Writes the configuration and starts the server; throws std::runtime_error when Orthanc is
  /// not installed or does not answer C-ECHO within 30 s (its log is in dir/orthanc.log).
  explicit OrthancServer(std::filesystem::path dir);
  ~OrthancServer();
  OrthancServer(const OrthancServer&) = delete;
  OrthancServer& operator=(const OrthancServer&) = delete;

  /// "dicom://ORTHANC@127.0.0.1:PORT"
  std::string address() const;
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }

  /// Starts it again (same port, same storage) after kill().
  void start();
  /// SIGKILL, as a server that crashes or loses its network would go.
  void kill();

  /// Uploads the DICOM files with C-STORE, as a modality sends them; throws on a refusal.
  void store(const std::vector<std::filesystem::path>& files) const;
  /// Uploads every file under `folder` but a DICOMDIR (as test::writeCdFolder writes it).
  void storeFolder(const std::filesystem::path& folder) const;

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace camlabel::test
