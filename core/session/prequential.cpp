// SPDX-License-Identifier: Apache-2.0
#include "core/session/prequential.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "core/project/project.h"

namespace camlabel::session {

std::vector<learning::PrequentialRecord> prequentialRecords(project::Project& project) {
  std::vector<std::pair<std::int64_t, learning::PrequentialRecord>> byLabel;
  project.forEachCurrentLabel([&](const project::ImageRecord&, const project::CurrentLabel& l) {
    if (l.skipped) return;
    byLabel.push_back({l.labelId, {l.classIndex, l.context.predictedClass}});
  });
  std::sort(byLabel.begin(), byLabel.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<learning::PrequentialRecord> records;
  records.reserve(byLabel.size());
  for (auto& [id, record] : byLabel)
    records.push_back(record);
  return records;
}

}  // namespace camlabel::session
