#include "store/app_shares.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "store/open_audit.h"
#include "store/transaction.h"

namespace barrage::store {

namespace {

Status run(Database::Statement& statement) {
    auto done = statement.step();
    return done ? Status{} : Status(done.error());
}

Result<std::int64_t> count_changes(Database& database, std::int64_t app_id) {
    Database::Statement count(database, "SELECT COUNT(*) FROM open_app_shares WHERE app_id = ?");
    count.bind(1, app_id);
    auto row = count.step();
    if (!row) {
        return row.error();
    }
    return *row ? count.column_int(0) : 0;
}

Result<bool> app_exists(Database& database, std::int64_t app_id) {
    Database::Statement find(database, "SELECT 1 FROM open_apps WHERE app_id = ?");
    find.bind(1, app_id);
    // step() answers exactly this: a row (true), none (false), or the error.
    return find.step();
}

Status insert(Database& database, const AppShareRow& row) {
    Database::Statement upsert(
        database,
        "INSERT INTO open_app_shares (app_id, effective_ms, per_mille, set_by, created_ms) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (app_id, effective_ms) DO UPDATE SET "
        "per_mille = excluded.per_mille, set_by = excluded.set_by, created_ms = excluded.created_ms");
    upsert.bind(1, row.app_id)
        .bind(2, row.effective_ms)
        .bind(3, static_cast<std::int64_t>(row.per_mille))
        .bind(4, static_cast<std::int64_t>(row.set_by.value))
        .bind(5, row.created_ms);
    return run(upsert);
}

Status audit(Database& database, const Clock& clock, std::string_view action, const AppShareRow& row) {
    return OpenAudit(database, clock)
        .write({.actor = row.set_by,
                .action = std::string(action),
                .app_id = row.app_id,
                .detail = fmt::format("per_mille={} effective_ms={}", row.per_mille, row.effective_ms)});
}

}  // namespace

Result<AppShareRow> AppShares::schedule(const AppShareRequest& request) {
    if (request.per_mille > 1000 || request.app_id <= 0) {
        return make_error_code(Errc::bad_request);
    }
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    const Millis now_ms = clock_.wall_ms();
    if (request.effective_ms < now_ms + kAppShareLeadMinMs || request.effective_ms > now_ms + kAppShareLeadMaxMs) {
        return make_error_code(Errc::bad_request);
    }
    auto exists = app_exists(database_, request.app_id);
    if (!exists) {
        return exists.error();
    }
    if (!*exists) {
        return make_error_code(Errc::unknown_app);
    }
    auto held = count_changes(database_, request.app_id);
    if (!held) {
        return held.error();
    }
    if (static_cast<std::size_t>(*held) >= kAppShareChangesMax) {
        return make_error_code(Errc::bad_request);
    }
    const AppShareRow row{.app_id = request.app_id,
                          .effective_ms = request.effective_ms,
                          .per_mille = request.per_mille,
                          .set_by = request.actor,
                          .created_ms = now_ms};
    if (auto inserted = insert(database_, row); !inserted) {
        return inserted.error();
    }
    if (auto audited = audit(database_, clock_, audit_action::app_share_scheduled, row); !audited) {
        return audited.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return row;
}

Status AppShares::record_default(std::uint32_t per_mille) {
    if (per_mille > 1000) {
        return make_error_code(Errc::bad_request);
    }
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun;
    }
    Database::Statement latest(database_,
                               "SELECT effective_ms, per_mille FROM open_app_shares WHERE app_id = 0 "
                               "ORDER BY effective_ms DESC LIMIT 1");
    auto row = latest.step();
    if (!row) {
        return row.error();
    }
    const Millis now_ms = clock_.wall_ms();
    Millis effective_ms = now_ms;
    if (*row) {
        if (static_cast<std::uint32_t>(latest.column_int(1)) == per_mille) {
            return {};
        }
        // A clock set back must not put the new default before the one it replaces.
        effective_ms = std::max(now_ms, latest.column_int(0) + 1);
    }
    latest.reset();
    const AppShareRow recorded{
        .app_id = 0, .effective_ms = effective_ms, .per_mille = per_mille, .set_by = UserId{0}, .created_ms = now_ms};
    if (auto inserted = insert(database_, recorded); !inserted) {
        return inserted;
    }
    if (auto audited = audit(database_, clock_, audit_action::default_share_recorded, recorded); !audited) {
        return audited;
    }
    return transaction.commit();
}

Result<bool> AppShares::has_app(std::int64_t app_id) {
    return app_exists(database_, app_id);
}

Result<std::vector<AppShareRow>> AppShares::changes(std::int64_t app_id) {
    const bool all = app_id < 0;
    Database::Statement select(database_,
                               all ? "SELECT app_id, effective_ms, per_mille, set_by, created_ms FROM open_app_shares "
                                     "ORDER BY app_id, effective_ms"
                                   : "SELECT app_id, effective_ms, per_mille, set_by, created_ms FROM open_app_shares "
                                     "WHERE app_id = ? ORDER BY effective_ms");
    if (!all) {
        select.bind(1, app_id);
    }
    std::vector<AppShareRow> rows;
    auto read = select.each_row([&] {
        rows.push_back({.app_id = select.column_int(0),
                        .effective_ms = select.column_int(1),
                        .per_mille = static_cast<std::uint32_t>(select.column_int(2)),
                        .set_by = UserId{static_cast<std::uint64_t>(select.column_int(3))},
                        .created_ms = select.column_int(4)});
        return true;
    });
    if (!read) {
        return read.error();
    }
    return rows;
}

}  // namespace barrage::store
