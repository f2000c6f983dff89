#pragma once

#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "gateway/hub.h"
#include "http/router.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/moderation_store.h"

namespace barrage::http {

// A room's built-in bot (docs/bots.md): GET and PUT /api/v1/rooms/{room}/bots, for the room's
// managers, host and admins. A new set of rules is compiled on the store pool (its regexes cost
// milliseconds), put in force on the room's home loop, then stored with an audit line; a body
// that does not compile leaves the old rules in force.
class BotApi {
public:
    BotApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
           gateway::Hub& hub);

    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> show(const Call& call);
    boost::asio::awaitable<net::HttpResponse> replace(const Call& call);

    store::ModerationStore store_;  // store pool only
    // Rule replacements per user (store pool only), as for word lists: compiling twenty regexes
    // is not for anyone to ask in a loop.
    security::KeyedRateLimiter<std::uint64_t> compiles_;
    boost::asio::any_io_executor store_executor_;
    const Clock& clock_;
    gateway::Hub& hub_;
};

}  // namespace barrage::http
