#include "ledger/sqlite_ledger_backend.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include "base/log.h"
#include "ledger/sqlite_statements.h"

namespace barrage::ledger {

using namespace sqlite_detail;

namespace {

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

SqliteLedgerBackend::SqliteLedgerBackend(const Options& options, std::unique_ptr<store::Database> database,
                                         std::unique_ptr<Statements> statements)
    : wal_path_(options.path + "-wal"),
      sync_wal_(options.synchronous_full && !options.read_only),
      write_back_(!options.synchronous_full && !options.read_only),
      database_(std::move(database)),
      statements_(std::move(statements)) {}

// Statements go before the connection they were prepared on.
SqliteLedgerBackend::~SqliteLedgerBackend() {
    statements_.reset();
}

Status SqliteLedgerBackend::begin_batch() {
    return run(statements_->begin);
}
Status SqliteLedgerBackend::commit_batch() {
    return run(statements_->commit);
}

void SqliteLedgerBackend::rollback_batch() {
    if (database_->in_transaction()) {
        (void)run(statements_->rollback);
    }
}

bool SqliteLedgerBackend::in_batch() const {
    return database_->in_transaction();
}
Status SqliteLedgerBackend::savepoint() {
    return run(statements_->savepoint);
}
Status SqliteLedgerBackend::release_savepoint() {
    return run(statements_->release);
}
Status SqliteLedgerBackend::rollback_to_savepoint() {
    return run(statements_->rollback_to);
}

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
    const std::int64_t now_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
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

Result<std::optional<RequestRecord>> SqliteLedgerBackend::find_request(UserId scope, std::string_view request_id) {
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
}  // namespace barrage::ledger
