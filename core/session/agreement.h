// SPDX-License-Identifier: Apache-2.0
#pragma once

// Agreement between a project's readers (issue 15), as `camlabel-cli project agreement` and the
// desktop app show it.

#include <string>
#include <vector>

#include "core/learning/agreement.h"
#include "core/project/readers.h"

namespace camlabel::project {
class Project;
}

namespace camlabel::session {

struct ProjectAgreement {
  learning::AgreementReport report;
  std::vector<std::string> classNames;  ///< the scheme's, in English
  int skips = 0;  ///< readers' current skips: not readings, left out of every figure
};

/// Each reader's current label of each slice (project::readerDecisions), compared across readers;
/// for a team project, every reader's as the team server holds them (a network round trip:
/// throws camlabel::Error when the server cannot be reached).
ProjectAgreement measureProjectAgreement(project::Project& project,
                                         const learning::AgreementOptions& options = {});
/// Every reader's current decisions on the team server at `server` (a team project's
/// ProjectSettings::teamServer), compared: a network round trip, for a worker thread. Throws
/// camlabel::Error when the server cannot be reached.
ProjectAgreement measureTeamAgreement(const std::string& server,
                                      std::vector<std::string> classNames,
                                      const learning::AgreementOptions& options = {});
/// The same from decisions already read (e.g. Session::readerDecisions, under the session's
/// lock) and the scheme's class names.
ProjectAgreement measureReaderAgreement(std::vector<project::ReaderDecision> decisions,
                                        std::vector<std::string> classNames,
                                        const learning::AgreementOptions& options = {});

}  // namespace camlabel::session
