#include "ledger/sqlite_ledger_backend.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include "base/log.h"
#include "store/database.h"

namespace barrage::ledger {

namespace {

using Statement = store::Database::Statement;

std::error_code unavailable() { return make_error_code(Errc::ledger_unavailable); }

std::int64_t stored(std::uint64_t value) { return static_cast<std::int64_t>(value); }
std::int64_t stored(AccountKind kind) { return static_cast<std::int64_t>(kind); }

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
Status run(Statement& statement) {
    Running running(statement);
    if (!statement.step()) {
        return unavailable();
    }
    return {};
}

Statement& bind_account(Statement& statement, int first, AccountId account) {
    return statement.bind(first, stored(account.kind)).bind(first + 1, stored(account.owner));
}

// Reads an account from two integer columns; false when they hold no valid account.
bool read_account(const Statement& statement, int first, AccountId& out) {
    if (!statement.column_is_integer(first) || !statement.column_is_integer(first + 1)) {
        return false;
    }
    auto kind = statement.column_int(first);
    if (!is_known_kind(kind)) {
        return false;
    }
    out = {static_cast<AccountKind>(kind),
           static_cast<std::uint64_t>(statement.column_int(first + 1))};
    return true;
}

constexpr const char* kJournalColumns =
    "id, order_id, leg, debit_kind, debit_owner, credit_kind, credit_owner, amount, code, room, "
    "item, count, app, memo, created_ms, reverses";

// Decodes a row of kJournalColumns; false when a column is missing or out of range.
bool read_entry(const Statement& statement, JournalEntry& out) {
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
constexpr const char* kEarningsQuery = R"sql(
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
std::string prefix_end(std::string_view prefix) {
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
Result<std::optional<Coins>> read_optional_value(Statement& statement, std::string_view what) {
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

// Opens the file and flushes it to disk; false (logged) when either fails.
bool sync_file(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
        log::error("ledger: cannot open {} to sync it: {}", path, std::strerror(errno));
        return false;
    }
    bool synced = ::fdatasync(fd) == 0;
    if (!synced) {
        log::error("ledger: fdatasync {} failed: {}", path, std::strerror(errno));
    }
    ::close(fd);
    return synced;
}

}  // namespace

// Every statement, prepared once at open and reset after each use.
struct SqliteLedgerBackend::Statements {
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
          journal(db, std::string("SELECT * FROM (SELECT ") + kJournalColumns +
                          " FROM journal WHERE debit_kind = ?1 AND debit_owner = ?2 AND id < ?3 "
                          "ORDER BY id DESC LIMIT ?4) UNION ALL SELECT * FROM (SELECT " +
                          kJournalColumns +
                          " FROM journal WHERE credit_kind = ?1 AND credit_owner = ?2 AND "
                          "id < ?3 ORDER BY id DESC LIMIT ?4) ORDER BY id DESC LIMIT ?4"),
          counters_range(db,
                         "SELECT name, value FROM counters WHERE name >= ? AND name < ? "
                         "ORDER BY value DESC, name LIMIT ?"),
          counters_from(db,
                        "SELECT name, value FROM counters WHERE name >= ? "
                        "ORDER BY value DESC, name LIMIT ?"),
          order_entries(db, std::string("SELECT ") + kJournalColumns +
                                " FROM journal WHERE order_id = ? ORDER BY leg"),
          // `reverses != 0` lets SQLite use the partial index of refunds.
          reversal_of(db,
                      "SELECT order_id FROM journal WHERE reverses = ? AND reverses != 0 LIMIT 1"),
          // Every row of one order carries the same room, item, count and time, and a purchase
          // debits one wallet, so any row of the group gives them.
          purchases(db,
                    "SELECT order_id, MIN(room), MIN(debit_owner), MIN(item), MIN(count), "
                    "SUM(amount), MIN(created_ms) FROM journal WHERE code IN (?1, ?2) AND "
                    "created_ms >= ?3 AND order_id NOT IN (SELECT reverses FROM journal WHERE "
                    "reverses != 0) GROUP BY order_id ORDER BY order_id"),
          earnings(db, kEarningsQuery),
          scan_balances(db, "SELECT kind, owner, balance FROM accounts"),
          scan_journal(db, std::string("SELECT ") + kJournalColumns + " FROM journal ORDER BY id") {
    }

    Statement begin, begin_read, commit, rollback, savepoint, release, rollback_to;
    Statement load_balance, adjust_balance, last_order_id, append_journal;
    Statement find_request, insert_request, annotate_request, load_counter, adjust_counter;
    Statement prune_requests;
    Statement journal, counters_range, counters_from, order_entries, reversal_of, purchases, earnings;
    Statement scan_balances, scan_journal;
};

Result<std::unique_ptr<SqliteLedgerBackend>> SqliteLedgerBackend::open(const Options& options) {
    try {
        // NORMAL even for "full": commits only write the WAL; sync_committed() makes them
        // durable before anyone is told, so the writer works on while the disk flushes.
        auto database = std::make_unique<store::Database>(store::Database::Options{
            .path = options.path,
            .synchronous_full = false,
            .read_only = options.read_only,
        });
        if (!options.read_only) {
            // Index pages of a busy journal stay in memory between batches (64 MiB).
            database->exec("PRAGMA cache_size = -65536");
            // Savepoint journals (batches retried with a savepoint per order) stay off disk.
            database->exec("PRAGMA temp_store = MEMORY");
            // Checkpoint every 64 MiB of WAL instead of every 4 MiB: a page rewritten by many
            // batches is copied into the database once, and a batch rarely waits for one.
            database->exec("PRAGMA wal_autocheckpoint = 16384");
            // Pages the writer reads come from the mapping instead of a read() copy.
            database->exec("PRAGMA mmap_size = 268435456");
        }
        auto statements = std::make_unique<Statements>(*database);
        return std::unique_ptr<SqliteLedgerBackend>(
            new SqliteLedgerBackend(options, std::move(database), std::move(statements)));
    } catch (const std::exception& e) {
        log::error("ledger: cannot open {}: {}", options.path, e.what());
        return unavailable();
    }
}

SqliteLedgerBackend::SqliteLedgerBackend(const Options& options,
                                         std::unique_ptr<store::Database> database,
                                         std::unique_ptr<Statements> statements)
    : wal_path_(options.path + "-wal"),
      sync_wal_(options.synchronous_full && !options.read_only),
      write_back_(!options.synchronous_full && !options.read_only),
      database_(std::move(database)),
      statements_(std::move(statements)) {}

// Statements go before the connection they were prepared on.
SqliteLedgerBackend::~SqliteLedgerBackend() { statements_.reset(); }

Status SqliteLedgerBackend::begin_batch() { return run(statements_->begin); }
Status SqliteLedgerBackend::commit_batch() { return run(statements_->commit); }

void SqliteLedgerBackend::rollback_batch() {
    if (database_->in_transaction()) {
        (void)run(statements_->rollback);
    }
}

bool SqliteLedgerBackend::in_batch() const { return database_->in_transaction(); }
Status SqliteLedgerBackend::savepoint() { return run(statements_->savepoint); }
Status SqliteLedgerBackend::release_savepoint() { return run(statements_->release); }
Status SqliteLedgerBackend::rollback_to_savepoint() { return run(statements_->rollback_to); }

// fdatasync on a descriptor of our own flushes the WAL's pages and size whoever wrote them:
// the page cache belongs to the file, not to SQLite's descriptor. Everything committed
// before this call is then on disk; SQLite itself syncs the WAL before each checkpoint and
// the database after it, so the database file never runs ahead of the WAL.
Status SqliteLedgerBackend::sync_committed() {
    if (!sync_wal_) {
        return {};
    }
    if (!directory_synced_.load()) {
        // Once: the WAL's directory entry, so the file itself survives a power loss.
        auto directory = std::filesystem::path(wal_path_).parent_path();
        if (!sync_file(directory.empty() ? "." : directory.string(), O_RDONLY | O_DIRECTORY)) {
            return unavailable();
        }
        directory_synced_.store(true);
    }
    return sync_file(wal_path_, O_RDONLY) ? Status() : Status(unavailable());
}

// At NORMAL nothing syncs the WAL until SQLite checkpoints it, inside a COMMIT on the writer:
// that checkpoint's fdatasync then flushed up to 64 MiB of WAL (55-90 ms at 5,000 gifts/s,
// docs/PERFORMANCE.md) while every order queued behind it. Starting the writeback as batches
// are answered leaves the checkpoint little to wait for. At most every 10 ms: each call opens
// the file and walks its dirty pages.
void SqliteLedgerBackend::start_writeback() {
    constexpr std::int64_t kIntervalNs = 10'000'000;
    if (!write_back_) {
        return;
    }
    const std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::steady_clock::now().time_since_epoch())
                                    .count();
    if (now_ns - written_back_ns_.load(std::memory_order_relaxed) < kIntervalNs) {
        return;
    }
    written_back_ns_.store(now_ns, std::memory_order_relaxed);
    const int fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;  // no WAL yet, or none any more: nothing to write
    }
    // Queues the dirty pages for writing and returns; it does not wait for them or sync.
    if (::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) {
        log::debug("ledger: sync_file_range {}: {}", wal_path_, std::strerror(errno));
    }
    ::close(fd);
}

Result<std::optional<Coins>> SqliteLedgerBackend::load_balance(AccountId account) {
    auto& statement = statements_->load_balance;
    Running running(statement);
    bind_account(statement, 1, account);
    return read_optional_value(statement, to_string(account));
}

Status SqliteLedgerBackend::adjust_balance(AccountId account, Coins delta) {
    auto& statement = statements_->adjust_balance;
    bind_account(statement, 1, account).bind(3, delta);
    return run(statement);
}

Result<std::int64_t> SqliteLedgerBackend::last_order_id() {
    auto& statement = statements_->last_order_id;
    Running running(statement);
    auto row = statement.step();
    if (!row) {
        return unavailable();
    }
    return *row ? statement.column_int(0) : std::int64_t{0};
}

Status SqliteLedgerBackend::append_journal(const JournalEntry& entry) {
    auto& statement = statements_->append_journal;
    statement.bind(1, entry.order_id).bind(2, std::int64_t{entry.leg_index});
    bind_account(statement, 3, entry.leg.debit);
    bind_account(statement, 5, entry.leg.credit);
    statement.bind(7, entry.leg.amount)
        .bind(8, static_cast<std::int64_t>(entry.leg.code))
        .bind(9, stored(entry.room.value))
        .bind(10, stored(entry.item))
        .bind(11, entry.count)
        .bind(12, stored(entry.app))
        .bind(13, entry.memo)
        .bind(14, entry.created_ms)
        .bind(15, entry.reverses);
    return run(statement);
}

Result<std::optional<RequestRecord>> SqliteLedgerBackend::find_request(
    UserId scope, std::string_view request_id) {
    auto& statement = statements_->find_request;
    Running running(statement);
    statement.bind(1, stored(scope.value)).bind(2, request_id);
    auto row = statement.step();
    if (!row) {
        return unavailable();
    }
    if (!*row) {
        return std::optional<RequestRecord>();
    }
    return std::optional<RequestRecord>(RequestRecord{
        .scope = scope,
        .request_id = std::string(request_id),
        .kind = statement.column_text(0),
        .fingerprint = statement.column_text(1),
        .receipt = statement.column_text(2),
        .created_ms = statement.column_int(3),
        .annotation = statement.column_text(4),  // NULL reads as ""
    });
}

Result<bool> SqliteLedgerBackend::insert_request(const RequestRecord& record) {
    auto& statement = statements_->insert_request;
    statement.bind(1, stored(record.scope.value))
        .bind(2, record.request_id)
        .bind(3, record.kind)
        .bind(4, record.fingerprint)
        .bind(5, record.receipt)
        .bind(6, record.created_ms);
    if (auto done = run(statement); !done) {
        // result<bool> takes no error_code implicitly (it also converts from bool).
        return Result<bool>(boost::system::in_place_error, done.error());
    }
    return database_->changes() == 1;
}

Result<bool> SqliteLedgerBackend::annotate_request(UserId scope, std::string_view request_id,
                                                   std::string_view annotation) {
    auto& statement = statements_->annotate_request;
    statement.bind(1, stored(scope.value)).bind(2, request_id).bind(3, annotation);
    if (auto done = run(statement); !done) {
        return Result<bool>(boost::system::in_place_error, done.error());
    }
    return database_->changes() == 1;
}

Result<std::optional<Coins>> SqliteLedgerBackend::load_counter(std::string_view name) {
    auto& statement = statements_->load_counter;
    Running running(statement);
    statement.bind(1, name);
    return read_optional_value(statement, name);
}

Status SqliteLedgerBackend::adjust_counter(std::string_view name, Coins delta) {
    auto& statement = statements_->adjust_counter;
    statement.bind(1, name).bind(2, delta);
    return run(statement);
}

Result<std::size_t> SqliteLedgerBackend::prune_requests(Millis before_ms, std::size_t limit) {
    auto& statement = statements_->prune_requests;
    statement.bind(1, before_ms).bind(2, static_cast<std::int64_t>(limit));
    if (auto done = run(statement); !done) {
        return done.error();
    }
    return static_cast<std::size_t>(database_->changes());
}

Result<Coins> SqliteLedgerBackend::balance(AccountId account) {
    auto loaded = load_balance(account);
    if (!loaded) {
        return loaded.error();
    }
    return loaded->value_or(0);
}

Result<std::vector<JournalEntry>> SqliteLedgerBackend::journal(AccountId account, std::size_t limit,
                                                               std::int64_t before_id) {
    auto& statement = statements_->journal;
    Running running(statement);
    bind_account(statement, 1, account)
        .bind(3, before_id)
        .bind(4, static_cast<std::int64_t>(limit));
    std::vector<JournalEntry> entries;
    bool undecodable = false;
    auto read = statement.each_row([&] {
        if (!read_entry(statement, entries.emplace_back())) {
            log::error("ledger: journal row {} does not decode", statement.column_int(0));
            undecodable = true;
        }
        return !undecodable;
    });
    if (!read) {
        return unavailable();
    }
    if (undecodable) {
        return make_error_code(Errc::internal);
    }
    return entries;
}

Result<std::vector<CounterValue>> SqliteLedgerBackend::counters(std::string_view prefix,
                                                                std::size_t limit) {
    auto end = prefix_end(prefix);
    auto& statement = end.empty() ? statements_->counters_from : statements_->counters_range;
    Running running(statement);
    statement.bind(1, prefix);
    int next = 2;
    if (!end.empty()) {
        statement.bind(next++, end);
    }
    statement.bind(next, static_cast<std::int64_t>(limit));
    std::vector<CounterValue> values;
    auto read = statement.each_row([&] {
        values.push_back({statement.column_text(0), statement.column_int(1)});
        return true;
    });
    if (!read) {
        return unavailable();
    }
    return values;
}

Result<std::vector<JournalEntry>> SqliteLedgerBackend::order_entries(std::int64_t order_id) {
    auto& statement = statements_->order_entries;
    Running running(statement);
    statement.bind(1, order_id);
    std::vector<JournalEntry> entries;
    bool undecodable = false;
    auto read = statement.each_row([&] {
        undecodable = !read_entry(statement, entries.emplace_back());
        if (undecodable) {
            log::error("ledger: journal row {} of order {} does not decode", statement.column_int(0),
                       order_id);
        }
        return !undecodable;
    });
    if (!read) {
        return unavailable();
    }
    if (undecodable) {
        return make_error_code(Errc::internal);
    }
    return entries;
}

Result<std::int64_t> SqliteLedgerBackend::reversal_of(std::int64_t order_id) {
    auto& statement = statements_->reversal_of;
    Running running(statement);
    statement.bind(1, order_id);
    auto row = statement.step();
    if (!row) {
        return unavailable();
    }
    return *row ? statement.column_int(0) : std::int64_t{0};
}

Result<std::vector<OrderSummary>> SqliteLedgerBackend::purchases(PurchaseCodes codes,
                                                                  Millis since_ms) {
    auto& statement = statements_->purchases;
    Running running(statement);
    statement.bind(1, static_cast<std::int64_t>(codes.to_host))
        .bind(2, static_cast<std::int64_t>(codes.to_platform))
        .bind(3, since_ms);
    std::vector<OrderSummary> out;
    auto read = statement.each_row([&] {
        out.push_back({
            .order_id = statement.column_int(0),
            .room = RoomId{static_cast<std::uint64_t>(statement.column_int(1))},
            .payer = UserId{static_cast<std::uint64_t>(statement.column_int(2))},
            .item = static_cast<std::uint64_t>(statement.column_int(3)),
            .count = statement.column_int(4),
            .amount = statement.column_int(5),
            .created_ms = statement.column_int(6),
        });
        return true;
    });
    if (!read) {
        return unavailable();
    }
    return out;
}

Result<std::vector<EarningsRow>> SqliteLedgerBackend::earnings(std::uint64_t uid, Millis from_ms,
                                                                Millis to_ms) {
    auto& statement = statements_->earnings;
    Running running(statement);
    bind_account(statement, 1, AccountId::earnings(uid)).bind(3, from_ms).bind(4, to_ms);
    int next = 5;
    for (auto codes : {kGiftCodes, kSuperChatCodes, kGuardCodes, kPaidDanmakuCodes}) {
        statement.bind(next++, static_cast<std::int64_t>(codes.to_host));
    }
    statement.bind(9, static_cast<std::int64_t>(TransferCode::refund))
        .bind(10, static_cast<std::int64_t>(TransferCode::payout));
    std::vector<EarningsRow> rows;
    bool undecodable = false;
    auto read = statement.each_row([&] {
        auto code = statement.column_int(2);
        undecodable = !statement.column_is_integer(2) || !is_known_code(code);
        if (!undecodable) {
            rows.push_back({statement.column_int(0), RoomId{static_cast<std::uint64_t>(statement.column_int(1))},
                            static_cast<TransferCode>(code), statement.column_int(3) != 0, statement.column_int(4),
                            statement.column_int(5), statement.column_int(6)});
        }
        return !undecodable;
    });
    if (!read) {
        return unavailable();
    }
    if (undecodable) {
        log::error("ledger: earnings of uid {}: a row's code does not decode", uid);
        return make_error_code(Errc::internal);
    }
    return rows;
}

Status SqliteLedgerBackend::begin_snapshot() { return run(statements_->begin_read); }

void SqliteLedgerBackend::end_snapshot() {
    if (database_->in_transaction()) {
        (void)run(statements_->commit);
    }
}

Status SqliteLedgerBackend::scan_balances(
    const std::function<void(const AccountBalance& entry, bool decoded)>& visit) {
    auto& statement = statements_->scan_balances;
    Running running(statement);
    auto read = statement.each_row([&] {
        AccountBalance entry;
        bool decoded = read_account(statement, 0, entry.account) && statement.column_is_integer(2);
        entry.balance = statement.column_int(2);
        visit(entry, decoded);
        return true;
    });
    return read ? Status() : Status(unavailable());
}

Status SqliteLedgerBackend::scan_journal(
    const std::function<void(const JournalEntry& entry, bool decoded)>& visit) {
    auto& statement = statements_->scan_journal;
    Running running(statement);
    auto read = statement.each_row([&] {
        JournalEntry entry;
        bool decoded = read_entry(statement, entry);
        entry.id = statement.column_int(0);
        visit(entry, decoded);
        return true;
    });
    return read ? Status() : Status(unavailable());
}

}  // namespace barrage::ledger
