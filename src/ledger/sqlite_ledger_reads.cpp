// The reader's side of SqliteLedgerBackend: balances, journal pages, counters, orders,
// purchases, earnings and the verifier's scans, each on one committed state.

#include "ledger/sqlite_ledger_backend.h"

#include "base/log.h"
#include "ledger/sqlite_statements.h"

namespace barrage::ledger {

using namespace sqlite_detail;

namespace {

// Every row of a running journal statement as entries: Errc::ledger_unavailable when a step
// fails, Errc::internal (logged) when a row does not decode.
Result<std::vector<JournalEntry>> read_entries(Statement& statement) {
    std::vector<JournalEntry> entries;
    bool undecodable = false;
    auto read = statement.each_row([&] {
        undecodable = !read_entry(statement, entries.emplace_back());
        if (undecodable) {
            log::error("ledger: journal row {} does not decode", statement.column_int(0));
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

}  // namespace

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
    bind_account(statement, 1, account).bind(3, before_id).bind(4, static_cast<std::int64_t>(limit));
    return read_entries(statement);
}

Result<std::vector<CounterValue>> SqliteLedgerBackend::counters(std::string_view prefix, std::size_t limit) {
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
    return read_entries(statement);
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

Result<std::vector<OrderSummary>> SqliteLedgerBackend::purchases(PurchaseCodes codes, Millis since_ms) {
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

Result<std::vector<EarningsRow>> SqliteLedgerBackend::earnings(std::uint64_t uid, Millis from_ms, Millis to_ms) {
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

Status SqliteLedgerBackend::begin_snapshot() {
    return run(statements_->begin_read);
}

void SqliteLedgerBackend::end_snapshot() {
    if (database_->in_transaction()) {
        (void)run(statements_->commit);
    }
}

Status SqliteLedgerBackend::scan_balances(const std::function<void(const AccountBalance& entry, bool decoded)>& visit) {
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

Status SqliteLedgerBackend::scan_journal(const std::function<void(const JournalEntry& entry, bool decoded)>& visit) {
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

Status SqliteLedgerBackend::scan_journal_after(
    std::int64_t after_id, std::size_t limit,
    const std::function<void(const JournalEntry& entry, bool decoded)>& visit) {
    auto& statement = statements_->scan_journal_after;
    Running running(statement);
    statement.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
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
