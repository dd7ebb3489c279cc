// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

namespace camlabel::project {

/// An exclusive advisory lock (flock) on DIR/project.lock for the lifetime of the object. The
/// kernel drops it when the holder dies, so a crashed process never leaves a stale lock. flock
/// locks belong to the open file, so a second lock object in the same process is refused too.
class ProjectLock {
 public:
  /// Throws camlabel::Error "project is open in another window or process (pid N on HOST)"
  /// when held elsewhere, or naming the lock file and the system's reason when it cannot be
  /// created (e.g. a read-only folder).
  explicit ProjectLock(const std::filesystem::path& projectDir);
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace camlabel::project
