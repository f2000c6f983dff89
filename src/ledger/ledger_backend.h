#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "ledger/account.h"
#include "ledger/coins.h"
#include "ledger/journal_entry.h"
#include "ledger/order_record.h"
#include "ledger/receipt.h"
#include "ledger/transfer_code.h"

namespace barrage::ledger {

// An idempotency record: the first answer to (scope, request_id).
struct RequestRecord {
    UserId scope;
    std::string request_id;
    std::string kind;
    std::string fingerprint;
    std::string receipt;  // serialise(Receipt)
    Millis created_ms = 0;
    std::string annotation;  // the caller's note of its first answer; "" until annotated
};

// Where the ledger keeps its tables (accounts, journal, requests, counters). The ledger's rules
// live in BatchWriter and Verifier; a backend only stores and fetches, so SQLite and PostgreSQL
// can both serve without the rules changing. Every call is blocking.
//
// Errors: Errc::ledger_unavailable for storage failures. After a failure inside a batch the
// caller asks in_batch(): some engines abandon the whole transaction on some errors.
//
// Thread rule: one owner at a time. The Ledger keeps two: a writer (batch calls) and a reader
// (read calls, behind a mutex).
class LedgerBackend {
public:
    virtual ~LedgerBackend() = default;

    // --- Writer: one transaction per batch, one savepoint per order inside it. ---
    virtual Status begin_batch() = 0;
    virtual Status commit_batch() = 0;
    virtual void rollback_batch() = 0;
    virtual bool in_batch() const = 0;
    virtual Status savepoint() = 0;
    virtual Status release_savepoint() = 0;
    virtual Status rollback_to_savepoint() = 0;

    // The stored balance; nullopt when the account has no row yet.
    virtual Result<std::optional<Coins>> load_balance(AccountId account) = 0;
    // Adds delta to the stored balance, creating the row (at delta) on first use.
    virtual Status adjust_balance(AccountId account, Coins delta) = 0;
    // Makes every batch committed so far durable, if commit_batch() does not already (SQLite
    // commits at synchronous=NORMAL and syncs here, so the writer need not wait for the disk).
    // Safe from any thread: it uses no connection state. Errc::ledger_unavailable on failure.
    virtual Status sync_committed() = 0;
    // Where commits are not synced (SQLite at NORMAL), starts writing what was committed to
    // disk without waiting for it, so the next checkpoint does not find a whole WAL of dirty
    // pages to flush while the writer waits. Advisory; safe from any thread; no-op by default.
    virtual void start_writeback() {}

    // The highest order id in the journal, 0 when empty.
    virtual Result<std::int64_t> last_order_id() = 0;
    virtual Status append_journal(const JournalEntry& entry) = 0;
    virtual Result<std::optional<RequestRecord>> find_request(UserId scope, std::string_view request_id) = 0;
    // Stores the record unless one with its (scope, request_id) exists: false then.
    virtual Result<bool> insert_request(const RequestRecord& record) = 0;
    // Sets the record's annotation unless it has one: false when there is no such record (it
    // was pruned) or it is annotated already (the first note stays).
    virtual Result<bool> annotate_request(UserId scope, std::string_view request_id, std::string_view annotation) = 0;
    // The stored counter; nullopt when it has no row yet.
    virtual Result<std::optional<Coins>> load_counter(std::string_view name) = 0;
    // Adds delta to the named counter, creating the row (at delta) on first use.
    virtual Status adjust_counter(std::string_view name, Coins delta) = 0;
    // Looks at the `limit` oldest request records (insertion order) and deletes those created
    // before `before_ms`; returns how many.
    virtual Result<std::size_t> prune_requests(Millis before_ms, std::size_t limit) = 0;

    // --- Reader: each call sees one committed state. ---
    virtual Result<Coins> balance(AccountId account) = 0;
    // Rows where the account is debit or credit, newest first, with id < before_id.
    virtual Result<std::vector<JournalEntry>> journal(AccountId account, std::size_t limit, std::int64_t before_id) = 0;
    // Counters whose name starts with prefix, highest value first (ties by name).
    virtual Result<std::vector<CounterValue>> counters(std::string_view prefix, std::size_t limit) = 0;
    // The rows of one order, in leg order; empty when there is none. A row that does not decode
    // fails the whole read (Errc::internal): nobody may act on part of an order.
    virtual Result<std::vector<JournalEntry>> order_entries(std::int64_t order_id) = 0;
    // The order that reverses `order_id`, 0 when none does.
    virtual Result<std::int64_t> reversal_of(std::int64_t order_id) = 0;
    // Purchases of one kind (orders with a leg coded codes.to_host or codes.to_platform)
    // committed at or after since_ms and never reversed, oldest first, one summary each.
    virtual Result<std::vector<OrderSummary>> purchases(PurchaseCodes codes, Millis since_ms) = 0;
    // earnings(uid)'s rows committed in [from_ms, to_ms), grouped by UTC day, room, kind and
    // refund, in that order: purchases crediting it, refunds debiting it (kind and room of the
    // purchase they reverse), payouts debiting it.
    virtual Result<std::vector<EarningsRow>> earnings(std::uint64_t uid, Millis from_ms, Millis to_ms) = 0;

    // A consistent snapshot for verify(): every scan between begin and end sees one state.
    virtual Status begin_snapshot() = 0;
    virtual void end_snapshot() = 0;
    // Visits every stored balance / every journal row. Rows that do not decode (a tampered
    // kind, a NULL) are passed with decoded=false so the verifier can report them.
    virtual Status scan_balances(const std::function<void(const AccountBalance& entry, bool decoded)>& visit) = 0;
    virtual Status scan_journal(const std::function<void(const JournalEntry& entry, bool decoded)>& visit) = 0;
    // Visits at most `limit` journal rows with id > after_id, in id order (decoded as above):
    // a bounded slice, for a tally that catches up a little at a time.
    virtual Status scan_journal_after(std::int64_t after_id, std::size_t limit,
                                      const std::function<void(const JournalEntry& entry, bool decoded)>& visit) = 0;
};

}  // namespace barrage::ledger
