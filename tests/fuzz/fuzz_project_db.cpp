// SPDX-License-Identifier: Apache-2.0
// A project database from damaged bytes (a copied folder, a torn disk): opened and read the way
// `project status` and the window read it. A refusal must be camlabel::Error; what opens must
// answer every query with a clear error or a consistent result.

#include <filesystem>
#include <fstream>
#include <string>

#include "core/common/error.h"
#include "core/project/project.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace camlabel;
  namespace fs = std::filesystem;
  const fs::path file = fuzz::asFile(data, size);
  const fs::path dir = file.parent_path() / "project";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  fs::copy_file(file, dir / "project.sqlite");
  try {
    auto project = project::Project::open(dir);
    const project::ProjectCounts counts = project->counts();
    if (counts.images < 0 || counts.labelled < 0 || counts.skipped < 0)
      fuzz::finding("negative counts");
    std::int64_t visited = 0;
    project->forEachCurrentLabel(
        [&](const project::ImageRecord&, const project::CurrentLabel&) { ++visited; });
    for (std::int64_t i = 0; i < std::min<std::int64_t>(project->imageCount(), 4); ++i)
      if (const auto image = project->imageAt(i)) project->currentLabel(image->id);
    project->modelVersions();
    project->position();
    project->undecidedImages();
  } catch (const Error&) {
  }
  return 0;
}
