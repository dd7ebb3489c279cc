// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace camlabel {

/// Writes data to path so that path holds either its old content or all of the new one, even
/// after a crash or power loss: a temporary file in the same folder, fsync, rename, fsync of the
/// folder. Throws camlabel::Error naming the path and the system's reason (e.g. "No space left
/// on device"); the temporary file is removed on failure.
void writeFileAtomically(const std::filesystem::path& path, const void* data, std::size_t size);

inline void writeFileAtomically(const std::filesystem::path& path, std::string_view text) {
  writeFileAtomically(path, text.data(), text.size());
}

/// The same guarantee for a file written in pieces, so that a large file never has to be held in
/// memory: write() appends to a temporary file beside `path`, writeAt() patches bytes already
/// written, commit() flushes and renames it into place. Without commit() (an exception, a
/// crash) `path` keeps its old content and the destructor removes the temporary file. Errors are
/// camlabel::Error naming `path` and the system's reason.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
  /// Overwrites bytes at `offset`; offset + size must not exceed size().
  void writeAt(std::uint64_t offset, const void* data, std::size_t size);
  /// Bytes written so far.
  std::uint64_t size() const { return size_; }
  /// The temporary file, readable while writing (e.g. to checksum what was written).
  const std::filesystem::path& temporaryPath() const { return temp_; }
  /// fsync, rename over `path`, fsync of the folder. Nothing may be written afterwards.
  void commit();

 private:
  [[noreturn]] void fail(const char* what, int error);

  std::filesystem::path path_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  bool committed_ = false;
};

}  // namespace camlabel
