#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "gateway/hub.h"
#include "http/router.h"
#include "net/listeners.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/open_apps.h"
#include "store/open_audit.h"
#include "store/open_developers.h"

namespace barrage::http {

// The open platform's developer API under /api/v1/open (docs/open-platform.md, "Developers and
// apps"): developers create, edit and submit apps, rotate their secrets, keep whitelists of test
// rooms and read their apps' audit; operators (admins) grant and revoke the developer role,
// review submitted apps and read every audit row. Another developer's app is answered as if it
// did not exist (Errc::unknown_app), a user who is not a developer with Errc::not_developer.
//
// A developer's writes (create, edit, submit, rotate, whitelist) are rate-limited per developer:
// each leaves an audit row, and the log must not grow as fast as a script can call.
//
// Thread rule: bodies and queries are parsed on the request's loop; everything else (the role
// check included) runs on the one-thread store pool, the owner of the stores below, so a check
// and the write it guards see the same state.
class DeveloperApi {
public:
    // `hub`: where the debug tool's test events are published.
    DeveloperApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
                 gateway::Hub& hub);

    // This API's part of the route table.
    std::vector<Route> routes();

    // The per-developer rate of changes, shared with the interactive gifts' API (a gift's change
    // is a change of its app). Store pool only.
    security::KeyedRateLimiter<std::uint64_t>& change_rate() { return writes_; }
    // Told on the store pool after an app's review status may have changed (an edit, a review):
    // what the catalogue sells depends on it. Set before serving.
    void on_app_changed(std::function<void()> changed) { app_changed_ = std::move(changed); }

private:
    // A developer's.
    boost::asio::awaitable<net::HttpResponse> create(const Call& call);
    boost::asio::awaitable<net::HttpResponse> list(const Call& call);
    boost::asio::awaitable<net::HttpResponse> read(const Call& call);
    boost::asio::awaitable<net::HttpResponse> edit(const Call& call);
    boost::asio::awaitable<net::HttpResponse> submit(const Call& call);
    boost::asio::awaitable<net::HttpResponse> rotate(const Call& call);
    boost::asio::awaitable<net::HttpResponse> add_test_room(const Call& call);
    boost::asio::awaitable<net::HttpResponse> remove_test_room(const Call& call);
    boost::asio::awaitable<net::HttpResponse> app_audit(const Call& call);
    // The debug tool: one test event into one of the app's test rooms (its developer's own, or
    // whitelisted), from a made-up viewer (Sender::debug): no wallet, no ledger, marked "test".
    boost::asio::awaitable<net::HttpResponse> debug_event(const Call& call);
    // An operator's.
    boost::asio::awaitable<net::HttpResponse> review_queue(const Call& call);
    boost::asio::awaitable<net::HttpResponse> review(const Call& call);
    // Grants (`developer`) or revokes the developer role of the {user} in the path.
    boost::asio::awaitable<net::HttpResponse> set_developer(const Call& call, bool developer);
    boost::asio::awaitable<net::HttpResponse> audit(const Call& call);

    store::OpenApps apps_;              // store pool only
    store::OpenDevelopers developers_;  // store pool only
    store::OpenAudit audit_;            // store pool only
    // Writes per developer: a burst of 30, then one a second. Store pool only.
    security::KeyedRateLimiter<std::uint64_t> writes_;
    // Debug events per developer: a burst of 50, then ten a second. Store pool only.
    security::KeyedRateLimiter<std::uint64_t> debug_events_;
    boost::asio::any_io_executor store_;
    const Clock& clock_;
    gateway::Hub& hub_;
    std::function<void()> app_changed_;  // called on the store pool; may be empty
};

}  // namespace barrage::http
