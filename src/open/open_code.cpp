#include "open/open_code.h"

namespace barrage::open {

std::string_view message_of(OpenCode code) {
    switch (code) {
        case OpenCode::ok: return "0";  // Bilibili's success message is the string "0"
        case OpenCode::bad_parameters: return "invalid parameters";
        case OpenCode::invalid_app: return "invalid app: x-bili-accesskeyid is empty or unknown";
        case OpenCode::bad_signature: return "signature mismatch";
        case OpenCode::request_expired: return "request expired: x-bili-timestamp is more than 600 s off";
        case OpenCode::duplicate_request: return "duplicate request: x-bili-signature-nonce was used before";
        case OpenCode::bad_signature_method: return "x-bili-signature-method must be HMAC-SHA256";
        case OpenCode::bad_signature_version: return "x-bili-signature-version must be 1.0";
        case OpenCode::access_limited: return "access limited";
        case OpenCode::bad_content_type: return "Content-Type must be application/json";
        case OpenCode::bad_content_md5: return "x-bili-content-md5 does not match the body";
        case OpenCode::bad_accept: return "Accept must be application/json";
        case OpenCode::json_decode_error: return "json: cannot unmarshal the request body";
        case OpenCode::room_whitelist: return "room not in the app's whitelist: the app is not approved yet";
        case OpenCode::not_in_game: return "the room is not running a game";
        case OpenCode::cooling_down: return "the previous game is still settling; retry in 10 s";
        case OpenCode::room_has_game: return "the room is already running a game";
        case OpenCode::heartbeat_expired: return "heartbeat expired: game_id is wrong, ended or expired";
        case OpenCode::batch_too_large: return "a batch heartbeat holds at most 200 game_ids";
        case OpenCode::batch_duplicate_id: return "a batch heartbeat names a game_id twice";
        case OpenCode::bad_identity_code: return "identity code is wrong";
        case OpenCode::plugin_started: return "the plugin is already started";
        case OpenCode::sessions_limit: return "one app may hold at most 5 sessions in a room";
        case OpenCode::wrong_app: return "no access to this project: the game belongs to another app";
    }
    return "error";
}

}  // namespace barrage::open
