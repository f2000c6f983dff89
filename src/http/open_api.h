#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>

#include "base/clock.h"
#include "gateway/hub.h"
#include "http/router.h"
#include "net/listeners.h"
#include "open/abuse_guard.h"
#include "open/call_stats.h"
#include "open/game_sessions.h"
#include "open/game_ticket.h"
#include "open/nonce_cache.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/open_apps.h"
#include "store/open_developers.h"

namespace barrage::http {

// The open platform's signed game-session API (PROTOCOL.md §1): POST /v2/app/start,
// heartbeat, batchHeartbeat and end, answered as Bilibili answers them: always HTTP 200 with
// {"code","message","request_id","data"} (open/app_requests.h), Content-Type and Accept checked
// (4011, 4013), the v1.0 signature checked (open/signature.h), then the call.
//
// A started game is announced to its room on the hub (Hub::start_open_game) before the answer
// goes out, so its connection, which can only come after, finds it live; an ended or expired
// one is ended there (Hub::end_open_game: INTERACTION_END, then its connections close).
//
// Thread rule: a request's checks of its headers run on its loop; everything else (the app and
// identity code lookups in SQLite, the nonce cache, the game sessions, the hub announcements)
// runs on the one-thread store pool, so that state has one owner and the room hears of a game's
// start and end in the order they happened. The security centre's limits (open/abuse_guard.h)
// come first: the client address's before anything else is read, a banned key's before its
// lookup and HMAC.
class OpenApi {
public:
    struct Options {
        std::string open_id_key;        // derives each streamer's stable, per-app open_id
        Millis expiry_sweep_ms = 1000;  // how often sessions without a heartbeat are ended
        // The security centre's limits and bans, shared with the operators' listing; null: a
        // guard of its own with the default limits.
        open::AbuseGuard* guard = nullptr;
        // What start answers as websocket_info.wss_link: the public URLs of our /sub. Empty:
        // ws://<the Host the game called>/sub (127.0.0.1 when that is missing or not a host).
        std::vector<std::string> wss_links{};
        // Identity codes older than this are replaced by the sweep (checked once a minute, 100 at
        // a time); 0: only when their streamer asks.
        Millis code_max_age_ms = 0;
    };

    OpenApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
            gateway::Hub& hub, const open::GameTickets& tickets, Options options);

    std::vector<Route> routes();
    // barrage_open_calls_total{endpoint=...}: every call of the game API, answered or refused,
    // for /metrics (the operator dashboard). Safe from any thread.
    void append_metrics(std::string& out) const;
    // Starts and stops the expiry sweep on the store pool (stop before joining the pool).
    void start();
    void stop();

private:
    enum class Endpoint : std::uint8_t { start, heartbeat, batch_heartbeat, end };
    struct Outcome;

    boost::asio::awaitable<net::HttpResponse> call(const Call& call, Endpoint endpoint);
    // GET /api/v1/open/apps/{app}/stats: the app's calls per endpoint since start (its developer
    // or an admin).
    boost::asio::awaitable<net::HttpResponse> stats(const Call& call);
    // GET /api/v1/rooms/{room}/games: the games running in a room (its host, managers, admins).
    boost::asio::awaitable<net::HttpResponse> games(const Call& call);
    // POST /api/v1/open/apps/{app}/test-game {"room"} and .../test-game/heartbeat {"game_id"}:
    // the developer console starts a game of its own app in one of the app's test rooms, as
    // /v2/app/start would, and keeps it alive, to watch the events a game receives.
    boost::asio::awaitable<net::HttpResponse> test_game(const Call& call);
    boost::asio::awaitable<net::HttpResponse> test_game_heartbeat(const Call& call);
    // Starts a game of `app` in `room` and answers /v2/app/start's data (store pool).
    Outcome start_in(const store::OpenApp& app, const store::RoomRecord& room, const std::string& host);
    // On the store pool.
    Outcome handle(Endpoint endpoint, const std::string& body, const store::OpenApp& app, const std::string& host,
                   const std::string& address);
    // websocket_info.wss_link for a game that called us at `host` (Options::wss_links).
    boost::json::array wss_links(std::string_view host) const;
    Outcome start(const std::string& body, const store::OpenApp& app, const std::string& host,
                  const std::string& address);
    // Ends, on the hub, every session past its time (store pool).
    void end_expired();
    void schedule_sweep();

    store::Database& database_;
    store::OpenApps apps_;
    Millis next_code_check_ms_ = 0;  // store pool only
    store::Directory directory_;
    boost::asio::any_io_executor store_;
    const Clock& clock_;
    gateway::Hub& hub_;
    const open::GameTickets& tickets_;
    Options options_;
    boost::asio::steady_timer sweep_;                                              // store pool only
    bool stopped_ = false;                                                         // store pool only
    open::NonceCache nonces_;                                                      // store pool only
    open::GameSessions sessions_;                                                  // store pool only
    open::CallStats call_stats_;                                                   // store pool only
    Millis started_ms_ = 0;                                                        // wall clock when counting began
    store::OpenDevelopers developers_;                                             // store pool only
    std::unique_ptr<open::AbuseGuard> own_guard_;                                  // when Options::guard was null
    open::AbuseGuard& guard_;                                                      // safe from any thread
    std::array<std::atomic<std::uint64_t>, open::CallStats::kEndpoints> calls_{};  // any thread
};

}  // namespace barrage::http
