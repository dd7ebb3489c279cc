#include "core/session/agreement.h"

#include <utility>

#include "core/project/project.h"
#include "core/project/readers.h"
#include "core/session/session.h"

namespace camlabel::session {
namespace {

ProjectAgreement agreementOf(std::vector<project::ReaderDecision> decisions,
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

}  // namespace

ProjectAgreement measureProjectAgreement(project::Project& project,
                                         const learning::AgreementOptions& options) {
  return agreementOf(project::readerDecisions(project), project.settings().scheme.englishNames(),
                     options);
}

ProjectAgreement measureProjectAgreement(Session& session,
                                         const learning::AgreementOptions& options) {
  return agreementOf(session.readerDecisions(), session.settings().scheme.englishNames(), options);
}

}  // namespace camlabel::session
