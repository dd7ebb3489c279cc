// SPDX-License-Identifier: Apache-2.0
#include "postgres_server.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/team/postgres.h"

namespace fs = std::filesystem;

namespace camlabel::test {
namespace {

const fs::path kBin = CAMLABEL_PG_BINDIR;

/// Runs program with args as uid/gid, its output appended to log; returns the child's pid.
pid_t spawn(const fs::path& program, const std::vector<std::string>& args, uid_t uid, gid_t gid,
            const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    if (::getuid() == 0 && (::setgid(gid) != 0 || ::setuid(uid) != 0)) ::_exit(126);
    std::vector<char*> argv;
    std::string name = program.string();
    argv.push_back(name.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

PostgresServer::PostgresServer(bool fsync) : fsync_(fsync) {
  std::string pattern = (fs::temp_directory_path() / "camlabel-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  uid_ = ::getuid();
  gid_ = ::getgid();
  if (uid_ == 0) {
    const passwd* account = ::getpwnam("postgres");
    if (account == nullptr) account = ::getpwnam("nobody");
    if (account == nullptr) throw std::runtime_error("no account to run PostgreSQL as");
    uid_ = account->pw_uid;
    gid_ = account->pw_gid;
    if (::chown(dir_.c_str(), uid_, gid_) != 0) throw std::runtime_error("chown failed");
  }
  ::chmod(dir_.c_str(), 0755);
  if (!fs::exists(kBin / "initdb"))
    throw std::runtime_error("PostgreSQL's initdb is not in " + kBin.string() +
                             ": run packaging/install-deps.sh");
  const pid_t init = spawn(kBin / "initdb",
                           {"-D", (dir_ / "data").string(), "-A", "trust", "-U", "camlabel",
                            "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"},
                           uid_, gid_, dir_ / "initdb.log");
  int status = 0;
  ::waitpid(init, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("initdb failed; see " + (dir_ / "initdb.log").string());
  start();
}

PostgresServer::~PostgresServer() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::address(const std::string& database, const std::string& user) const {
  return "host=" + dir_.string() + " port=5432 dbname=" + database + " user=" + user;
}

std::string PostgresServer::createDatabase(const std::string& name) {
  sql("postgres", "CREATE DATABASE " + name);
  return address(name);
}

void PostgresServer::sql(const std::string& database, const std::string& statement) const {
  team::pg::Connection connection(address(database), 5);
  connection.exec(statement);
}

void PostgresServer::start() {
  if (pid_ > 0) return;
  pid_ = spawn(
      kBin / "postgres",
      {"-D", (dir_ / "data").string(), "-k", dir_.string(), "-p", "5432", "-c",
       "listen_addresses=", "-c", fsync_ ? "fsync=on" : "fsync=off", "-c", "max_connections=40"},
      uid_, gid_, dir_ / "server.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("PostgreSQL exited at start; see " + (dir_ / "server.log").string());
    }
    try {
      team::pg::Connection probe(address("postgres"), 2);
      return;
    } catch (const std::exception&) {
      if (std::chrono::steady_clock::now() > deadline) {
        stop();
        throw std::runtime_error("PostgreSQL did not start in 30 s; see " +
                                 (dir_ / "server.log").string());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void PostgresServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGINT);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace camlabel::test
