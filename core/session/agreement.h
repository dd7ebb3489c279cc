#pragma once

// Agreement between a project's readers (issue 15), as `camlabel-cli project agreement` and the
// desktop app show it.

#include <string>
#include <vector>

#include "core/learning/agreement.h"

namespace camlabel::project {
class Project;
}

namespace camlabel::session {
class Session;
}

namespace camlabel::session {

struct ProjectAgreement {
  learning::AgreementReport report;
  std::vector<std::string> classNames;  ///< the scheme's, in English
  int skips = 0;  ///< readers' current skips: not readings, left out of every figure
};

/// Each reader's current label of each slice (project::readerDecisions), compared across readers.
ProjectAgreement measureProjectAgreement(project::Project& project,
                                         const learning::AgreementOptions& options = {});
/// The same for the project a session has open (the store is read under the session's lock).
ProjectAgreement measureProjectAgreement(Session& session,
                                         const learning::AgreementOptions& options = {});

}  // namespace camlabel::session
