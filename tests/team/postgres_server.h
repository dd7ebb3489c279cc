// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

#include <sys/types.h>

namespace camlabel::test {

/// A throwaway PostgreSQL server (Debian's `postgresql` binaries) for the team tests: initdb in
/// a temporary folder, a Unix socket there and no TCP port, trust authentication, superuser
/// "camlabel". When the tests run as root, the server runs as the `postgres` (else `nobody`)
/// account, since PostgreSQL refuses root.
class PostgresServer {
 public:
  /// Creates the cluster and starts it; throws std::runtime_error when the binaries are missing
  /// or it does not accept connections within 30 s (the log is in the folder). Tests run it
  /// without fsync; a benchmark of durability asks for it.
  explicit PostgresServer(bool fsync = false);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  /// The folder of the server's Unix socket.
  const std::filesystem::path& socketFolder() const { return dir_; }
  /// A libpq connection string for `database` as `user`.
  std::string address(const std::string& database, const std::string& user = "camlabel") const;
  /// Creates a database (as the superuser) and returns its address.
  std::string createDatabase(const std::string& name);
  /// Runs SQL as the superuser on `database`.
  void sql(const std::string& database, const std::string& statement) const;

  /// Starts it again after stop(), same data.
  void start();
  /// A fast shutdown (SIGINT), as an administrator or a reboot takes a server away.
  void stop();
  bool running() const { return pid_ > 0; }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool fsync_ = false;
};

}  // namespace camlabel::test
