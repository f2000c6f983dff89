#include "store/open_developers.h"

#include "store/open_audit.h"
#include "store/transaction.h"

namespace barrage::store {

namespace {

// Result<bool> takes an error only in place: an error_code also converts to bool.
Result<bool> failed(std::error_code error) {
    return Result<bool>(boost::system::in_place_error, error);
}

// Runs `write` (one INSERT or DELETE) and, when it changed a row, the audit row of `action`, in
// one transaction: true when something changed.
template <class Write>
Result<bool> audited(Database& database, const Clock& clock, const DeveloperChange& change, std::string_view action,
                     Write write) {
    Transaction transaction(database);
    if (auto begun = transaction.begin(); !begun) {
        return failed(begun.error());
    }
    if (auto done = write(); !done) {
        return failed(done.error());
    }
    if (database.changes() == 0) {
        return false;  // rolled back: nothing was written
    }
    OpenAudit audit(database, clock);
    if (auto written = audit.write(
            {.actor = change.actor, .action = std::string(action), .subject = change.uid, .detail = change.reason});
        !written) {
        return failed(written.error());
    }
    if (auto committed = transaction.commit(); !committed) {
        return failed(committed.error());
    }
    return true;
}

}  // namespace

Result<bool> OpenDevelopers::is_developer(UserId uid) {
    Database::Statement select(database_, "SELECT 1 FROM open_developers WHERE uid = ?");
    select.bind(1, static_cast<std::int64_t>(uid.value));
    return select.step();
}

Result<bool> OpenDevelopers::grant(const DeveloperChange& change) {
    return audited(database_, clock_, change, audit_action::developer_granted, [&] {
        Database::Statement insert(database_,
                                   "INSERT INTO open_developers (uid, granted_by, granted_ms) VALUES (?, ?, ?) "
                                   "ON CONFLICT DO NOTHING");
        insert.bind(1, static_cast<std::int64_t>(change.uid.value))
            .bind(2, static_cast<std::int64_t>(change.actor.value))
            .bind(3, clock_.wall_ms());
        return insert.step();
    });
}

Result<bool> OpenDevelopers::revoke(const DeveloperChange& change) {
    return audited(database_, clock_, change, audit_action::developer_revoked, [&] {
        Database::Statement remove(database_, "DELETE FROM open_developers WHERE uid = ?");
        remove.bind(1, static_cast<std::int64_t>(change.uid.value));
        return remove.step();
    });
}

}  // namespace barrage::store
