// SPDX-License-Identifier: Apache-2.0
#include "core/session/agreement.h"

#include <utility>

#include "core/project/project.h"
#include "core/project/readers.h"
#include "core/team/team_server.h"

namespace camlabel::session {

ProjectAgreement measureReaderAgreement(std::vector<project::ReaderDecision> decisions,
                                        std::vector<std::string> classNames,
                                        const learning::AgreementOptions& options) {
  ProjectAgreement out;
  out.classNames = std::move(classNames);
  std::vector<learning::Rating> ratings;
  for (auto& decision : decisions) {
    if (!decision.classIndex) {
      ++out.skips;
      continue;
    }
    ratings.push_back({decision.imageId, std::move(decision.reader), *decision.classIndex});
  }
  out.report =
      learning::measureAgreement(ratings, static_cast<int>(out.classNames.size()), options);
  return out;
}

ProjectAgreement measureTeamAgreement(const std::string& server,
                                      std::vector<std::string> classNames,
                                      const learning::AgreementOptions& options) {
  team::TeamServer connection(server);
  return measureReaderAgreement(team::toReaderDecisions(connection.readerDecisions()),
                                std::move(classNames), options);
}

ProjectAgreement measureProjectAgreement(project::Project& project,
                                         const learning::AgreementOptions& options) {
  if (!project.settings().teamServer.empty())
    return measureTeamAgreement(project.settings().teamServer,
                                project.settings().scheme.englishNames(), options);
  return measureReaderAgreement(project::readerDecisions(project),
                                project.settings().scheme.englishNames(), options);
}

}  // namespace camlabel::session
