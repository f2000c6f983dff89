#pragma once

#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "base/clock.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "security/keyed_rate_limiter.h"

namespace barrage::http {

// The ledger's check for operators (the dashboard): run `barrage ledger verify`'s invariants on
// the running server and keep the last result to show.
//
//   POST /api/v1/admin/ledger/verify  runs the check now and answers its report
//   GET  /api/v1/admin/ledger         the last report (null before the first) and when it ran
//
// The check reads the whole journal on the ledger's reader connection, so other reads wait
// meanwhile: it runs on the store pool, and at most once per 10 s server-wide (3 at once), so
// admins refreshing a dashboard cannot starve the wallet pages. Store pool only inside.
class LedgerApi {
public:
    LedgerApi(const ledger::Ledger& ledger, boost::asio::any_io_executor store, const Clock& clock)
        : ledger_(ledger),
          store_(std::move(store)),
          clock_(clock),
          runs_({.per_second = 0.1, .burst = 3, .keys_max = 1}, clock) {}

    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> verify(const Call& call);
    boost::asio::awaitable<net::HttpResponse> last(const Call& call);

    const ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_;
    const Clock& clock_;
    security::KeyedRateLimiter<int> runs_;            // store pool only; one key: the server
    std::optional<boost::json::object> last_report_;  // store pool only
};

}  // namespace barrage::http
