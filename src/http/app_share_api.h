#pragma once

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "economy/app_share_schedule.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "net/listeners.h"
#include "store/app_shares.h"
#include "store/database.h"
#include "store/open_apps.h"
#include "store/open_developers.h"

namespace barrage::http {

// Every stored change as the schedule the ledger and settlement use. Blocking (store pool,
// start-up or the CLI).
Result<std::shared_ptr<const economy::AppShareSchedule>> load_app_shares(store::AppShares& shares);

// Operators' control of each app's share of its interactive gifts (docs/open-platform.md,
// "Settlement"): PUT /api/v1/admin/open/apps/{app}/share {"per_mille","effective_ms"} schedules a
// change (never retroactive: store::kAppShareLeadMinMs ahead at least), audited in the same
// transaction; GET lists the app's changes, the default's, and the ratio in force now. Admin
// only; an app's developer reads the same at GET /api/v1/open/apps/{app}/share.
//
// A change is published to the ledger's writer (Ledger::set_app_shares) after it commits and
// before the answer: once the operator sees "ok", every batch that commits at or after the
// change's effective_ms resolves with it.
//
// Thread rule: bodies are parsed on the request's loop; the store work and the publication run
// on the one-thread store pool.
class AppShareApi {
public:
    AppShareApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
                ledger::Ledger& ledger);

    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> schedule(const Call& call);
    boost::asio::awaitable<net::HttpResponse> list(const Call& call);
    // The app's developer (or an admin): the same schedule, read-only.
    boost::asio::awaitable<net::HttpResponse> own(const Call& call);
    // GET /api/v1/open/apps/{app}/bills: the app's daily bills (its developer, or an admin).
    boost::asio::awaitable<net::HttpResponse> bills(const Call& call);

    store::AppShares shares_;           // store pool only
    store::OpenApps apps_;              // store pool only
    store::OpenDevelopers developers_;  // store pool only
    boost::asio::any_io_executor store_;
    const Clock& clock_;
    ledger::Ledger& ledger_;
};

}  // namespace barrage::http
