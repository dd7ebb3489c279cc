// SPDX-License-Identifier: Apache-2.0
#pragma once

// The project's label log as rows to send elsewhere (issue 15: a team server). Read through a
// connection of its own, so that a background sender never holds the project's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/project/project.h"

namespace camlabel::project {

/// One row of the append-only label log, with its image named by content and path.
struct LoggedLabel {
  std::int64_t id = 0;            ///< the row id: increasing, never reused
  std::string action;             ///< "label", "skip" or "undo"
  std::optional<int> classIndex;  ///< for "label" only
  std::string annotator;
  std::string time;  ///< ISO 8601 UTC, as recorded
  LabelContext context;
  std::optional<std::int64_t> reverts;  ///< for "undo": the id of the row it takes back
  std::string imageSha256;
  std::string imagePath;  ///< relative to the image folder
};

/// Up to `limit` rows with an id above afterId, in id order.
std::vector<LoggedLabel> readLabelLog(sqlite::Database& db, std::int64_t afterId, int limit);
/// How many rows have an id above afterId.
std::int64_t countLabelsAfter(sqlite::Database& db, std::int64_t afterId);

}  // namespace camlabel::project
