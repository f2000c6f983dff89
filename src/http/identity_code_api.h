#pragma once

#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "gateway/hub.h"
#include "http/router.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/open_apps.h"

namespace barrage::http {

// A streamer's identity code (身份码), which binds an open-platform game to their room: shown to
// the room's host alone (not to managers, not to admins: whoever holds it can start games
// there), and refreshed on demand, which stops the old code at once while running games go
// on. `barrage open code` is the operator's way to the same codes.
//
// Refreshes are rate-limited per host (5 at once, then one a minute): each leaves an audit row.
// Thread rule: the host check runs on the room's home loop (Hub::snapshot), the rest on the
// one-thread store pool that owns the stores.
class IdentityCodeApi {
public:
    IdentityCodeApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
                    gateway::Hub& hub);

    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> code(const Call& call, bool refresh);

    store::OpenApps apps_;                                 // store pool only
    security::KeyedRateLimiter<std::uint64_t> refreshes_;  // store pool only
    boost::asio::any_io_executor store_;
    gateway::Hub& hub_;
};

}  // namespace barrage::http
