#pragma once

#include <string_view>

namespace barrage::open {

// The open platform's result codes (PROTOCOL.md §1.3): the numbers games written for
// Bilibili's live open platform read from `code`. A space of their own: Errc's 4000s are the
// packet protocol's, and the open-platform API answers these instead.
enum class OpenCode : int {
    // What Bilibili's Go backend answers when a body does not decode into its request type
    // (an app_id sent as a string): clients have seen and handle exactly this.
    json_decode_error = -400,
    ok = 0,
    bad_parameters = 4000,
    invalid_app = 4001,        // x-bili-accesskeyid empty or unknown
    bad_signature = 4002,      // Authorization wrong
    request_expired = 4003,    // x-bili-timestamp outside the window
    duplicate_request = 4004,  // nonce seen before inside the window
    bad_signature_method = 4005,
    bad_signature_version = 4006,
    access_limited = 4009,  // permission or rate
    bad_content_type = 4011,
    bad_content_md5 = 4012,
    bad_accept = 4013,
    room_whitelist = 5004,  // an app not yet approved may run only in its test rooms
    not_in_game = 7000,
    cooling_down = 7001,  // the previous game is still settling
    room_has_game = 7002,
    heartbeat_expired = 7003,  // game_id wrong, ended or expired
    batch_too_large = 7004,    // more than 200 game_ids
    batch_duplicate_id = 7005,
    bad_identity_code = 7007,
    plugin_started = 7008,
    sessions_limit = 7010,  // one app holds at most 5 sessions in one room
    wrong_app = 8002,       // the game belongs to another app_id
};

// The message an answer with `code` carries.
std::string_view message_of(OpenCode code);

}  // namespace barrage::open
