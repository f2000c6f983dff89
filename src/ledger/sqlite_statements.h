#pragma once

// The SQL of SqliteLedgerBackend: its prepared statements and the helpers that run them and
// decode their rows. Included only by sqlite_ledger_backend.cpp (the writer's calls) and
// sqlite_ledger_reads.cpp (the reader's).

#include <string>
#include <string_view>

#include "base/log.h"
#include "ledger/sqlite_ledger_backend.h"
#include "store/database.h"

namespace barrage::ledger::sqlite_detail {

using Statement = store::Database::Statement;

inline std::error_code unavailable() {
    return make_error_code(Errc::ledger_unavailable);
}

inline std::int64_t stored(std::uint64_t value) {
    return static_cast<std::int64_t>(value);
}
inline std::int64_t stored(AccountKind kind) {
    return static_cast<std::int64_t>(kind);
}

// Resets a reused statement when the call that ran it returns: no SELECT keeps its read
// snapshot open between calls, and no bind leaks into the next call.
class Running {
public:
    explicit Running(Statement& statement) : statement_(statement) {}
    ~Running() { statement_.reset(); }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

private:
    Statement& statement_;
};

// Steps a bound statement that returns no rows (or whose rows are not wanted).
inline Status run(Statement& statement) {
    Running running(statement);
    if (!statement.step()) {
        return unavailable();
    }
    return {};
}

inline Statement& bind_account(Statement& statement, int first, AccountId account) {
    return statement.bind(first, stored(account.kind)).bind(first + 1, stored(account.owner));
}

// Reads an account from two integer columns; false when they hold no valid account.
inline bool read_account(const Statement& statement, int first, AccountId& out) {
    if (!statement.column_is_integer(first) || !statement.column_is_integer(first + 1)) {
        return false;
    }
    auto kind = statement.column_int(first);
    if (!is_known_kind(kind)) {
        return false;
    }
    out = {static_cast<AccountKind>(kind), static_cast<std::uint64_t>(statement.column_int(first + 1))};
    return true;
}

inline constexpr const char* kJournalColumns =
    "id, order_id, leg, debit_kind, debit_owner, credit_kind, credit_owner, amount, code, room, "
    "item, count, app, memo, created_ms, reverses";

// Decodes a row of kJournalColumns; false when a column is missing or out of range.
inline bool read_entry(const Statement& statement, JournalEntry& out) {
    for (int column : {0, 1, 2, 7, 8, 9, 10, 11, 12, 14, 15}) {
        if (!statement.column_is_integer(column)) {
            return false;
        }
    }
    auto code = statement.column_int(8);
    auto leg_index = statement.column_int(2);
    if (!read_account(statement, 3, out.leg.debit) || !read_account(statement, 5, out.leg.credit) ||
        !is_known_code(code) || leg_index < 0 || leg_index > INT32_MAX) {
        return false;
    }
    out.id = statement.column_int(0);
    out.order_id = statement.column_int(1);
    out.leg_index = static_cast<std::int32_t>(leg_index);
    out.leg.amount = statement.column_int(7);
    out.leg.code = static_cast<TransferCode>(code);
    out.room = RoomId{static_cast<std::uint64_t>(statement.column_int(9))};
    out.item = static_cast<std::uint64_t>(statement.column_int(10));
    out.count = statement.column_int(11);
    out.app = static_cast<std::uint64_t>(statement.column_int(12));
    out.memo = statement.column_text(13);
    out.created_ms = statement.column_int(14);
    out.reverses = statement.column_int(15);
    return true;
}

// One streamer's earnings, summed per UTC day, room and kind (LedgerBackend::earnings). Binds:
// ?1 earnings kind, ?2 uid, ?3..?4 the time range, ?5..?8 the purchases' host-share codes, ?9
// refund, ?10 payout. An order's gross is the sum of its legs (found by the order index). A
// refund's room and kind are those of the purchase it reverses: its earnings leg is the one the
// refund takes back.
inline constexpr const char* kEarningsQuery = R"sql(
SELECT p.created_ms / 86400000, p.room, p.code, 0, COUNT(*), SUM(p.amount),
       SUM((SELECT SUM(g.amount) FROM journal g WHERE g.order_id = p.order_id))
  FROM journal p
 WHERE p.credit_kind = ?1 AND p.credit_owner = ?2 AND p.created_ms >= ?3 AND p.created_ms < ?4
   AND p.code IN (?5, ?6, ?7, ?8)
 GROUP BY 1, 2, 3
UNION ALL
SELECT r.created_ms / 86400000, o.room, o.code, 1, COUNT(*), SUM(r.amount),
       SUM((SELECT SUM(g.amount) FROM journal g WHERE g.order_id = r.order_id))
  FROM journal r JOIN journal o
    ON o.order_id = r.reverses AND o.credit_kind = r.debit_kind AND o.credit_owner = r.debit_owner
 WHERE r.debit_kind = ?1 AND r.debit_owner = ?2 AND r.created_ms >= ?3 AND r.created_ms < ?4
   AND r.code = ?9 AND r.reverses != 0
 GROUP BY 1, 2, 3
UNION ALL
SELECT x.created_ms / 86400000, 0, x.code, 0, COUNT(*), SUM(x.amount), SUM(x.amount)
  FROM journal x
 WHERE x.debit_kind = ?1 AND x.debit_owner = ?2 AND x.created_ms >= ?3 AND x.created_ms < ?4
   AND x.code = ?10
 GROUP BY 1, 3
 ORDER BY 1, 2, 3, 4
)sql";

// The smallest string greater than every string starting with prefix; empty when none is
// (an empty prefix, or one of only 0xFF bytes).
inline std::string prefix_end(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) {
        end.pop_back();
    }
    if (!end.empty()) {
        end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
    }
    return end;
}

// Reads one integer column of an optional row (a balance, a counter).
inline Result<std::optional<Coins>> read_optional_value(Statement& statement, std::string_view what) {
    auto row = statement.step();
    if (!row) {
        return unavailable();
    }
    if (!*row) {
        return std::optional<Coins>();
    }
    if (!statement.column_is_integer(0)) {
        log::error("ledger: {} is not an integer", what);
        return unavailable();
    }
    return std::optional<Coins>(statement.column_int(0));
}

}  // namespace barrage::ledger::sqlite_detail

namespace barrage::ledger {

// Every statement, prepared once at open and reset after each use.
struct SqliteLedgerBackend::Statements {
    using Statement = sqlite_detail::Statement;

    explicit Statements(store::Database& db)
        : begin(db, "BEGIN IMMEDIATE"),
          begin_read(db, "BEGIN DEFERRED"),
          commit(db, "COMMIT"),
          rollback(db, "ROLLBACK"),
          savepoint(db, "SAVEPOINT ledger_order"),
          release(db, "RELEASE ledger_order"),
          rollback_to(db, "ROLLBACK TO ledger_order"),
          load_balance(db, "SELECT balance FROM accounts WHERE kind = ? AND owner = ?"),
          adjust_balance(db,
                         "INSERT INTO accounts (kind, owner, balance) VALUES (?, ?, ?) "
                         "ON CONFLICT (kind, owner) DO UPDATE SET balance = balance + "
                         "excluded.balance"),
          last_order_id(db, "SELECT order_id FROM journal ORDER BY id DESC LIMIT 1"),
          // OR FAIL: a one-row insert needs no statement journal to undo itself; an order
          // that fails halfway is undone by the BatchWriter (savepoint or whole batch).
          append_journal(db,
                         "INSERT OR FAIL INTO journal (order_id, leg, debit_kind, debit_owner, "
                         "credit_kind, credit_owner, amount, code, room, item, count, app, memo, "
                         "created_ms, reverses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "?)"),
          find_request(db,
                       "SELECT kind, fingerprint, receipt, created_ms, annotation FROM requests "
                       "WHERE scope = ? AND request_id = ?"),
          insert_request(db,
                         "INSERT OR FAIL INTO requests (scope, request_id, kind, fingerprint, "
                         "receipt, created_ms) VALUES (?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (scope, request_id) DO NOTHING"),
          annotate_request(db,
                           "UPDATE requests SET annotation = ?3 WHERE scope = ?1 AND "
                           "request_id = ?2 AND annotation IS NULL"),
          load_counter(db, "SELECT value FROM counters WHERE name = ?"),
          adjust_counter(db,
                         "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) "
                         "DO UPDATE SET value = value + excluded.value"),
          prune_requests(db,
                         "DELETE FROM requests WHERE id IN (SELECT id FROM requests "
                         "ORDER BY id LIMIT ?2) AND created_ms < ?1"),
          journal(db, std::string("SELECT * FROM (SELECT ") + sqlite_detail::kJournalColumns +
                          " FROM journal WHERE debit_kind = ?1 AND debit_owner = ?2 AND id < ?3 "
                          "ORDER BY id DESC LIMIT ?4) UNION ALL SELECT * FROM (SELECT " +
                          sqlite_detail::kJournalColumns +
                          " FROM journal WHERE credit_kind = ?1 AND credit_owner = ?2 AND "
                          "id < ?3 ORDER BY id DESC LIMIT ?4) ORDER BY id DESC LIMIT ?4"),
          counters_range(db,
                         "SELECT name, value FROM counters WHERE name >= ? AND name < ? "
                         "ORDER BY value DESC, name LIMIT ?"),
          counters_from(db,
                        "SELECT name, value FROM counters WHERE name >= ? "
                        "ORDER BY value DESC, name LIMIT ?"),
          order_entries(db, std::string("SELECT ") + sqlite_detail::kJournalColumns +
                                " FROM journal WHERE order_id = ? ORDER BY leg"),
          // `reverses != 0` lets SQLite use the partial index of refunds.
          reversal_of(db, "SELECT order_id FROM journal WHERE reverses = ? AND reverses != 0 LIMIT 1"),
          // Every row of one order carries the same room, item, count and time, and a purchase
          // debits one wallet, so any row of the group gives them.
          purchases(db,
                    "SELECT order_id, MIN(room), MIN(debit_owner), MIN(item), MIN(count), "
                    "SUM(amount), MIN(created_ms) FROM journal WHERE code IN (?1, ?2) AND "
                    "created_ms >= ?3 AND order_id NOT IN (SELECT reverses FROM journal WHERE "
                    "reverses != 0) GROUP BY order_id ORDER BY order_id"),
          earnings(db, sqlite_detail::kEarningsQuery),
          scan_balances(db, "SELECT kind, owner, balance FROM accounts"),
          scan_journal(db, std::string("SELECT ") + sqlite_detail::kJournalColumns + " FROM journal ORDER BY id"),
          scan_journal_after(db, std::string("SELECT ") + sqlite_detail::kJournalColumns +
                                     " FROM journal WHERE id > ? ORDER BY id LIMIT ?") {}

    Statement begin, begin_read, commit, rollback, savepoint, release, rollback_to;
    Statement load_balance, adjust_balance, last_order_id, append_journal;
    Statement find_request, insert_request, annotate_request, load_counter, adjust_counter;
    Statement prune_requests;
    Statement journal, counters_range, counters_from, order_entries, reversal_of, purchases;
    Statement earnings, scan_balances, scan_journal, scan_journal_after;
};

}  // namespace barrage::ledger
