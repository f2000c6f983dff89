#pragma once

// The open platform as a game sees it, for integration tests: apps and an identity code made
// in the server's SQLite file, and signed calls to /v2/app/* made as blivedm makes them.
// Main (test) thread only.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/clock.h"
#include "support/test_server.h"

namespace barrage::test {

struct OpenAppKeys {
    std::int64_t app_id = 0;
    std::string key_id;
    std::string secret;
};

struct OpenPlatform {
    OpenAppKeys approved;  // "Duel", approved, developer uid 7
    OpenAppKeys draft;     // "Draft", a draft of the same developer
    std::string code;      // the demo room's (room 1, hosted by uid 1) identity code
};

// Creates the two apps and room 1's identity code directly in the server's database.
OpenPlatform set_up_open_platform(const TestServer& server);

// POST `path` to 127.0.0.1:`port`, signed with `app`'s secret (v1.0) as blivedm signs it,
// stamped by `clock`'s wall time (the system clock when not given). Each call a fresh nonce.
HttpReply signed_post_to(std::uint16_t port, const OpenAppKeys& app, std::string_view path, std::string_view body,
                         const Clock& clock, std::string content_type = "application/json");
HttpReply signed_post(const TestServer& server, const OpenAppKeys& app, std::string_view path, std::string_view body,
                      const Clock& clock, std::string content_type = "application/json");
HttpReply signed_post(const TestServer& server, const OpenAppKeys& app, std::string_view path, std::string_view body);
// The answer's JSON, checking what every answer has: HTTP 200 and a request_id.
boost::json::object open_answer(const HttpReply& reply);

// A started game, as /v2/app/start answered it.
struct StartedGame {
    std::string game_id;
    std::string auth_body;  // websocket_info.auth_body, verbatim
    std::string wss_link;   // websocket_info.wss_link[0]
    std::string anchor_open_id;
};
// Starts a game of `app` with `code`; throws unless code 0.
StartedGame start_game(const TestServer& server, const OpenAppKeys& app, std::string_view code, const Clock& clock);
// /v2/app/end and /v2/app/heartbeat; the answer's code.
std::int64_t end_game(const TestServer& server, const OpenAppKeys& app, std::string_view game_id, const Clock& clock);
std::int64_t game_heartbeat(const TestServer& server, const OpenAppKeys& app, std::string_view game_id,
                            const Clock& clock);

// The developer the open-platform tests act as (the apps above belong to them), and a second one.
inline constexpr UserId kDeveloper{7};
inline constexpr UserId kOtherDeveloper{8};
// A signed-in (viewer) token of `uid`, named "dev<uid>".
std::string developer_token(const TestServer& server, UserId uid = kDeveloper);
// Makes `uid` a developer through the admin API (fails the test otherwise).
void grant_developer(const TestServer& server, UserId uid);

}  // namespace barrage::test
