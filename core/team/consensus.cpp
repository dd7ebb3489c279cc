// SPDX-License-Identifier: Apache-2.0
#include "core/team/consensus.h"

#include <algorithm>
#include <map>

#include "core/common/sha256.h"
#include "core/project/project.h"

namespace camlabel::team {

bool TeamSlice::readersDisagree() const {
  return std::any_of(readings.begin(), readings.end(),
                     [&](const Reading& r) { return r.classIndex != readings.front().classIndex; });
}

std::optional<int> TeamSlice::consensus() const {
  if (adjudication) return adjudication->classIndex;
  if (readings.empty() || readersDisagree()) return std::nullopt;
  return readings.front().classIndex;
}

std::optional<int> TeamSlice::consensusWith(const std::string& reader,
                                            std::optional<int> own) const {
  TeamSlice mine = *this;
  std::erase_if(mine.readings, [&](const Reading& r) { return r.reader == reader; });
  if (own) mine.readings.push_back({reader, *own});
  return mine.consensus();
}

int readingsBesides(const TeamSlice& slice, const std::string& reader) {
  return static_cast<int>(std::count_if(slice.readings.begin(), slice.readings.end(),
                                        [&](const Reading& r) { return r.reader != reader; }));
}

namespace {
bool readByOnServer(const TeamSlice& slice, const std::string& reader) {
  return std::any_of(slice.readings.begin(), slice.readings.end(),
                     [&](const Reading& r) { return r.reader == reader; });
}
}  // namespace

bool owesReading(const TeamSlice& slice, const std::string& reader, const Assignment& assignment,
                 bool readHere) {
  return assignment.readingsPerSlice > 0 && !readHere && !readByOnServer(slice, reader) &&
         readingsBesides(slice, reader) < assignment.readingsPerSlice;
}

bool blindedFrom(const TeamSlice& slice, const std::string& reader, const Assignment& assignment,
                 bool readHere) {
  return assignment.blinded && owesReading(slice, reader, assignment, readHere);
}

bool readWithout(const TeamSlice& slice, const std::string& reader, const Assignment& assignment,
                 bool readHere) {
  return assignment.readingsPerSlice > 0 && !readHere && !readByOnServer(slice, reader) &&
         readingsBesides(slice, reader) >= assignment.readingsPerSlice;
}

AdjudicationQueue adjudicationQueue(const TeamView& view, const std::string& viewer) {
  AdjudicationQueue queue;
  for (const TeamSlice& slice : view.slices) {
    if (slice.adjudication) ++queue.adjudicated;
    if (!slice.readersDisagree()) ++queue.agreed;
    if (!slice.awaitsAdjudication()) continue;
    if (blindedFrom(slice, viewer, view.assignment))
      ++queue.blinded;
    else
      queue.slices.push_back(slice);
  }
  return queue;
}

std::vector<TeamSlice> teamSlices(const std::vector<ServerDecision>& decisions,
                                  const std::vector<Adjudication>& adjudications) {
  std::map<std::string, TeamSlice> slices;
  for (const ServerDecision& d : decisions) {
    if (!d.classIndex) continue;  // a skip is not a reading
    TeamSlice& slice = slices[d.imageSha256];
    if (slice.imageSha256.empty()) {
      slice.imageSha256 = d.imageSha256;
      slice.imagePath = d.imagePath;
    }
    slice.readings.push_back({d.reader, *d.classIndex});
  }
  for (const Adjudication& a : adjudications)
    if (const auto it = slices.find(a.imageSha256); it != slices.end()) it->second.adjudication = a;
  std::vector<TeamSlice> out;
  out.reserve(slices.size());
  for (auto& [sha, slice] : slices) {
    std::sort(slice.readings.begin(), slice.readings.end(),
              [](const Reading& a, const Reading& b) { return a.reader < b.reader; });
    out.push_back(std::move(slice));
  }
  return out;
}

std::vector<TeamSlice> readTeamSlices(const std::string& address) {
  TeamServer server(address);
  return readTeamSlices(server);
}

std::vector<TeamSlice> readTeamSlices(TeamServer& server) {
  return teamSlices(server.readerDecisions(), server.adjudications());
}

TeamView readTeamView(TeamServer& server) {
  TeamView view;
  view.slices = readTeamSlices(server);
  view.assignment = server.assignment();
  return view;
}

TeamView readTeamView(const std::string& address) {
  TeamServer server(address);
  return readTeamView(server);
}

Adjudication adjudicateSlice(const std::string& address, const std::string& workstationId,
                             const TeamSlice& slice, int classIndex,
                             const std::string& adjudicator) {
  Adjudication decision;
  decision.imageSha256 = slice.imageSha256;
  decision.imagePath = slice.imagePath;
  decision.classIndex = classIndex;
  decision.adjudicator = adjudicator;
  decision.time = project::isoTimeNow();
  TeamServer server(address);
  server.adjudicate(decision, sha256Hex(workstationId + '\n' + decision.imageSha256 + '\n' +
                                        decision.time + '\n' + adjudicator));
  return decision;
}

}  // namespace camlabel::team
