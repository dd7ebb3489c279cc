// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <tuple>

#include "core/common/error.h"
#include "core/project/project.h"
#include "project_test_support.h"

namespace camlabel::project {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Project> makeProject(const test::TempDir& tmp, int images = 3) {
  for (int i = 0; i < images; ++i)
    test::writeTestPng(tmp / ("images/i" + std::to_string(i) + ".png"), i + 1);
  ProjectSettings settings;
  settings.imageRoot = tmp / "images";
  auto project = Project::create(tmp / "proj", settings);
  project->importImages();
  return project;
}

void expectOpenFails(const fs::path& dir, const std::string& expected) {
  const fs::path file = dir / "project.sqlite";
  const std::string before = test::readFile(file);
  try {
    Project::open(dir);
    FAIL() << "opened " << file;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::readFile(file), before) << "refusing to open changed the file";
  EXPECT_FALSE(fs::exists(dir / "project.sqlite-wal"));
}

TEST(ProjectFailure, GarbageDatabaseIsRefusedAndLeftUntouched) {
  test::TempDir tmp;
  fs::create_directories(tmp / "proj");
  std::string garbage(8192, '\0');
  std::mt19937 rng(7);
  for (char& c : garbage)
    c = static_cast<char>(rng());
  test::writeFile(tmp / "proj/project.sqlite", garbage);
  expectOpenFails(tmp / "proj", "is corrupt or not a SQLite database");
}

TEST(ProjectFailure, ForeignSqliteDatabaseIsRefusedAndLeftUntouched) {
  test::TempDir tmp;
  fs::create_directories(tmp / "proj");
  {
    sqlite::Database other(tmp / "proj/project.sqlite", true);
    other.exec("CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES('hello');");
  }
  expectOpenFails(tmp / "proj", "not a camlabel project");
}

TEST(ProjectFailure, NewerSchemaIsRefusedAndLeftUntouched) {
  test::TempDir tmp;
  makeProject(tmp).reset();
  {
    sqlite::Database db(tmp / "proj/project.sqlite", false);
    db.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
  }
  expectOpenFails(tmp / "proj", "newer camlabel");
}

// Found by fuzz_project_db: a damaged settings row ended Project::open with the JSON library's
// own exception. Each is now one line in camlabel's words.
TEST(ProjectFailure, DamagedSettingsAreRefusedInCamlabelsWords) {
  for (const auto& [key, value, expected] :
       {std::tuple{"class_scheme", "{\"name\": \"x\"=", "its class scheme is not JSON"},
        std::tuple{"snapshot_every", "ten", "setting 'snapshot_every' is not a number"},
        std::tuple{"model_size", "99999999999999999999", "setting 'model_size' is not a number"}}) {
    test::TempDir tmp;
    makeProject(tmp).reset();
    {
      sqlite::Database db(tmp / "proj/project.sqlite", false);
      db.exec(std::string("UPDATE settings SET value='") + value + "' WHERE key='" + key + "'");
    }
    try {
      Project::open(tmp / "proj");
      ADD_FAILURE() << "opened with " << key << " = " << value;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("the project database is damaged"), std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

TEST(ProjectFailure, MissingDatabaseIsNotAProject) {
  test::TempDir tmp;
  EXPECT_THROW(Project::open(tmp.path()), Error);
}

TEST(ProjectFailure, ReadOnlyFolderIsAClearError) {
  test::TempDir tmp;
  makeProject(tmp).reset();
  fs::remove(tmp / "proj/project.lock");
  const std::string before = test::readFile(tmp / "proj/project.sqlite");
  // Readable by everyone, writable by no one but root; root ignores permissions, so the open
  // runs in a child that gives up root first (CI runs as root).
  fs::permissions(tmp.path(),
                  fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::permissions(tmp / "proj", fs::perms::owner_read | fs::perms::owner_exec |
                                    fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    try {
      Project::open(tmp / "proj");
    } catch (const Error& e) {
      _exit(std::string(e.what()).find("Permission denied") != std::string::npos ? 0 : 1);
    } catch (...) {
      _exit(4);
    }
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: another error, 2: opened, 3: cannot drop root";
  EXPECT_EQ(test::readFile(tmp / "proj/project.sqlite"), before) << "the database was changed";
}

TEST(ProjectFailure, FullDiskRefusesTheLabelAndKeepsTheProjectConsistent) {
  test::TempDir tmp;
  auto project = makeProject(tmp);
  const std::int64_t image = project->imageAt(0)->id;
  // Simulates a full disk: the file may not grow past its current pages.
  const auto pages = project->database().queryInt("PRAGMA page_count");
  project->database().queryInt("PRAGMA max_page_count=" + std::to_string(pages));
  int acknowledged = 0;
  std::string message;
  for (int i = 0; i < 5000 && message.empty(); ++i) {
    try {
      project->label(image, i % 10, "dr");
      ++acknowledged;
    } catch (const Error& e) {
      message = e.what();
    }
  }
  ASSERT_FALSE(message.empty()) << "the disk never filled";
  EXPECT_NE(message.find("full"), std::string::npos) << message;
  EXPECT_EQ(project->database().queryInt("SELECT COUNT(*) FROM labels"), acknowledged);
  project.reset();

  auto reopened = Project::open(tmp / "proj");
  EXPECT_EQ(reopened->database().queryText("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reopened->database().queryInt("SELECT COUNT(*) FROM labels"), acknowledged);
  EXPECT_EQ(reopened->currentLabel(image)->classIndex, (acknowledged - 1) % 10);
  EXPECT_NO_THROW(reopened->label(image, 0, "dr"));
}

// Runs the writer helper until it has acknowledged at least `killAfter` labels, sleeps a little
// so the kill lands at a random point of a write, SIGKILLs it and returns all acks it printed.
long runAndKill(const fs::path& dir, const std::string& annotator, long killAfter,
                int sleepMicros) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execl(CAMLABEL_PROJECT_WRITER, CAMLABEL_PROJECT_WRITER, dir.c_str(), annotator.c_str(),
          "1000000", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* in = fdopen(out[0], "r");
  long acks = 0;
  char line[64];
  bool killed = false;
  while (std::fgets(line, sizeof line, in)) {
    long n = 0;
    if (std::sscanf(line, "ack %ld", &n) == 1) acks = n;
    if (!killed && acks >= killAfter) {
      std::this_thread::sleep_for(std::chrono::microseconds(sleepMicros));
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  std::fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the writer exited by itself, status " << status;
  return acks;
}

TEST(ProjectFailure, KilledWriterLosesNoAcknowledgedLabel) {
  test::TempDir tmp;
  makeProject(tmp, 5).reset();
  std::mt19937 rng(20261122);
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 4; ++round) {
    const std::string annotator = "round" + std::to_string(round);
    const long killAfter = std::uniform_int_distribution<long>(1, 12)(rng);
    const int sleepMicros = std::uniform_int_distribution<int>(0, 3000)(rng);
    const long acks = runAndKill(tmp / "proj", annotator, killAfter, sleepMicros);
    ASSERT_GE(acks, killAfter);

    auto project = Project::open(tmp / "proj");
    EXPECT_EQ(project->database().queryText("PRAGMA integrity_check"), "ok");
    // The derived current decision was committed with its label row, never apart from it.
    EXPECT_EQ(
        project->database().queryInt("SELECT COUNT(*) FROM images i WHERE i.decision_id IS NOT "
                                     "(SELECT MAX(l.id) FROM labels l WHERE l.image_id = i.id)"),
        0);
    auto rows = project->database().prepare(
        "SELECT class_index FROM labels WHERE annotator = ? ORDER BY id");
    rows.bind(1, annotator);
    long n = 0;
    while (rows.step()) {
      ++n;
      EXPECT_EQ(rows.columnInt(0), n % 10) << "label " << n << " of " << annotator;
    }
    EXPECT_GE(n, acks) << annotator << ": acknowledged labels are missing";
    EXPECT_LE(n, acks + 1) << annotator << ": more rows than the writer could have made";
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace camlabel::project
