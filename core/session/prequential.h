// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a project's store says about the predictions shown while labelling: Torch-free, so that
// `project status` reads it without loading the model libraries.

#include <vector>

#include "core/learning/metrics.h"

namespace camlabel::project {
class Project;
}

namespace camlabel::session {

/// The prediction recorded with each current label, in the order the labels were given (skips
/// and undone labels excluded; a relabelled image counts once, with its latest label): the
/// input of learning::prequentialAccuracy.
std::vector<learning::PrequentialRecord> prequentialRecords(project::Project& project);

}  // namespace camlabel::session
