// SPDX-License-Identifier: Apache-2.0
#include "core/team/label_sync.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "core/common/error.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/project/sqlite.h"
#include "core/team/consensus.h"
#include "core/team/team_server.h"

namespace camlabel::team {

using Clock = std::chrono::steady_clock;

struct LabelSync::Impl {
  std::filesystem::path projectFile;
  std::string address;
  std::string workstationId;
  SyncOptions options;

  mutable std::mutex mutex;
  std::condition_variable wake;  ///< the thread: work to do, or stop
  std::condition_variable done;  ///< flush(): an attempt ended
  bool stop = false;
  bool pending = true;  ///< the first attempt starts at once
  std::uint64_t started = 0;
  std::uint64_t finished = 0;
  std::optional<Clock::time_point> retryAt;
  std::chrono::milliseconds backoff{0};
  SyncStatus status;
  std::thread thread;

  // Owned by the thread.
  std::unique_ptr<project::sqlite::Database> local;
  std::unique_ptr<TeamServer> server;
  std::int64_t knownThrough = 0;  ///< the server's newest label of ours we know of
  /// knownThrough as of the current connection: while it lasts, a label costs one round trip.
  std::optional<std::int64_t> connectedThrough;
  std::string teamMark;  ///< the server's changeMark() at the last read of the team's slices
  Clock::time_point lastEnd = Clock::now();

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      // A retry after a failure; else, when the team's labels are read, the next look at them.
      std::optional<Clock::time_point> due = retryAt;
      if (!due && options.teamRead) due = lastEnd + options.readEvery;
      if (due)
        wake.wait_until(lock, *due, [&] { return stop || pending; });
      else
        wake.wait(lock, [&] { return stop || pending; });
      if (stop) return;
      if (!pending && (!due || Clock::now() < *due)) continue;
      pending = false;
      retryAt.reset();
      ++started;
      lock.unlock();
      std::string error;
      bool refused = false;
      std::int64_t sent = 0;
      std::int64_t waiting = 0;
      try {
        sent = attempt();
        readTeam();
      } catch (const std::exception& e) {
        error = e.what();
        refused = server != nullptr && server->usable();
        server.reset();  // reconnect (and ask the server again) next time
        connectedThrough.reset();
        teamMark.clear();
      }
      try {
        if (local) waiting = project::countLabelsAfter(*local, knownThrough);
      } catch (const std::exception& e) {
        if (error.empty()) error = e.what();
      }
      lock.lock();
      ++finished;
      lastEnd = Clock::now();
      status.attempted = true;
      status.reachable = error.empty();
      status.refused = refused;
      status.error = error;
      status.sent += sent;
      status.waiting = waiting;
      if (error.empty()) {
        backoff = std::chrono::milliseconds(0);
      } else {
        backoff = std::clamp(backoff * 2, options.retryMin, options.retryMax);
        retryAt = Clock::now() + backoff;
      }
      done.notify_all();
      if (options.attempted) {
        lock.unlock();
        options.attempted();
        lock.lock();
      }
    }
  }

  std::int64_t attempt() {
    if (!local) {
      local = std::make_unique<project::sqlite::Database>(projectFile, false);
      local->exec("PRAGMA busy_timeout=5000; PRAGMA query_only=1;");
    }
    if (!server || !server->usable()) {
      connectedThrough.reset();
      server = std::make_unique<TeamServer>(address, options.connectTimeoutSeconds);
    }
    const SendResult result = sendWaitingLabels(*server, *local, workstationId, connectedThrough);
    knownThrough = result.through;
    connectedThrough = result.through;
    return result.sent;
  }

  /// Hands the team's slices and assignment on when a label, an adjudication or an assignment
  /// reached the server since the last read (always after a reconnect).
  void readTeam() {
    if (!options.teamRead) return;
    std::string mark = server->changeMark();
    if (mark == teamMark) return;
    options.teamRead(readTeamView(*server));
    teamMark = std::move(mark);
  }
};

LabelSync::LabelSync(std::filesystem::path projectDir, std::string address,
                     std::string workstationId, SyncOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->projectFile = project::databaseFile(projectDir);
  impl_->address = std::move(address);
  impl_->workstationId = std::move(workstationId);
  impl_->options = options;
  impl_->thread = std::thread([this] { impl_->run(); });
}

LabelSync::~LabelSync() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stop = true;
  }
  impl_->wake.notify_all();
  impl_->thread.join();
}

void LabelSync::notify() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->pending = true;
  }
  impl_->wake.notify_all();
}

SyncStatus LabelSync::status() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->status;
}

bool LabelSync::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  // The attempt that starts after this call: one under way may have read the log before the
  // caller's last label.
  const std::uint64_t target = impl_->started + 1;
  impl_->pending = true;
  impl_->wake.notify_all();
  impl_->done.wait_for(lock, timeout, [&] { return impl_->finished >= target; });
  return impl_->finished >= target && impl_->status.reachable && impl_->status.waiting == 0;
}

}  // namespace camlabel::team
