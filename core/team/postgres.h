// SPDX-License-Identifier: Apache-2.0
#pragma once

// A PostgreSQL connection through libpq, for the team server (issue 15). Every statement takes
// its values as parameters, never spliced into SQL text. libpq stays out of this header.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace camlabel::team::pg {

/// Throws camlabel::Error unless libpq can parse `address` (a connection string or a
/// postgresql:// URL) and it carries no password: a project folder stores the address, and a
/// password belongs in ~/.pgpass, a service file or PGPASSWORD.
void checkAddress(std::string_view address);
/// "database DB on HOST:PORT as USER" from what the address says (libpq's defaults otherwise
/// apply), for messages; never a password.
std::string describeAddress(std::string_view address);

/// A statement's value: text as PostgreSQL reads it, or SQL NULL.
using Param = std::optional<std::string>;

/// The rows of one statement.
class Result {
 public:
  explicit Result(pg_result* result);
  ~Result();
  Result(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;

  int rows() const;
  bool isNull(int row, int column) const;
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  std::optional<int> optInt(int row, int column) const;

 private:
  pg_result* result_;
};

/// One connection. Throws camlabel::Error with the server's words (never the password) when it
/// cannot connect or a statement fails; after a failure, usable() says whether to reconnect.
class Connection {
 public:
  Connection(std::string_view address, int connectTimeoutSeconds);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result exec(std::string_view sql, const std::vector<Param>& params = {});
  /// The connection is still up (a failed statement on a live connection leaves it usable).
  bool usable() const;
  const std::string& description() const { return description_; }

 private:
  pg_conn* conn_ = nullptr;
  std::string description_;
};

/// BEGIN ... COMMIT; rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool done_ = false;
};

}  // namespace camlabel::team::pg
