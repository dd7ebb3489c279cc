// SPDX-License-Identifier: Apache-2.0
#include "core/project/project_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/common/error.h"

namespace camlabel::project {

ProjectLock::ProjectLock(const std::filesystem::path& projectDir) {
  const std::filesystem::path path = projectDir / "project.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error("cannot open the project lock '" + path.string() + "': " + std::strerror(errno) +
                ".");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char holder[256] = {};
    const ssize_t got = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK)
      throw Error("cannot lock the project '" + projectDir.string() + "': " + std::strerror(err) +
                  ".");
    std::string who = got > 0 ? std::string(holder, static_cast<std::size_t>(got)) : "";
    while (!who.empty() && (who.back() == '\n' || who.back() == '\0'))
      who.pop_back();
    throw Error("project '" + projectDir.string() + "' is open in another window or process (" +
                (who.empty() ? "unknown" : who) + "); close it there first.");
  }
  // Who holds it, for the message a second opener sees; the lock itself is what protects.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string who = "pid " + std::to_string(::getpid()) + " on " + host + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t wrote = ::pwrite(fd_, who.data(), who.size(), 0);
  }
}

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace camlabel::project
