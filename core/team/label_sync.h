// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sends a team project's labels to its server in the background (issue 15). A label is durable
// when the project's SQLite commit returns (the label log is the outbox); this thread only
// copies the log to the server, so labelling never waits on the network, and labels given while
// the server is away are sent when it is back, each exactly once.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace camlabel::team {

struct TeamView;

struct SyncStatus {
  bool attempted = false;  ///< an attempt has ended
  bool reachable = false;  ///< the last attempt reached the server and sent what was waiting
  /// The last attempt reached the server but it refused the labels (a copied project folder, a
  /// login without the right to add labels): retrying will not help until someone acts.
  bool refused = false;
  std::int64_t waiting = 0;  ///< labels of this folder the server is not known to hold
  std::int64_t sent = 0;     ///< labels sent since this sender started
  std::string error;         ///< why the last attempt failed; empty when it did not
};

struct SyncOptions {
  int connectTimeoutSeconds = 5;
  /// After a failure, the next attempt waits this long, doubling up to retryMax.
  std::chrono::milliseconds retryMin{1000};
  std::chrono::milliseconds retryMax{30000};
  /// Called on the sender's thread after each attempt (status() has its outcome); it must only
  /// hand the news on. Not called once the destructor returns.
  std::function<void()> attempted;
  /// When set: after each attempt that reached the server, and at least every readEvery, the
  /// team's slices and assignment are read (only when a label, an adjudication or an
  /// assignment arrived since the last read) and handed to this, on the sender's thread, before
  /// `attempted`.
  std::function<void(const TeamView&)> teamRead;
  std::chrono::milliseconds readEvery{15000};
};

class LabelSync {
 public:
  /// Starts the sender thread for the project at projectDir (its database is read through a
  /// connection of the thread's own) and tries once at once.
  LabelSync(std::filesystem::path projectDir, std::string address, std::string workstationId,
            SyncOptions options = {});
  /// Stops the thread; an attempt under way ends first (at most the connect timeout).
  ~LabelSync();
  LabelSync(const LabelSync&) = delete;
  LabelSync& operator=(const LabelSync&) = delete;

  /// A label, skip or undo was committed: send it now (returns at once).
  void notify();
  SyncStatus status() const;
  /// Starts an attempt and waits for it to end, up to `timeout`: true when the server holds
  /// every label committed before the call.
  bool flush(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace camlabel::team
