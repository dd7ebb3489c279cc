// SPDX-License-Identifier: Apache-2.0
// Team projects from the command line (issue 15): two readers' folders on one PostgreSQL server,
// their agreement, sending when the server is back, and addresses that must not be stored.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "core/project/project.h"
#include "postgres_server.h"
#include "project_test_support.h"

namespace fs = std::filesystem;

namespace camlabel {
namespace {

using test::CliRun;
using test::runCli;

class TeamCliTest : public ::testing::Test {
 protected:
  TeamCliTest() {
    // Each reader has a copy of the same slices at a path of their own.
    for (int i = 0; i < 6; ++i) {
      const std::string name = "slice" + std::to_string(i) + ".png";
      test::writeTestPng(dir / "reader1-images" / name, i);
      test::writeTestPng(dir / "reader2-images" / "copy" / name, i);
    }
  }
  test::PostgresServer pg;
  test::TempDir dir;
  std::string address = pg.createDatabase("team");

  /// Labels slice i with classes[i] as `reader`, as the app records them.
  void label(const fs::path& project, const std::string& reader, const std::vector<int>& classes) {
    auto p = project::Project::open(project);
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const std::string name = "slice" + std::to_string(i) + ".png";
      auto image = p->findImage(name);
      if (!image) image = p->findImage("copy/" + name);
      ASSERT_TRUE(image) << name;
      p->label(image->id, classes[i], reader);
    }
  }
};

TEST_F(TeamCliTest, TwoReadersOnOneServerSeeTheirAgreement) {
  const fs::path p1 = dir / "p1";
  const fs::path p2 = dir / "p2";
  CliRun run = runCli({"project", "new", p1.string(), "--images", (dir / "reader1-images").string(),
                       "--scheme", "features", "--server", address});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("team server: database 'team' on this computer's PostgreSQL"),
            std::string::npos)
      << run.out;
  // The second reader joins without naming a scheme: the team's is taken.
  run = runCli({"project", "new", p2.string(), "--images", (dir / "reader2-images").string(),
                "--server", address});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  run = runCli({"project", "status", p2.string(), "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.out)["scheme"], "features");
  EXPECT_EQ(nlohmann::json::parse(run.out)["team_training"], "consensus");

  label(p1, "dr.a", {1, 1, 2, 2, 3, 3});
  label(p2, "dr.b", {1, 1, 2, 2, 3, 4});
  for (const fs::path& p : {p1, p2}) {
    run = runCli({"project", "sync", p.string()});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.out.find("sent 6 labels"), std::string::npos) << run.out;
  }
  run = runCli({"project", "sync", p1.string()});
  EXPECT_NE(run.out.find("sent 0 labels"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("it holds 12 label rows"), std::string::npos) << run.out;

  // Each folder holds one reader's labels; agreement is the team's, from either folder.
  for (const fs::path& p : {p1, p2}) {
    run = runCli({"project", "agreement", p.string(), "--json"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const nlohmann::json a = nlohmann::json::parse(run.out);
    ASSERT_EQ(a["pairs"].size(), 1U) << run.out;
    EXPECT_EQ(a["pairs"][0]["slices"], 6);
    EXPECT_NEAR(a["pairs"][0]["observed"].get<double>(), 5.0 / 6.0, 1e-9);
  }
}

TEST_F(TeamCliTest, ADisagreementIsQueuedUntilAnAdjudicatorSettlesIt) {
  const fs::path p1 = dir / "p1";
  const fs::path p2 = dir / "p2";
  ASSERT_EQ(runCli({"project", "new", p1.string(), "--images", (dir / "reader1-images").string(),
                    "--server", address})
                .exitCode,
            0);
  ASSERT_EQ(runCli({"project", "new", p2.string(), "--images", (dir / "reader2-images").string(),
                    "--server", address})
                .exitCode,
            0);
  label(p1, "dr.a", {1, 1, 2});
  label(p2, "dr.b", {1, 1, 3});
  ASSERT_EQ(runCli({"project", "sync", p1.string()}).exitCode, 0);
  ASSERT_EQ(runCli({"project", "sync", p2.string()}).exitCode, 0);

  // Reader 2 sees the slice under their own path.
  CliRun run = runCli({"project", "disagreements", p2.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("not adjudicated yet: 1 slices"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("copy/slice2.png: dr.a 2 NSIP/P, dr.b 3 BIP"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("all readers agree: 2 slices"), std::string::npos) << run.out;

  run = runCli({"project", "adjudicate", p1.string(), "slice2.png", "3", "--annotator", "dr.c"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("slice2.png: consensus 3 BIP, adjudicated by dr.c"), std::string::npos)
      << run.out;
  run = runCli({"project", "disagreements", p1.string(), "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const nlohmann::json queue = nlohmann::json::parse(run.out);
  EXPECT_TRUE(queue["awaiting_adjudication"].empty()) << run.out;
  EXPECT_EQ(queue["adjudicated"], 1);

  run = runCli({"project", "adjudicate", p1.string(), "slice5.png", "1"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find("nothing to adjudicate"), std::string::npos) << run.output;
  run = runCli({"project", "adjudicate", p1.string(), "slice2.png", "12"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find("not in the scheme"), std::string::npos) << run.output;
}

TEST_F(TeamCliTest, DoubleReadingIsTheTeamsSettingAndBlindsTheQueue) {
  const fs::path p1 = dir / "p1";
  const fs::path p2 = dir / "p2";
  for (const auto& [p, images] : {std::pair{p1, "reader1-images"}, {p2, "reader2-images"}})
    ASSERT_EQ(runCli({"project", "new", p.string(), "--images", (dir / images).string(), "--server",
                      address})
                  .exitCode,
              0);
  CliRun run = runCli({"project", "assign", p1.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("double reading: none"), std::string::npos) << run.out;
  run = runCli({"project", "assign", p1.string(), "--readings", "3"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("double reading: 3 readings per slice, blinded"), std::string::npos)
      << run.out;

  // Two readers of three disagree on slice 2: the third, who still owes it a reading, does not
  // see the disagreement (nor the classes).
  label(p1, "dr.a", {1, 1, 2});
  label(p1, "dr.c", {1, 1, 3});
  ASSERT_EQ(runCli({"project", "sync", p1.string()}).exitCode, 0);
  run = runCli({"project", "disagreements", p2.string(), "--annotator", "dr.b"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("not adjudicated yet: 0 slices"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("your reading (blinded double reading): 1 slices"), std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("BIP"), std::string::npos) << run.out;
  run = runCli({"project", "disagreements", p1.string(), "--annotator", "dr.a"});
  EXPECT_NE(run.out.find("not adjudicated yet: 1 slices"), std::string::npos) << run.out;

  // Any reader's workstation shows the team's setting; open reading shows every disagreement.
  run = runCli({"project", "assign", p2.string(), "--readings", "3", "--open"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("3 readings per slice, open"), std::string::npos) << run.out;
  run = runCli({"project", "disagreements", p2.string(), "--annotator", "dr.b", "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.out)["awaiting_adjudication"].size(), 1U) << run.out;

  run = runCli({"project", "assign", p1.string(), "--open"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find("--open goes with --readings"), std::string::npos) << run.output;
  EXPECT_NE(runCli({"project", "assign", p1.string(), "--readings", "101"}).exitCode, 0);
}

TEST_F(TeamCliTest, LabelsWaitHereWhileTheServerIsAwayAndGoWhenItIsBack) {
  const fs::path p1 = dir / "p1";
  ASSERT_EQ(runCli({"project", "new", p1.string(), "--images", (dir / "reader1-images").string(),
                    "--server", address})
                .exitCode,
            0);
  label(p1, "dr.a", {0, 1, 2});
  pg.stop();
  CliRun run = runCli({"project", "sync", p1.string()});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find("cannot reach the team server"), std::string::npos) << run.output;
  run = runCli({"project", "status", p1.string()});
  EXPECT_NE(run.out.find("labelled 3"), std::string::npos) << run.out;  // nothing lost here
  pg.start();
  run = runCli({"project", "sync", p1.string()});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("sent 3 labels"), std::string::npos) << run.out;
}

TEST_F(TeamCliTest, AOneReaderProjectJoinsWithItsLabels) {
  const fs::path p1 = dir / "p1";
  ASSERT_EQ(runCli({"project", "new", p1.string(), "--images", (dir / "reader1-images").string()})
                .exitCode,
            0);
  label(p1, "dr.a", {0, 1, 2, 3});
  CliRun run = runCli({"project", "sync", p1.string()});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find("not a team project"), std::string::npos) << run.output;
  run = runCli({"project", "join", p1.string(), "--server", address, "--train-on", "own"});
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.out.find("sent 4 labels"), std::string::npos) << run.out;
  run = runCli({"project", "status", p1.string()});
  EXPECT_NE(run.out.find("team server: database 'team'"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("the model learns from: this reader's labels only"), std::string::npos)
      << run.out;
  // What a model learns from is a team project's choice only, and one of two.
  run = runCli({"project", "new", (dir / "p3").string(), "--images",
                (dir / "reader1-images").string(), "--train-on", "own"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_FALSE(fs::exists(dir / "p3"));
  run = runCli({"project", "join", p1.string(), "--server", address, "--train-on", "mine"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find("--train-on"), std::string::npos) << run.output;
}

TEST_F(TeamCliTest, AnAddressWithAPasswordMakesNoFolderAndIsNotRepeated) {
  const fs::path p1 = dir / "p1";
  const CliRun run =
      runCli({"project", "new", p1.string(), "--images", (dir / "reader1-images").string(),
              "--server", "postgresql://dr.a:hunter2@db.example/team"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.err.find(".pgpass"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("hunter2"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(p1));
}

}  // namespace
}  // namespace camlabel
