// SPDX-License-Identifier: Apache-2.0
// What a team project's trainer learns from (issue 15): the team's consensus, with this reader's
// own labels as they are in the folder; another reader's new label gets steps here; a
// disagreement leaves the slice out until an adjudicator decides; by setting, this reader's
// labels only. The bookkeeping alone, then a real session against a real PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "core/imaging/phantom.h"
#include "core/model/checkpoint.h"
#include "core/project/project.h"
#include "core/session/replay.h"
#include "core/session/session.h"
#include "core/session/team_training.h"
#include "core/team/consensus.h"
#include "core/team/label_sync.h"
#include "core/team/team_server.h"
#include "postgres_server.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace camlabel {
namespace {

using session::TeamDecision;
using session::TeamTrainingSet;

team::TeamSlice slice(const std::string& sha, std::vector<team::Reading> readings,
                      std::optional<int> adjudicated = std::nullopt) {
  team::TeamSlice s;
  s.imageSha256 = sha;
  s.imagePath = sha + ".png";
  s.readings = std::move(readings);
  if (adjudicated) {
    team::Adjudication a;
    a.imageSha256 = sha;
    a.classIndex = *adjudicated;
    a.adjudicator = "dr.adj";
    s.adjudication = a;
  }
  return s;
}

team::TeamView view(std::vector<team::TeamSlice> slices, team::Assignment assignment = {}) {
  return {std::move(slices), assignment};
}

TEST(TeamTrainingSet, TheConsensusWithThisReadersOwnLabelDecides) {
  TeamTrainingSet set("dr.b", /*consensus=*/true);
  set.setView(view({slice("a", {{"dr.a", 3}}),                  // only another reader
                    slice("b", {{"dr.a", 3}, {"dr.b", 5}}),     // disagree on the server
                    slice("c", {{"dr.a", 3}, {"dr.b", 5}}, 5),  // adjudicated
                    slice("d", {{"dr.b", 2}})}));               // only this reader, server's copy

  const TeamDecision others = set.decide("a", std::nullopt);
  EXPECT_EQ(others.classIndex, 3);
  EXPECT_TRUE(others.fromOthers);
  // This reader's label in the folder counts, not the server's older copy of it.
  EXPECT_FALSE(set.decide("a", 5).classIndex.has_value());
  EXPECT_TRUE(set.decide("a", 5).disputed);
  EXPECT_EQ(set.decide("b", 3).classIndex, 3);  // changed their mind here: now they agree
  EXPECT_TRUE(set.decide("b", 5).disputed);
  const TeamDecision settled = set.decide("c", 3);
  EXPECT_EQ(settled.classIndex, 5);  // the adjudication wins
  EXPECT_TRUE(settled.overruled);
  EXPECT_FALSE(set.decide("d", std::nullopt).classIndex.has_value());  // undone here
  EXPECT_EQ(set.decide("unknown", 4).classIndex, 4);                   // not on the server yet

  set.setConsensus(false);  // this reader's labels only
  EXPECT_FALSE(set.decide("a", std::nullopt).classIndex.has_value());
  EXPECT_EQ(set.decide("b", 5).classIndex, 5);
  EXPECT_EQ(set.decide("c", 3).classIndex, 3);
}

TEST(TeamTrainingSet, OnlyChangesAreReported) {
  TeamTrainingSet set("dr.b", true);
  EXPECT_EQ(set.setView(view({slice("a", {{"dr.a", 3}}), slice("b", {{"dr.a", 1}})})),
            (std::vector<std::string>{"a", "b"}));
  // The same view again: nothing; a new reading of b, an adjudication of a: those two.
  EXPECT_TRUE(set.setView(view({slice("a", {{"dr.a", 3}}), slice("b", {{"dr.a", 1}})})).empty());
  EXPECT_EQ(
      set.setView(view({slice("a", {{"dr.a", 3}}, 4), slice("b", {{"dr.a", 1}, {"dr.c", 1}})})),
      (std::vector<std::string>{"a", "b"}));
  // b's readings all undone: it went.
  EXPECT_EQ(set.setView(view({slice("a", {{"dr.a", 3}}, 4)})), (std::vector<std::string>{"b"}));

  EXPECT_TRUE(set.hand(7, set.decide("a", std::nullopt)));
  EXPECT_FALSE(set.hand(7, set.decide("a", std::nullopt)));  // the trainer has it already
  EXPECT_TRUE(set.hand(7, TeamDecision{}));
  EXPECT_EQ(set.summary().slices, 0);
}

TEST(TeamTrainingSet, BlindedDoubleReadingKeepsTheOthersLabelsOutUntilThisReadersReading) {
  TeamTrainingSet set("dr.b", true);
  const std::vector<team::TeamSlice> slices = {
      slice("a", {{"dr.a", 3}}),                // one reading of two: dr.b's is due
      slice("c", {{"dr.a", 3}, {"dr.c", 3}}),   // two readings without dr.b
      slice("e", {{"dr.a", 3}, {"dr.b", 4}})};  // dr.b has read it (the server's copy)
  set.setView(view(slices, {2, true}));

  const TeamDecision due = set.decide("a", std::nullopt);
  EXPECT_FALSE(due.classIndex.has_value());  // A's class stays out of B's model
  EXPECT_TRUE(due.awaitingYou);
  EXPECT_FALSE(due.disputed);
  EXPECT_FALSE(due.readWithoutYou);
  EXPECT_EQ(set.decide("a", 3).classIndex, 3);  // read here: the consensus, as without blinding
  EXPECT_FALSE(set.decide("a", 3).awaitingYou);
  // A skip is B's reading too: the slice is no longer B's to read, and A's class counts.
  EXPECT_EQ(set.decide("a", std::nullopt, /*skipped=*/true).classIndex, 3);

  const TeamDecision done = set.decide("c", std::nullopt);
  EXPECT_TRUE(done.readWithoutYou);  // not offered to B
  EXPECT_EQ(done.classIndex, 3);     // and not B's to read: nothing to blind
  EXPECT_FALSE(set.decide("e", std::nullopt).awaitingYou);

  set.hand(1, due);
  set.hand(2, done);
  EXPECT_TRUE(set.offered(1));
  EXPECT_FALSE(set.offered(2));
  EXPECT_TRUE(set.offered(99));  // not on the server
  session::TeamTraining t = set.summary();
  EXPECT_EQ(t.assignment.readingsPerSlice, 2);
  EXPECT_EQ(t.slices, 1);
  EXPECT_EQ(t.awaitingYou, 1);
  EXPECT_EQ(t.readWithoutYou, 1);

  // B labels slice a: the counts follow the handed decisions, not a recount.
  set.hand(1, set.decide("a", 3));
  t = set.summary();
  EXPECT_EQ(t.slices, 2);
  EXPECT_EQ(t.awaitingYou, 0);

  // The team opens its reading: every slice is decided again, A's class reaches B's model.
  EXPECT_EQ(set.setView(view(slices, {2, false})).size(), 3U);
  const TeamDecision open = set.decide("a", std::nullopt);
  EXPECT_EQ(open.classIndex, 3);
  EXPECT_TRUE(open.awaitingYou);
  // No assignment: nothing due, everything offered.
  set.setView(view(slices));
  EXPECT_FALSE(set.decide("a", std::nullopt).awaitingYou);
  EXPECT_FALSE(set.decide("c", std::nullopt).readWithoutYou);
}

TEST(AdjudicationQueue, ABlindedReaderSeesNoDisagreementTheyStillOweAReading) {
  const team::TeamView team =
      view({slice("x", {{"dr.a", 1}, {"dr.c", 2}}), slice("y", {{"dr.a", 1}, {"dr.c", 1}}),
            slice("z", {{"dr.a", 1}, {"dr.c", 2}}, 2)},
           {3, true});
  const team::AdjudicationQueue b = team::adjudicationQueue(team, "dr.b");
  EXPECT_TRUE(b.slices.empty());
  EXPECT_EQ(b.blinded, 1);
  EXPECT_EQ(b.agreed, 1);
  EXPECT_EQ(b.adjudicated, 1);
  const team::AdjudicationQueue a = team::adjudicationQueue(team, "dr.a");
  ASSERT_EQ(a.slices.size(), 1U);
  EXPECT_EQ(a.slices[0].imageSha256, "x");
  EXPECT_EQ(a.blinded, 0);
  EXPECT_EQ(team::adjudicationQueue({team.slices, {3, false}}, "dr.b").slices.size(), 1U);
  EXPECT_EQ(team::adjudicationQueue({team.slices, {2, true}}, "dr.b").slices.size(), 1U);
}

/// Two readers' project folders over one shared image folder, on one server; reader B works in
/// a session with a tiny network.
class TeamTrainingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    imaging::PhantomSetOptions phantoms;
    phantoms.count = 8;
    phantoms.size = 64;
    phantoms.seed = 5;
    imaging::writePhantomSet(dir_.path() / "data", phantoms);
    readerA_ = makeFolder("a");
    folderB_ = makeFolder("b")->dir();
    syncA_ = std::make_unique<team::LabelSync>(readerA_->dir(), address_,
                                               readerA_->settings().workstationId);
  }

  std::unique_ptr<project::Project> makeFolder(const std::string& name) {
    project::ProjectSettings settings;
    settings.imageRoot = dir_.path() / "data" / "images";
    settings.modelSize = 64;
    settings.trainingMode = "full";
    settings.snapshotEvery = 1000;
    auto p = project::Project::create(dir_.path() / name, settings);
    p->importImages();
    team::joinTeamServer(*p, address_);
    return p;
  }

  std::unique_ptr<session::Session> openB() {
    session::SessionOptions options;
    options.annotator = "dr.b";
    options.config = model::ResNetConfig{{1, 1, 1, 1}, 8, 10};
    options.teamReadEvery = 100ms;
    options.tuneTrainer = [](learning::TrainerOptions& t) {
      t.idleTraining = false;  // steps are counted
      t.stepsPerLabel = 1;
      t.batchSize = 2;
      t.microBatch = 2;
    };
    return session::Session::open(folderB_, options);
  }

  /// Reader A labels the image at `index` (the same slice in both folders) and sends it; a
  /// third reader may label in A's folder too.
  void labelA(int index, int classIndex, const std::string& reader = "dr.a") {
    readerA_->label(readerA_->imageAt(index)->id, classIndex, reader);
    ASSERT_TRUE(syncA_->flush(10s));
  }

  static bool waitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

  test::PostgresServer pg_;
  test::TempDir dir_;
  std::string address_ = pg_.createDatabase("team");
  std::unique_ptr<project::Project> readerA_;
  std::unique_ptr<team::LabelSync> syncA_;
  fs::path folderB_;
};

TEST_F(TeamTrainingTest, ReaderBsModelLearnsTheTeamsConsensus) {
  labelA(0, 1);
  labelA(1, 2);
  labelA(2, 3);
  auto b = openB();
  ASSERT_TRUE(waitFor([&] { return b->teamTraining()->teamRead; }));
  session::TeamTraining t = *b->teamTraining();
  EXPECT_TRUE(t.consensus);
  EXPECT_EQ(t.slices, 3);
  EXPECT_EQ(t.fromOthers, 3);
  ASSERT_TRUE(b->waitForTraining(30s));
  // A new folder's model has not seen A's labels: they get steps here.
  EXPECT_EQ(b->trainerStatus().labelsSeen, 3);

  // B disagrees on slice 0: it leaves B's training set until someone adjudicates.
  const std::int64_t slice0 = b->imageAt(0)->id;
  b->label(slice0, 5);
  t = *b->teamTraining();
  EXPECT_EQ(t.slices, 2);
  EXPECT_EQ(t.disputed, 1);

  // An adjudicator decides for A's class: it is B's training label now, B overruled.
  team::TeamSlice disputed;
  for (const team::TeamSlice& s : team::readTeamSlices(address_))
    if (s.imageSha256 == b->image(slice0).sha256) disputed = s;
  ASSERT_TRUE(waitFor([&] {
    for (const team::TeamSlice& s : team::readTeamSlices(address_))
      if (s.imageSha256 == disputed.imageSha256) disputed = s;
    return disputed.readings.size() == 2;  // B's label has reached the server
  }));
  team::adjudicateSlice(address_, "adjudicating-workstation", disputed, 1, "dr.adj");
  ASSERT_TRUE(waitFor([&] { return b->teamTraining()->disputed == 0; }));
  t = *b->teamTraining();
  EXPECT_EQ(t.slices, 3);
  EXPECT_EQ(t.overruled, 1);

  // A new label of A's reaches B's trainer with steps of its own, without a key press in B.
  ASSERT_TRUE(b->waitForTraining(30s));
  const std::int64_t seen = b->trainerStatus().labelsSeen;
  labelA(3, 7);
  ASSERT_TRUE(waitFor([&] { return b->teamTraining()->slices == 4; }));
  ASSERT_TRUE(b->waitForTraining(30s));
  EXPECT_GT(b->trainerStatus().labelsSeen, seen);
}

TEST_F(TeamTrainingTest, BySettingTheTrainerLearnsThisReadersLabelsOnlyAndVersionsSaySo) {
  labelA(0, 1);
  labelA(1, 2);
  auto b = openB();
  ASSERT_TRUE(waitFor([&] { return b->teamTraining()->teamRead; }));
  b->label(b->imageAt(2)->id, 4);
  EXPECT_EQ(b->teamTraining()->slices, 3);

  b->setTeamTraining(false);
  session::TeamTraining t = *b->teamTraining();
  EXPECT_FALSE(t.consensus);
  EXPECT_EQ(t.slices, 1);
  EXPECT_EQ(t.fromOthers, 0);
  ASSERT_TRUE(b->waitForTraining(30s));
  b->close();

  // The choice is the project's, and the version written on close records it.
  EXPECT_EQ(project::Project::open(folderB_)->settings().teamTraining, "own");
  std::optional<model::CheckpointInfo> newest;
  for (const auto& entry : fs::directory_iterator(folderB_ / "models")) {
    if (entry.path().extension() != ".pt") continue;
    const model::CheckpointInfo info = model::readCheckpointInfo(entry.path());
    if (!newest || info.version > newest->version) newest = info;
  }
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(newest->metrics.value("labels_from", std::string()), "own labels");

  // Back to the consensus: A's labels return, with steps (the weights never saw them).
  auto again = openB();
  ASSERT_TRUE(waitFor([&] { return again->teamTraining()->teamRead; }));
  EXPECT_EQ(again->teamTraining()->slices, 1);
  const std::int64_t seenAlone = again->trainerStatus().labelsSeen;
  again->setTeamTraining(true);
  EXPECT_EQ(again->teamTraining()->slices, 3);
  ASSERT_TRUE(again->waitForTraining(30s));
  const std::int64_t seenWithTeam = again->trainerStatus().labelsSeen;
  EXPECT_EQ(seenWithTeam, seenAlone + 2);
  again->close();

  // Opened again, a model trained on the consensus has seen the team's labels: they join its
  // replay pool without steps of their own.
  auto third = openB();
  ASSERT_TRUE(waitFor([&] { return third->teamTraining()->teamRead; }));
  EXPECT_EQ(third->teamTraining()->slices, 3);
  ASSERT_TRUE(third->waitForTraining(30s));
  EXPECT_EQ(third->trainerStatus().labelsSeen, seenWithTeam);
}

TEST_F(TeamTrainingTest, DoubleReadingOffersBOnlyItsSlicesAndKeepsItBlinded) {
  team::TeamServer(address_).setAssignment({2, true}, "dr.owner");
  labelA(0, 1);
  labelA(0, 1, "dr.c");  // slice 0: two readings, B's is not needed
  labelA(1, 2);          // slice 1: one reading, B's is due
  auto b = openB();
  ASSERT_TRUE(waitFor([&] { return b->teamTraining()->teamRead; }));
  session::TeamTraining t = *b->teamTraining();
  EXPECT_EQ(t.assignment.readingsPerSlice, 2);
  EXPECT_EQ(t.readWithoutYou, 1);
  EXPECT_EQ(t.awaitingYou, 1);
  EXPECT_EQ(t.slices, 1);  // slice 0's consensus; slice 1's class is hidden from B

  // B is never offered slice 0, in any order.
  const std::int64_t slice0 = b->imageAt(0)->id;
  const std::int64_t slice1 = b->imageAt(1)->id;
  EXPECT_EQ(b->nextUnlabelled(), slice1);
  EXPECT_EQ(b->suggestNext(learning::LabellingOrder::kFile)->imageId, slice1);
  const std::optional<session::Suggestion> random =
      b->suggestNext(learning::LabellingOrder::kRandom);
  ASSERT_TRUE(random.has_value());
  EXPECT_EQ(random->undecided, 7);  // 8 slices, slice 0 not among them
  EXPECT_NE(random->imageId, slice0);
  EXPECT_FALSE(b->offered(slice0));
  EXPECT_TRUE(b->offered(slice1));
  // A window that opened on slice 0 before the team's labels were read goes on to slice 1.
  EXPECT_EQ(b->insteadOfStart(slice0), slice1);
  EXPECT_FALSE(b->insteadOfStart(slice1).has_value());
  // A replayed CSV in its own order passes over it too.
  session::ReplayOrder replay(*b, {{slice0, 1}, {slice1, 2}}, learning::LabellingOrder::kFile);
  const std::optional<session::ReplayStep> first = replay.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->item.imageId, slice1);

  // Blinded: A's label of slice 1 has not reached B's model.
  ASSERT_TRUE(b->waitForTraining(30s));
  EXPECT_EQ(b->trainerStatus().labelsSeen, 1);
  // B's reading of slice 1: it now joins, with the next slice to label after it not slice 0.
  const session::LabelOutcome outcome = b->label(slice1, 2);
  EXPECT_NE(outcome.next, slice0);
  t = *b->teamTraining();
  EXPECT_EQ(t.slices, 2);
  EXPECT_EQ(t.awaitingYou, 0);

  // A third slice read by A only, then the team opens its reading: A's class reaches B's model
  // without B's reading.
  labelA(2, 3);
  ASSERT_TRUE(waitFor([&] { return b->teamTraining()->awaitingYou == 1; }));
  EXPECT_EQ(b->teamTraining()->slices, 2);
  team::TeamServer(address_).setAssignment({2, false}, "dr.owner");
  ASSERT_TRUE(waitFor([&] { return !b->teamTraining()->assignment.blinded; }));
  EXPECT_EQ(b->teamTraining()->slices, 3);
  EXPECT_EQ(b->teamTraining()->awaitingYou, 1);
}

}  // namespace
}  // namespace camlabel
