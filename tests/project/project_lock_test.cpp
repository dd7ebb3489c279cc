// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/common/error.h"
#include "core/project/project.h"
#include "project_test_support.h"

namespace camlabel::project {
namespace {

namespace fs = std::filesystem;

void makeProject(const test::TempDir& tmp) {
  test::writeTestPng(tmp / "images/a.png", 1);
  ProjectSettings settings;
  settings.imageRoot = tmp / "images";
  Project::create(tmp / "proj", settings);
}

// Forks a child that opens the project, tells the parent, and then waits to be told to exit
// (or to be killed).
struct Holder {
  pid_t pid = -1;
  int release = -1;

  explicit Holder(const fs::path& dir) {
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0) throw std::runtime_error("pipe failed");
    pid = fork();
    if (pid == 0) {
      close(ready[0]);
      close(go[1]);
      try {
        auto project = Project::open(dir);
        char ok = 'y';
        (void)!write(ready[1], &ok, 1);
        char c;
        (void)!read(go[0], &c, 1);
      } catch (...) {
        _exit(3);
      }
      _exit(0);
    }
    close(ready[1]);
    close(go[0]);
    release = go[1];
    char c = 0;
    if (read(ready[0], &c, 1) != 1) throw std::runtime_error("holder did not open the project");
    close(ready[0]);
  }
  int exitAndWait() {
    close(release);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
  }
};

TEST(ProjectLock, SecondOpenInTheSameProcessIsRefused) {
  test::TempDir tmp;
  makeProject(tmp);
  auto first = Project::open(tmp / "proj");
  try {
    Project::open(tmp / "proj");
    FAIL() << "a second Project object opened the same project";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("is open in another window or process"), std::string::npos) << message;
    EXPECT_NE(message.find("pid " + std::to_string(getpid())), std::string::npos) << message;
  }
  first.reset();
  EXPECT_NO_THROW(Project::open(tmp / "proj"));
}

TEST(ProjectLock, AnotherProcessHoldingTheProjectIsNamedInTheError) {
  test::TempDir tmp;
  makeProject(tmp);
  Holder holder(tmp / "proj");
  try {
    Project::open(tmp / "proj");
    FAIL() << "opened a project held by another process";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pid " + std::to_string(holder.pid) + " on "),
              std::string::npos)
        << e.what();
  }
  const int status = holder.exitAndWait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NO_THROW(Project::open(tmp / "proj"));
}

TEST(ProjectLock, LockOfAKilledProcessIsRecovered) {
  test::TempDir tmp;
  makeProject(tmp);
  Holder holder(tmp / "proj");
  EXPECT_THROW(Project::open(tmp / "proj"), Error);
  kill(holder.pid, SIGKILL);
  const int status = holder.exitAndWait();
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(fs::exists(tmp / "proj/project.lock"));  // the file stays; the lock does not
  EXPECT_NO_THROW(Project::open(tmp / "proj"));
}

}  // namespace
}  // namespace camlabel::project
