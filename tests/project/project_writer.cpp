// SPDX-License-Identifier: Apache-2.0
// Test helper: opens the project DIR and labels its images in a loop, printing "ack N" after
// each label call has returned (i.e. after commit). The parent kills it at random moments.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/project/project.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR ANNOTATOR COUNT\n", argv[0]);
    return 2;
  }
  try {
    auto project = camlabel::project::Project::open(argv[1]);
    const std::string annotator = argv[2];
    const long count = std::atol(argv[3]);
    const std::int64_t images = project->imageCount();
    for (long n = 1; n <= count; ++n) {
      const std::int64_t imageId = 1 + (n % images);
      project->label(imageId, static_cast<int>(n % 10), annotator, {});
      std::printf("ack %ld\n", n);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "project_writer: %s\n", e.what());
    return 1;
  }
  return 0;
}
