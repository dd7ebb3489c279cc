// SPDX-License-Identifier: Apache-2.0
#include "core/project/readers.h"

#include <cstdlib>

#include <map>
#include <utility>

#include "core/project/project.h"
#include "core/project/sqlite.h"

namespace camlabel::project {

std::string defaultReaderName() {
  for (const char* var : {"USER", "LOGNAME", "USERNAME"}) {
    if (const char* value = std::getenv(var); value != nullptr && *value != '\0') return value;
  }
  return "annotator";
}

std::vector<ReaderDecision> readerDecisions(Project& project) {
  // `decisions` holds the labels and skips no undo reverted; the latest per (image, reader) is
  // that reader's current decision.
  auto s = project.database().prepare(
      "SELECT image_id, annotator, class_index FROM decisions ORDER BY id");
  std::map<std::pair<std::int64_t, std::string>, std::optional<int>> latest;
  while (s.step()) {
    std::optional<int> classIndex;
    if (!s.isNull(2)) classIndex = static_cast<int>(s.columnInt(2));
    latest[{s.columnInt(0), s.columnText(1)}] = classIndex;
  }
  std::vector<ReaderDecision> out;
  out.reserve(latest.size());
  for (auto& [key, classIndex] : latest)
    out.push_back({key.first, key.second, classIndex});
  return out;
}

std::optional<ReaderDecision> readerDecision(Project& project, std::int64_t imageId,
                                             const std::string& reader) {
  auto s = project.database().prepare(
      "SELECT class_index FROM decisions WHERE image_id = ? AND annotator = ? "
      "ORDER BY id DESC LIMIT 1");
  if (!s.bind(1, imageId).bind(2, reader).step()) return std::nullopt;
  ReaderDecision d{imageId, reader, std::nullopt};
  if (!s.isNull(0)) d.classIndex = static_cast<int>(s.columnInt(0));
  return d;
}

}  // namespace camlabel::project
