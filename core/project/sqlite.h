// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace camlabel::project::sqlite {

class Statement;

/// One SQLite connection. Every failure throws camlabel::Error with SQLite's message and the
/// database file's name.
class Database {
 public:
  /// Opens an existing file (create = false) or creates it. Throws camlabel::Error.
  Database(const std::filesystem::path& path, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  /// An integer from a query returning one row of one column (e.g. "PRAGMA user_version").
  std::int64_t queryInt(std::string_view sql);
  std::string queryText(std::string_view sql);
  std::int64_t lastInsertId() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  /// Throws camlabel::Error with the file's name and SQLite's latest message.
  [[noreturn]] void fail() const;

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

/// A prepared statement; bind indices are 1-based, column indices 0-based.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bindNull(int index);
  /// True while a row is available; false when done. Throws camlabel::Error on failure.
  bool step();
  /// Runs to completion (for INSERT/UPDATE).
  void run();
  void reset();

  bool isNull(int column) const;
  std::int64_t columnInt(int column) const;
  double columnDouble(int column) const;
  std::string columnText(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE (the write lock is taken up front, so a write never fails halfway for
/// lack of it); rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace camlabel::project::sqlite
