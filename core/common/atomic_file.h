#pragma once

#include <cstddef>
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

}  // namespace camlabel
