// SPDX-License-Identifier: Apache-2.0
#include "core/team/postgres.h"

#include <libpq-fe.h>

#include <charconv>

#include "core/common/error.h"

namespace camlabel::team::pg {
namespace {

/// libpq's messages end in a newline and may span lines: one line for ours.
std::string oneLine(const char* message) {
  std::string out = message != nullptr ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  for (char& c : out)
    if (c == '\n') c = ' ';
  return out;
}

struct ParsedAddress {
  PQconninfoOption* options = nullptr;
  ~ParsedAddress() { PQconninfoFree(options); }
  const char* get(std::string_view keyword) const {
    for (const PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o)
      if (keyword == o->keyword) return o->val;
    return nullptr;
  }
};

void parse(std::string_view address, ParsedAddress& parsed) {
  char* message = nullptr;
  const std::string text(address);
  parsed.options = PQconninfoParse(text.c_str(), &message);
  if (parsed.options == nullptr) {
    const std::string reason = message != nullptr ? oneLine(message) : "out of memory";
    PQfreemem(message);
    throw Error("the team server address is not one PostgreSQL understands (" + reason +
                "): give a URL such as postgresql://HOST/DATABASE or a connection string such "
                "as 'host=HOST dbname=DATABASE'.");
  }
}

// Server notices ("relation already exists, skipping") are not for the user's terminal.
void ignoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

void checkAddress(std::string_view address) {
  ParsedAddress parsed;
  parse(address, parsed);
  const char* password = parsed.get("password");
  if (password != nullptr && *password != '\0')
    throw Error(
        "the team server address carries a password, and the project folder would keep it: put "
        "the password in ~/.pgpass (or a PostgreSQL service file, or PGPASSWORD) and give the "
        "address without it.");
}

std::string describeAddress(std::string_view address) {
  ParsedAddress parsed;
  try {
    parse(address, parsed);
  } catch (const Error&) {
    return "an unreadable address";
  }
  auto value = [&](std::string_view key) -> std::string {
    const char* v = parsed.get(key);
    return v != nullptr ? v : "";
  };
  std::string host = value("host");
  if (host.empty()) host = value("hostaddr");
  std::string out = "database '" + (value("dbname").empty() ? "(default)" : value("dbname")) + "'";
  if (host.empty() || host.front() == '/')
    out += " on this computer's PostgreSQL";
  else {
    out += " on ";
    out += host;
    if (!value("port").empty()) {
      out += ':';
      out += value("port");
    }
  }
  if (!value("user").empty()) out += " as " + value("user");
  return out;
}

Result::Result(pg_result* result) : result_(result) {}
Result::~Result() {
  PQclear(result_);
}
Result::Result(Result&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}
int Result::rows() const {
  return PQntuples(result_);
}
bool Result::isNull(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}
std::string Result::text(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}
std::int64_t Result::integer(int row, int column) const {
  const std::string value = text(row, column);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc{} || end != value.data() + value.size())
    throw Error("the team server answered '" + value + "' where a whole number belongs.");
  return out;
}
std::optional<int> Result::optInt(int row, int column) const {
  if (isNull(row, column)) return std::nullopt;
  return static_cast<int>(integer(row, column));
}

Connection::Connection(std::string_view address, int connectTimeoutSeconds)
    : description_(describeAddress(address)) {
  checkAddress(address);
  const std::string dbname(address);
  const std::string timeout = std::to_string(connectTimeoutSeconds);
  // Later keywords override what the address says: the timeout and our name on the server.
  const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {dbname.c_str(), timeout.c_str(), "camlabel", nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string reason = conn_ != nullptr ? oneLine(PQerrorMessage(conn_)) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error("cannot reach the team server (" + description_ + "): " + reason);
  }
  PQsetNoticeProcessor(conn_, ignoreNotice, nullptr);
}

Connection::~Connection() {
  PQfinish(conn_);
}

bool Connection::usable() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

Result Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  const std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params)
    values.push_back(p ? p->c_str() : nullptr);
  pg_result* raw = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string reason = raw != nullptr ? oneLine(PQresultErrorMessage(raw)) : "";
    if (reason.empty()) reason = oneLine(PQerrorMessage(conn_));
    PQclear(raw);
    if (!usable())
      throw Error("lost the connection to the team server (" + description_ + "): " + reason);
    throw Error("the team server (" + description_ + ") refused a request: " + reason);
  }
  return Result(raw);
}

Transaction::Transaction(Connection& db) : db_(db) {
  db_.exec("BEGIN");
}

Transaction::~Transaction() {
  if (done_ || !db_.usable()) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const Error&) {
    // The connection went with it; the server rolls back on its own.
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace camlabel::team::pg
