#pragma once

#include <cstdint>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "http/router.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/open_apps.h"
#include "store/open_developers.h"
#include "store/open_feedback.h"

namespace barrage::http {

// The feedback channel between streamers and game developers (seed 004): a host reports a
// problem with a game in their room, the game's developer reads the reports about their app and
// answers, and the host reads the answer.
//
//   POST /api/v1/open/apps/{app}/feedback              a room's host: {"room","text"}
//   GET  /api/v1/open/apps/{app}/feedback              its developer, or an admin
//   POST /api/v1/open/apps/{app}/feedback/{id}/answer  its developer: {"text"}
//   GET  /api/v1/open/feedback                         the caller's own reports, with answers
//
// Texts are one to 1,000 bytes of UTF-8, shown as text. Reports and answers are limited per
// user (5 at once, then one a minute), so the channel cannot flood a developer or a table.
// Store pool only inside.
class FeedbackApi {
public:
    FeedbackApi(store::Database& database, boost::asio::any_io_executor store, const Clock& clock);

    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> report(const Call& call);
    boost::asio::awaitable<net::HttpResponse> of_app(const Call& call);
    boost::asio::awaitable<net::HttpResponse> answer(const Call& call);
    boost::asio::awaitable<net::HttpResponse> mine(const Call& call);

    store::OpenFeedback feedback_;
    store::OpenApps apps_;
    store::OpenDevelopers developers_;
    store::Directory directory_;
    boost::asio::any_io_executor store_;
    security::KeyedRateLimiter<std::uint64_t> writes_;  // per user; store pool only
};

}  // namespace barrage::http
