#include "core/common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "core/common/error.h"

namespace camlabel {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
  throw Error("cannot write '" + path.string() + "': " + what + ": " + std::strerror(error));
}

}  // namespace

void writeFileAtomically(const std::filesystem::path& path, const void* data, std::size_t size) {
  const std::filesystem::path temp = path.string() + ".tmp-" + std::to_string(::getpid());
  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail(path, "cannot create a temporary file", errno);

  auto abandon = [&](const char* what) {
    const int error = errno;
    ::unlink(temp.c_str());
    fail(path, what, error);
  };
  const auto* bytes = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd.get(), bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) abandon("write failed");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) abandon("flush to disk failed");
  if (::close(fd.release()) != 0) abandon("close failed");
  if (::rename(temp.c_str(), path.c_str()) != 0) abandon("rename failed");

  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());  // makes the rename itself durable
}

}  // namespace camlabel
