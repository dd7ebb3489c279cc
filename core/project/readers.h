// SPDX-License-Identifier: Apache-2.0
#pragma once

// The labels of each reader of a project (issue 15: agreement between readers).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace camlabel::project {

class Project;

/// One reader's own current decision for one image: their latest label or skip of it that no
/// undo reverted. Another reader's later label of the same image does not replace it.
struct ReaderDecision {
  std::int64_t imageId = 0;
  std::string reader;             ///< the annotator recorded with the label
  std::optional<int> classIndex;  ///< empty: skipped
};

/// The reader's name when none is given: the login name ($USER, $LOGNAME, %USERNAME%), else
/// "annotator".
std::string defaultReaderName();

/// Every reader's current decision for every image they decided, by image then reader. One scan
/// of the label log.
std::vector<ReaderDecision> readerDecisions(Project& project);
/// One reader's current decision for one image; nothing when they have none. One index search.
std::optional<ReaderDecision> readerDecision(Project& project, std::int64_t imageId,
                                             const std::string& reader);

}  // namespace camlabel::project
