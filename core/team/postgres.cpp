// SPDX-License-Identifier: Apache-2.0
#include "core/team/postgres.h"

#include <dlfcn.h>
#include <libpq-fe.h>

#include <charconv>
#include <type_traits>

#include "core/common/error.h"

namespace camlabel::team::pg {
namespace {

/// libpq, loaded on first use: a command that never talks to a team server (nearly all of them)
/// does not pay for loading it and the eight libraries it brings (Kerberos, LDAP, SASL).
/// libpq-fe.h gives the types; each function is looked up once.
struct Libpq {
  decltype(&::PQconninfoParse) conninfoParse = nullptr;
  decltype(&::PQconninfoFree) conninfoFree = nullptr;
  decltype(&::PQfreemem) freemem = nullptr;
  decltype(&::PQconnectdbParams) connectdbParams = nullptr;
  decltype(&::PQstatus) status = nullptr;
  decltype(&::PQerrorMessage) errorMessage = nullptr;
  decltype(&::PQfinish) finish = nullptr;
  decltype(&::PQsetNoticeProcessor) setNoticeProcessor = nullptr;
  decltype(&::PQexecParams) execParams = nullptr;
  decltype(&::PQresultStatus) resultStatus = nullptr;
  decltype(&::PQresultErrorMessage) resultErrorMessage = nullptr;
  decltype(&::PQclear) clear = nullptr;
  decltype(&::PQntuples) ntuples = nullptr;
  decltype(&::PQgetisnull) getisnull = nullptr;
  decltype(&::PQgetvalue) getvalue = nullptr;
  decltype(&::PQgetlength) getlength = nullptr;
};

const Libpq& libpq() {
  static const Libpq loaded = [] {
    // The soname of Debian's libpq5 (in the package's Depends).
    void* library = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr)
      throw Error(std::string("cannot load PostgreSQL's client library libpq (") + ::dlerror() +
                  "), which team projects need: install the package libpq5.");
    Libpq l;
    auto bind = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(library, name));
      if (fn == nullptr)
        throw Error(std::string("PostgreSQL's client library libpq lacks ") + name +
                    ": install the package libpq5 of Debian 12 or later.");
    };
    bind(l.conninfoParse, "PQconninfoParse");
    bind(l.conninfoFree, "PQconninfoFree");
    bind(l.freemem, "PQfreemem");
    bind(l.connectdbParams, "PQconnectdbParams");
    bind(l.status, "PQstatus");
    bind(l.errorMessage, "PQerrorMessage");
    bind(l.finish, "PQfinish");
    bind(l.setNoticeProcessor, "PQsetNoticeProcessor");
    bind(l.execParams, "PQexecParams");
    bind(l.resultStatus, "PQresultStatus");
    bind(l.resultErrorMessage, "PQresultErrorMessage");
    bind(l.clear, "PQclear");
    bind(l.ntuples, "PQntuples");
    bind(l.getisnull, "PQgetisnull");
    bind(l.getvalue, "PQgetvalue");
    bind(l.getlength, "PQgetlength");
    return l;
  }();
  return loaded;
}

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
  ~ParsedAddress() {
    if (options != nullptr) libpq().conninfoFree(options);
  }
  const char* get(std::string_view keyword) const {
    for (const PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o)
      if (keyword == o->keyword) return o->val;
    return nullptr;
  }
};

void parse(std::string_view address, ParsedAddress& parsed) {
  char* message = nullptr;
  const std::string text(address);
  parsed.options = libpq().conninfoParse(text.c_str(), &message);
  if (parsed.options == nullptr) {
    const std::string reason = message != nullptr ? oneLine(message) : "out of memory";
    libpq().freemem(message);
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
  if (result_ != nullptr) libpq().clear(result_);
}
Result::Result(Result&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}
int Result::rows() const {
  return libpq().ntuples(result_);
}
bool Result::isNull(int row, int column) const {
  return libpq().getisnull(result_, row, column) != 0;
}
std::string Result::text(int row, int column) const {
  return {libpq().getvalue(result_, row, column),
          static_cast<std::size_t>(libpq().getlength(result_, row, column))};
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
  conn_ = libpq().connectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr || libpq().status(conn_) != CONNECTION_OK) {
    const std::string reason =
        conn_ != nullptr ? oneLine(libpq().errorMessage(conn_)) : "out of memory";
    libpq().finish(conn_);
    conn_ = nullptr;
    throw Error("cannot reach the team server (" + description_ + "): " + reason);
  }
  libpq().setNoticeProcessor(conn_, ignoreNotice, nullptr);
}

Connection::~Connection() {
  libpq().finish(conn_);
}

bool Connection::usable() const {
  return libpq().status(conn_) == CONNECTION_OK;
}

Result Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  const std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params)
    values.push_back(p ? p->c_str() : nullptr);
  pg_result* raw = libpq().execParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = libpq().resultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string reason = raw != nullptr ? oneLine(libpq().resultErrorMessage(raw)) : "";
    if (reason.empty()) reason = oneLine(libpq().errorMessage(conn_));
    libpq().clear(raw);
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
