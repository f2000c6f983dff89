#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "ledger/ledger_backend.h"

namespace barrage::store {
class Database;
}

namespace barrage::ledger {

// LedgerBackend on one SQLite connection (store::Database, schema migrations 2, 4 and 5). All SQL
// of the ledger lives in sqlite_statements.h; the writer's calls are in this file's .cpp, the
// reader's in sqlite_ledger_reads.cpp. SQLite exceptions stop here: open() and every call return
// Result. Thread rule: one owner at a time, like the connection it wraps.
class SqliteLedgerBackend final : public LedgerBackend {
public:
    struct Options {
        std::string path;  // a file: the reader needs its own connection to it
        // true: an acknowledged batch survives power loss. The connection commits at
        // synchronous=NORMAL and sync_committed() fdatasyncs the WAL, which is what FULL does
        // inside COMMIT, but off the writer's thread. false: survives a process crash only.
        bool synchronous_full = true;
        bool read_only = false;  // the reader connection; open a writer first
    };

    // Opens the connection, migrates (writer) and prepares every statement.
    // Errc::ledger_unavailable when the file cannot be opened (logged with the reason).
    static Result<std::unique_ptr<SqliteLedgerBackend>> open(const Options& options);
    ~SqliteLedgerBackend() override;

    Status begin_batch() override;
    Status commit_batch() override;
    void rollback_batch() override;
    bool in_batch() const override;
    Status savepoint() override;
    Status release_savepoint() override;
    Status rollback_to_savepoint() override;

    Status sync_committed() override;
    void start_writeback() override;

    Result<std::optional<Coins>> load_balance(AccountId account) override;
    Status adjust_balance(AccountId account, Coins delta) override;
    Result<std::int64_t> last_order_id() override;
    Status append_journal(const JournalEntry& entry) override;
    Result<std::optional<RequestRecord>> find_request(UserId scope, std::string_view request_id) override;
    Result<bool> insert_request(const RequestRecord& record) override;
    Result<bool> annotate_request(UserId scope, std::string_view request_id, std::string_view annotation) override;
    Result<std::optional<Coins>> load_counter(std::string_view name) override;
    Status adjust_counter(std::string_view name, Coins delta) override;
    Result<std::size_t> prune_requests(Millis before_ms, std::size_t limit) override;

    Result<Coins> balance(AccountId account) override;
    Result<std::vector<JournalEntry>> journal(AccountId account, std::size_t limit, std::int64_t before_id) override;
    Result<std::vector<CounterValue>> counters(std::string_view prefix, std::size_t limit) override;
    Result<std::vector<JournalEntry>> order_entries(std::int64_t order_id) override;
    Result<std::int64_t> reversal_of(std::int64_t order_id) override;
    Result<std::vector<OrderSummary>> purchases(PurchaseCodes codes, Millis since_ms) override;
    Result<std::vector<EarningsRow>> earnings(std::uint64_t uid, Millis from_ms, Millis to_ms) override;

    Status begin_snapshot() override;
    void end_snapshot() override;
    Status scan_balances(const std::function<void(const AccountBalance& entry, bool decoded)>& visit) override;
    Status scan_journal(const std::function<void(const JournalEntry& entry, bool decoded)>& visit) override;
    Status scan_journal_after(std::int64_t after_id, std::size_t limit,
                              const std::function<void(const JournalEntry& entry, bool decoded)>& visit) override;

private:
    struct Statements;

    SqliteLedgerBackend(const Options& options, std::unique_ptr<store::Database> database,
                        std::unique_ptr<Statements> statements);

    const std::string wal_path_;  // the file sync_committed() flushes
    const bool sync_wal_;         // synchronous_full on a writer
    const bool write_back_;       // a writer at NORMAL: start_writeback() does something
    // Steady nanoseconds of the last start_writeback() that did something (the acknowledger's).
    std::atomic<std::int64_t> written_back_ns_{0};
    std::atomic<bool> directory_synced_{false};
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Statements> statements_;
};

}  // namespace barrage::ledger
