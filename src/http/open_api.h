#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "http/router.h"
#include "net/listeners.h"
#include "open/game_sessions.h"
#include "open/nonce_cache.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/open_apps.h"

namespace barrage::http {

// The open platform's signed game-session API (PROTOCOL.md §1): POST /v2/app/start,
// heartbeat, batchHeartbeat and end, answered as Bilibili answers them: always HTTP 200 with
// {"code","message","request_id","data"} (open/app_requests.h), Content-Type and Accept checked
// (4011, 4013), the v1.0 signature checked (open/signature.h), then the call.
//
// Thread rule: a request's checks of its headers run on its loop; everything else (the app and
// identity code lookups in SQLite, the nonce cache, the game sessions) runs on the one-thread
// store pool, so that state has one owner.
class OpenApi {
public:
    struct Options {
        std::string open_id_key;  // derives each streamer's stable, per-app open_id
    };

    OpenApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
            Options options);

    std::vector<Route> routes();

private:
    enum class Endpoint : std::uint8_t { start, heartbeat, batch_heartbeat, end };
    struct Outcome;

    boost::asio::awaitable<net::HttpResponse> call(const Call& call, Endpoint endpoint);
    // On the store pool.
    Outcome handle(Endpoint endpoint, const std::string& body, const store::OpenApp& app, const std::string& host);
    Outcome start(const std::string& body, const store::OpenApp& app, const std::string& host);

    store::Database& database_;
    store::OpenApps apps_;
    store::Directory directory_;
    boost::asio::any_io_executor store_;
    const Clock& clock_;
    Options options_;
    open::NonceCache nonces_;      // store pool only
    open::GameSessions sessions_;  // store pool only
    // Wrong identity codes per app: ten, then one every six seconds (a streamer mistyping),
    // never a brute force: an app past it has every start refused with 4009, right code or
    // wrong, for a minute. Only apps with a valid signature get here, so both maps hold at most
    // one entry per app. Store pool only.
    security::KeyedRateLimiter<std::int64_t> wrong_codes_;
    std::unordered_map<std::int64_t, Millis> blocked_until_;  // steady ms
};

}  // namespace barrage::http
