// SPDX-License-Identifier: Apache-2.0
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

 private:
  int fd_;
};

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path)
    : path_(std::move(path)), temp_(path_.string() + ".tmp-" + std::to_string(::getpid())) {
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int error = errno;
    throw Error("cannot write '" + path_.string() +
                "': cannot create a temporary file: " + std::strerror(error));
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFileWriter::fail(const char* what, int error) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
  throw Error("cannot write '" + path_.string() + "': " + what + ": " + std::strerror(error));
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw Error("cannot write '" + path_.string() + "': the file is closed");
  const auto* bytes = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd_, bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("write failed", n == 0 ? EIO : errno);
    written += static_cast<std::size_t>(n);
  }
  size_ += size;
}

void AtomicFileWriter::writeAt(std::uint64_t offset, const void* data, std::size_t size) {
  if (fd_ < 0) throw Error("cannot write '" + path_.string() + "': the file is closed");
  if (offset > size_ || size > size_ - offset)
    throw Error("cannot write '" + path_.string() + "': a patch past the end of the file");
  const auto* bytes = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n =
        ::pwrite(fd_, bytes + written, size - written, static_cast<off_t>(offset + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("write failed", n == 0 ? EIO : errno);
    written += static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw Error("cannot write '" + path_.string() + "': the file is closed");
  if (::fsync(fd_) != 0) fail("flush to disk failed", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("close failed", errno);
  if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("rename failed", errno);
  committed_ = true;
  const std::filesystem::path folder = path_.has_parent_path() ? path_.parent_path() : ".";
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());  // makes the rename itself durable
}

void writeFileAtomically(const std::filesystem::path& path, const void* data, std::size_t size) {
  AtomicFileWriter out(path);
  out.write(data, size);
  out.commit();
}

}  // namespace camlabel
