// SPDX-License-Identifier: Apache-2.0
#include "core/session/first_slice.h"

#include "core/project/project.h"

namespace camlabel::session {

std::optional<FirstSlice> readFirstSlice(const std::filesystem::path& projectDir) {
  FirstSlice slice;
  std::filesystem::path file;
  {
    auto project = project::Project::open(projectDir);
    const std::optional<std::int64_t> id = project->startingImage();
    if (!id) return std::nullopt;
    const project::ImageRecord record = project->image(*id);
    slice.imageId = record.id;
    slice.relativePath = record.relativePath;
    file = project->resolveImage(record.id);
  }  // the store is closed before the slice is read, and before the session opens it
  slice.image = imaging::readImage(file);
  return slice;
}

}  // namespace camlabel::session
