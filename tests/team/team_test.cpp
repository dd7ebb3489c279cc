// SPDX-License-Identifier: Apache-2.0
// Team projects on a PostgreSQL server (issue 15): labels reach the server exactly once, also
// when it was away; several workstations at once; names stored verbatim; a reader's login may
// add labels but not remove them; nothing from a DICOM header leaves the workstation.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "core/common/error.h"
#include "core/project/label_log.h"
#include "core/project/project.h"
#include "core/team/consensus.h"
#include "core/team/label_sync.h"
#include "core/team/postgres.h"
#include "core/team/team_server.h"
#include "postgres_server.h"
#include "project_test_support.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace camlabel {
namespace {

using project::Project;
using team::TeamServer;

/// A project folder of `images` small PNG slices, as one reader's workstation holds it.
std::unique_ptr<Project> makeProject(const fs::path& dir, int images, int firstSeed = 0) {
  for (int i = 0; i < images; ++i)
    test::writeTestPng(dir / "images" / ("slice" + std::to_string(100 + i) + ".png"),
                       firstSeed + i);
  project::ProjectSettings settings;
  settings.imageRoot = dir / "images";
  auto p = Project::create(dir / "project", settings);
  p->importImages();
  return p;
}

/// A team project of the server at `address` over whatever dir/images holds.
std::unique_ptr<Project> teamProjectOver(const fs::path& dir, const std::string& address) {
  project::ProjectSettings settings;
  settings.imageRoot = dir / "images";
  auto p = Project::create(dir / "project", settings);
  p->importImages();
  team::joinTeamServer(*p, address);
  return p;
}

std::int64_t rows(TeamServer& server) {
  return server.labelRows();
}

TEST(TeamAddress, APasswordInTheAddressIsRefusedAndNeverRepeated) {
  for (const char* address : {"postgresql://reader:s3cret@db.example/ild",
                              "host=db.example dbname=ild password=s3cret"}) {
    try {
      team::pg::checkAddress(address);
      FAIL() << address;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(".pgpass"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
    }
    EXPECT_EQ(team::pg::describeAddress(address).find("s3cret"), std::string::npos);
  }
  EXPECT_EQ(team::pg::describeAddress("postgresql://reader@db.example:5433/ild"),
            "database 'ild' on db.example:5433 as reader");
  EXPECT_NO_THROW(team::pg::checkAddress("postgresql://reader@db.example/ild?sslmode=require"));
  EXPECT_THROW(team::pg::checkAddress("postgresql://[bad"), Error);
}

TEST(TeamAddress, AServerThatIsNotThereSaysSo) {
  test::TempDir dir;
  try {
    TeamServer server("host=" + dir.path().string() + " dbname=ild", 2);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach the team server"), std::string::npos)
        << e.what();
  }
}

TEST(TeamConsensus, AgreementGivesTheClassAndAnAdjudicationSettlesADisagreement) {
  using team::ServerDecision;
  const std::vector<ServerDecision> decisions = {
      {"aa", "a.png", "dr.b", 2}, {"aa", "a.png", "dr.a", 2},             // agreed
      {"bb", "b.png", "dr.a", 3}, {"bb", "b.png", "dr.b", 4},             // disagree
      {"cc", "c.png", "dr.a", 1}, {"cc", "c.png", "dr.b", 5},             // disagree, adjudicated
      {"dd", "d.png", "dr.a", 6}, {"dd", "d.png", "dr.b", std::nullopt},  // a skip is no reading
  };
  const std::vector<team::Adjudication> adjudications = {
      {"cc", "c.png", 5, "dr.c", "2026-12-07T08:00:00.000Z"},
      {"zz", "z.png", 0, "dr.c", "2026-12-07T08:00:00.000Z"},  // nobody labelled it
  };
  const auto slices = team::teamSlices(decisions, adjudications);
  ASSERT_EQ(slices.size(), 4u);  // by SHA-256: aa, bb, cc, dd
  EXPECT_EQ(slices[0].consensus(), 2);
  EXPECT_FALSE(slices[0].awaitsAdjudication());
  ASSERT_EQ(slices[0].readings.size(), 2u);
  EXPECT_EQ(slices[0].readings[0].reader, "dr.a");  // by reader
  EXPECT_EQ(slices[1].consensus(), std::nullopt);
  EXPECT_TRUE(slices[1].awaitsAdjudication());
  EXPECT_EQ(slices[2].consensus(), 5);
  EXPECT_TRUE(slices[2].readersDisagree());
  EXPECT_FALSE(slices[2].awaitsAdjudication());
  EXPECT_EQ(slices[2].adjudication->adjudicator, "dr.c");
  EXPECT_EQ(slices[3].readings.size(), 1u);
  EXPECT_EQ(slices[3].consensus(), 6);
}

class TeamServerTest : public ::testing::Test {
 protected:
  test::PostgresServer pg;
  test::TempDir dir;
  std::string address = pg.createDatabase("team");
};

TEST_F(TeamServerTest, LabelsAreSentOnceAndSendingAgainChangesNothing) {
  auto p = makeProject(dir.path(), 4);
  team::joinTeamServer(*p, address);
  ASSERT_EQ(p->settings().teamServer, address);
  ASSERT_EQ(p->settings().workstationId.size(), 32u);
  p->label(1, 3, "reader1");
  p->label(2, 1, "reader1");
  p->skip(3, "reader1");
  p->label(4, 7, "reader1");
  p->undo("reader1");  // takes back image 4's label
  p->label(1, 5, "reader1");

  TeamServer server(address);
  EXPECT_EQ(team::sendWaitingLabels(server, p->database(), p->settings().workstationId).sent, 6);
  EXPECT_EQ(rows(server), 6);
  EXPECT_EQ(team::sendWaitingLabels(server, p->database(), p->settings().workstationId).sent, 0);
  // Given where the server stands (a sender keeping its connection), nothing more is asked.
  p->label(2, 2, "reader1");
  const team::SendResult next =
      team::sendWaitingLabels(server, p->database(), p->settings().workstationId, 6);
  EXPECT_EQ(next.sent, 1);
  EXPECT_EQ(next.through, 7);
  EXPECT_EQ(rows(server), 7);
  // A reply lost after the commit: the same labels again are the same rows.
  server.send(p->settings().workstationId, project::readLabelLog(p->database(), 0, 100));
  EXPECT_EQ(rows(server), 7);

  std::map<std::string, std::optional<int>> byPath;
  for (const team::ServerDecision& d : server.readerDecisions()) {
    EXPECT_EQ(d.reader, "reader1");
    byPath[d.imagePath] = d.classIndex;
  }
  ASSERT_EQ(byPath.size(), 3u);  // image 4's only label was undone
  EXPECT_EQ(byPath.at("slice100.png"), 5);
  EXPECT_EQ(byPath.at("slice101.png"), 2);
  EXPECT_EQ(byPath.at("slice102.png"), std::nullopt);
  for (const team::ServerDecision& d : server.readerDecisions())
    EXPECT_EQ(d.imageSha256, p->findImage(d.imagePath)->sha256);  // matched by content
}

TEST_F(TeamServerTest, ACopiedProjectFolderIsRefusedInsteadOfDroppingLabels) {
  auto p = makeProject(dir.path(), 2);
  team::joinTeamServer(*p, address);
  p->label(1, 2, "reader1");
  TeamServer server(address);
  team::sendWaitingLabels(server, p->database(), p->settings().workstationId);
  auto log = project::readLabelLog(p->database(), 0, 10);
  log.at(0).annotator = "reader2";  // another folder's first label, same workstation id
  log.at(0).classIndex = 4;
  try {
    server.send(p->settings().workstationId, log);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("copy"), std::string::npos) << e.what();
  }
  EXPECT_EQ(rows(server), 1);

  // The background sender of such a copy says the server refused, not that it is away.
  auto copy = makeProject(dir.path() / "copy", 2, 10);
  copy->label(1, 4, "reader2");
  team::LabelSync sync(copy->dir(), address, p->settings().workstationId);
  EXPECT_FALSE(sync.flush(10s));
  const team::SyncStatus status = sync.status();
  EXPECT_TRUE(status.refused);
  EXPECT_FALSE(status.reachable);
  EXPECT_NE(status.error.find("copy"), std::string::npos) << status.error;
  EXPECT_EQ(rows(server), 1);
}

TEST_F(TeamServerTest, AReaderNameWithQuotesAndSqlIsStoredVerbatim) {
  auto p = makeProject(dir.path(), 1);
  team::joinTeamServer(*p, address);
  const std::string name = "O'Brien\"; DROP TABLE camlabel_labels; -- 読影医 $1";
  p->label(1, 2, name);
  TeamServer server(address);
  team::sendWaitingLabels(server, p->database(), p->settings().workstationId);
  const auto decisions = server.readerDecisions();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].reader, name);
  EXPECT_EQ(rows(server), 1);
}

TEST_F(TeamServerTest, AFileNameThatIsNotUtf8IsSentAsTheExportsShowIt) {
  test::writeTestPng(dir / "images" / "latin1_\xE9.png", 7);
  auto p = teamProjectOver(dir.path(), address);
  ASSERT_EQ(p->imageCount(), 1);
  p->label(1, 2, "reader1");
  TeamServer server(address);
  EXPECT_EQ(team::sendWaitingLabels(server, p->database(), p->settings().workstationId).sent, 1);
  const auto decisions = server.readerDecisions();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].imagePath, "latin1_%E9.png");
  EXPECT_EQ(decisions[0].imageSha256, p->image(1).sha256);
  // Sent again (a lost reply), it is recognised as the same label.
  server.send(p->settings().workstationId, project::readLabelLog(p->database(), 0, 10));
  EXPECT_EQ(rows(server), 1);
}

TEST_F(TeamServerTest, ProjectsWithAnotherClassSchemeCannotJoin) {
  auto p = makeProject(dir.path(), 1);
  team::joinTeamServer(*p, address);
  TeamServer server(address);
  try {
    server.prepare(project::builtinScheme("features"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("same classes"), std::string::npos) << e.what();
  }
  ASSERT_TRUE(server.scheme().has_value());
  EXPECT_EQ(server.scheme()->name, p->settings().scheme.name);
}

TEST_F(TeamServerTest, LabelsGivenWhileTheServerIsDownArriveOnceWhenItIsBack) {
  auto p = makeProject(dir.path(), 20);
  team::joinTeamServer(*p, address);
  team::SyncOptions options;
  options.connectTimeoutSeconds = 2;
  options.retryMin = 50ms;
  options.retryMax = 200ms;
  team::LabelSync sync(p->dir(), address, p->settings().workstationId, options);
  ASSERT_TRUE(sync.flush(10s));

  pg.stop();
  for (int i = 1; i <= 20; ++i) {
    p->label(i, i % 10, "reader1");  // durable here when label() returns
    sync.notify();
  }
  EXPECT_FALSE(sync.flush(5s));
  const team::SyncStatus away = sync.status();
  EXPECT_FALSE(away.reachable);
  EXPECT_FALSE(away.refused);
  EXPECT_EQ(away.waiting, 20);
  EXPECT_FALSE(away.error.empty());

  pg.start();
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (sync.status().waiting > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);  // the retry, not a flush, brings them over
  EXPECT_TRUE(sync.status().reachable) << sync.status().error;
  EXPECT_EQ(sync.status().waiting, 0);
  TeamServer server(address);
  EXPECT_EQ(rows(server), 20);
  EXPECT_EQ(server.readerDecisions().size(), 20u);
}

TEST_F(TeamServerTest, FourWorkstationsLabellingAtOnceLoseAndRepeatNothing) {
  constexpr int kWorkstations = 4;
  constexpr int kLabels = 500;
  constexpr int kImages = 25;
  const auto classOf = [](int workstation, int k) { return (k * 7 + workstation) % 10; };
  std::vector<pid_t> children;
  for (int w = 0; w < kWorkstations; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 1;
      try {
        auto p = makeProject(dir.path() / ("ws" + std::to_string(w)), kImages);
        team::joinTeamServer(*p, address);
        team::LabelSync sync(p->dir(), address, p->settings().workstationId);
        const std::string reader = "reader" + std::to_string(w);
        for (int k = 0; k < kLabels; ++k) {
          p->label(1 + k % kImages, classOf(w, k), reader);
          sync.notify();
        }
        code = sync.flush(60s) ? 0 : 2;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "workstation %d: %s\n", w, e.what());
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  TeamServer server(address);
  EXPECT_EQ(rows(server), kWorkstations * kLabels);
  // Each reader's current decision per slice is their own last label of it.
  std::map<std::pair<std::string, std::string>, std::optional<int>> decided;
  for (const team::ServerDecision& d : server.readerDecisions())
    decided[{d.reader, d.imagePath}] = d.classIndex;
  ASSERT_EQ(decided.size(), static_cast<std::size_t>(kWorkstations * kImages));
  for (int w = 0; w < kWorkstations; ++w)
    for (int i = 0; i < kImages; ++i) {
      const int lastK = kLabels - kImages + i;  // the last round labels image i + 1 last
      EXPECT_EQ(
          decided.at({"reader" + std::to_string(w), "slice" + std::to_string(100 + i) + ".png"}),
          classOf(w, lastK));
    }
}

TEST_F(TeamServerTest, AReadersLoginAddsLabelsButCannotRemoveThem) {
  auto owner = makeProject(dir.path() / "owner", 2);
  team::joinTeamServer(*owner, address);  // the owner creates the team project
  // The role docs/user-guide.md's team chapter gives.
  pg.sql("team", "CREATE ROLE camlabel_reader LOGIN");
  pg.sql("team", "GRANT SELECT ON camlabel_project TO camlabel_reader");
  pg.sql("team", "GRANT SELECT, INSERT ON camlabel_labels TO camlabel_reader");
  pg.sql("team", "GRANT USAGE ON SEQUENCE camlabel_labels_id_seq TO camlabel_reader");
  pg.sql("team", "GRANT SELECT ON camlabel_adjudications TO camlabel_reader");
  const std::string readerAddress = pg.address("team", "camlabel_reader");

  auto p = makeProject(dir.path() / "reader", 2);
  team::joinTeamServer(*p, readerAddress);
  p->label(1, 4, "reader1");
  TeamServer asReader(readerAddress);
  EXPECT_EQ(team::sendWaitingLabels(asReader, p->database(), p->settings().workstationId).sent, 1);
  team::pg::Connection reader(readerAddress, 2);
  EXPECT_THROW(reader.exec("DELETE FROM camlabel_labels"), Error);
  EXPECT_THROW(reader.exec("DROP TABLE camlabel_labels"), Error);
  EXPECT_THROW(reader.exec("UPDATE camlabel_labels SET class_index = 0"), Error);
  // Adjudication is a right of its own: this login has not been given it.
  EXPECT_THROW(asReader.adjudicate({p->image(1).sha256, "slice100.png", 2, "dr.x", "t"}, "d1"),
               Error);
  // The owner may not rewrite the record either.
  team::pg::Connection asOwner(address, 2);
  EXPECT_THROW(asOwner.exec("DELETE FROM camlabel_labels"), Error);
  EXPECT_EQ(asReader.labelRows(), 1);
}

TEST_F(TeamServerTest, TheDoubleReadingIsTheOwnersToSetAndEveryLoginsToRead) {
  auto owner = makeProject(dir.path() / "owner", 1);
  team::joinTeamServer(*owner, address);
  // A team project made before double reading existed has no table for it.
  pg.sql("team", "DROP TABLE camlabel_assignment");
  pg.sql("team", "CREATE ROLE camlabel_reader LOGIN");
  pg.sql("team", "GRANT SELECT ON camlabel_project TO camlabel_reader");
  pg.sql("team", "GRANT SELECT ON camlabel_labels TO camlabel_reader");
  pg.sql("team", "GRANT SELECT ON camlabel_adjudications TO camlabel_reader");
  TeamServer asReader(pg.address("team", "camlabel_reader"));
  TeamServer asOwner(address);
  EXPECT_EQ(asReader.assignment(), team::Assignment{});  // none: every reader reads every slice
  EXPECT_EQ(asReader.assignment().readingsPerSlice, 0);
  try {
    asReader.setAssignment({2, true}, "reader1");
    ADD_FAILURE() << "a reader's login set the team's double reading";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the database's owner sets the first one"),
              std::string::npos)
        << e.what();
  }
  const std::string before = asReader.changeMark();
  asOwner.setAssignment({2, true}, "owner");
  EXPECT_EQ(asReader.assignment(), (team::Assignment{2, true}));
  EXPECT_NE(asReader.changeMark(), before);  // readers' workstations read the team again
  EXPECT_THROW(asReader.setAssignment({1, false}, "reader1"), Error);
  asOwner.setAssignment({3, false}, "owner");
  EXPECT_EQ(asReader.assignment(), (team::Assignment{3, false}));  // the latest counts
  EXPECT_THROW(asOwner.setAssignment({-1, true}, "owner"), Error);
  // Kept as set, by whom: not rewritten.
  team::pg::Connection db(address, 2);
  EXPECT_THROW(db.exec("DELETE FROM camlabel_assignment"), Error);
  EXPECT_EQ(
      db.exec("SELECT COUNT(*) FROM camlabel_assignment WHERE set_by = 'owner'").integer(0, 0), 2);
}

TEST_F(TeamServerTest, AnAdjudicationIsRecordedOnceAndTheLatestCounts) {
  auto p = makeProject(dir.path(), 1);
  team::joinTeamServer(*p, address);
  TeamServer server(address);
  team::Adjudication first{p->image(1).sha256, "slice100.png", 3, "dr.c",
                           "2026-12-07T08:00:00.000Z"};
  server.adjudicate(first, "decision-1");
  server.adjudicate(first, "decision-1");  // a retry after a lost reply
  team::pg::Connection db(address, 2);
  EXPECT_EQ(db.exec("SELECT COUNT(*) FROM camlabel_adjudications").integer(0, 0), 1);
  team::Adjudication second = first;
  second.classIndex = 4;
  second.time = "2026-12-07T09:00:00.000Z";
  server.adjudicate(second, "decision-2");
  const auto latest = server.adjudications();
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].classIndex, 4);
  EXPECT_THROW(db.exec("DELETE FROM camlabel_adjudications"), Error);  // append-only
}

TEST_F(TeamServerTest, NothingFromADicomHeaderReachesTheServer) {
  fs::create_directories(dir / "images");
  fs::copy_file(test::dataDir() / "CT_small.dcm", dir / "images" / "ct.dcm");
  auto p = teamProjectOver(dir.path(), address);
  ASSERT_EQ(p->imageCount(), 1);
  p->label(1, 1, "reader1");
  TeamServer server(address);
  team::sendWaitingLabels(server, p->database(), p->settings().workstationId);
  // Every value the server holds, as text.
  team::pg::Connection db(address, 2);
  const team::pg::Result all =
      db.exec("SELECT string_agg(t::text, ' ') FROM (SELECT * FROM camlabel_labels) t");
  const std::string everything = all.text(0, 0);
  ASSERT_NE(everything.find("ct.dcm"), std::string::npos);
  for (const char* identifier : {"CompressedSamples", "1CT1", "JFK IMAGING CENTER"})
    EXPECT_EQ(everything.find(identifier), std::string::npos) << identifier;
}

}  // namespace
}  // namespace camlabel
