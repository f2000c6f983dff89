#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// How far ahead a change of an app's share must start. The ledger's writer resolves each batch
// with the schedule it held when the batch began, and the API publishes a new schedule only
// after its row has committed: a change that started sooner than that could apply to gifts
// already committed at the old ratio, and a bill once settled must never change. A minute
// covers the store write, the publication and a busy writer's batch many times over.
inline constexpr Millis kAppShareLeadMinMs = 60'000;
// And how far ahead at most: a year. Farther is a typo, not a plan.
inline constexpr Millis kAppShareLeadMaxMs = 366LL * 24 * 3600 * 1000;
// Changes kept per app (the default counts as app 0). Each is read by the server at start and
// by every settlement; an operator changing a ratio daily for a year stays far below.
inline constexpr std::size_t kAppShareChangesMax = 1000;

// One stored change of an app's share (the open_app_shares table, migration 10).
struct AppShareRow {
    std::int64_t app_id = 0;      // 0: the configured default
    Millis effective_ms = 0;      // from when (wall clock, UTC)
    std::uint32_t per_mille = 0;  // 0..1000 of the platform's part of the app's gifts
    UserId set_by{};              // the operator; 0 for the command line or the configuration
    Millis created_ms = 0;        // when it was written
    bool operator==(const AppShareRow&) const = default;
};

// An operator's change of an app's share.
struct AppShareRequest {
    std::int64_t app_id = 0;
    std::uint32_t per_mille = 0;
    Millis effective_ms = 0;
    UserId actor{};
};

// The open_app_shares table: effective-dated ratios, each change written with its audit row in
// one transaction. Never retroactive: a change starts at least kAppShareLeadMinMs after it is
// written. Blocking; the store pool, the CLI or start-up only.
class AppShares {
public:
    AppShares(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    // Schedules a change. Errc::bad_request: per_mille above 1000, or effective_ms sooner than
    // now + kAppShareLeadMinMs or later than now + kAppShareLeadMaxMs (now read inside the
    // transaction), or the app already holds kAppShareChangesMax changes; Errc::unknown_app: no
    // such app. A change at the same effective_ms as one already scheduled (still in the future,
    // by the first rule) replaces it; the audit log keeps both.
    Result<AppShareRow> schedule(const AppShareRequest& request);
    // Records the configured default (app 0) from now on, unless it is already the default in
    // force. Start-up only, before the ledger takes orders: no gift of this process can have
    // committed before it. Audited with actor 0.
    Status record_default(std::uint32_t per_mille);
    // One app's changes, oldest first; every change (ordered by app, then time) when app_id < 0.
    Result<std::vector<AppShareRow>> changes(std::int64_t app_id);
    // Whether an app with this id exists (apps are never deleted).
    Result<bool> has_app(std::int64_t app_id);

private:
    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
