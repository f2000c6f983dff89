#pragma once

#include <string_view>
#include <system_error>

#include <boost/system/error_code.hpp>

namespace barrage {

// Every error a client can see. The numbers are part of the wire contract (docs/protocol.md):
// never renumber, only append. Each has a fixed message in errc.cpp.
enum class Errc : int {
    ok = 0,

    // 1xxx: request shape.
    bad_request = 1000,              // malformed JSON or missing field
    bad_utf8 = 1001,                 // text is not valid UTF-8
    message_too_long = 1002,         // danmaku text over the configured limit
    message_empty = 1003,            // danmaku text is empty or whitespace only
    unknown_mode = 1004,             // danmaku mode not 1, 4 or 5
    bad_color = 1005,                // colour outside 0..0xFFFFFF
    bad_fontsize = 1006,             // font size outside the allowed range
    unknown_message_type = 1007,     // custom type not declared in config
    bad_custom_field = 1008,         // custom field missing or of the wrong kind
    not_found = 1009,                // no such route
    method_not_allowed = 1010,       // route exists, method does not
    body_too_large = 1011,           // HTTP body over its limit
    uri_too_long = 1012,             // HTTP request line over its limit
    headers_too_large = 1013,        // HTTP header section over its limit
    bad_websocket_handshake = 1014,  // upgrade request against RFC 6455 §4.2.1 (e.g. its key)

    // 2xxx: identity and permission.
    unauthenticated = 2000,      // no token where one is required
    token_malformed = 2001,      // not a JWT of three base64url parts
    token_bad_signature = 2002,  // signature does not verify
    token_expired = 2003,        // exp in the past
    token_bad_claims = 2004,     // uid/name/role missing or of the wrong kind
    forbidden = 2005,            // authenticated but the role does not allow it
    anonymous_read_only = 2006,  // anonymous connections cannot send
    not_developer = 2007,        // the open platform's developer API, for a user no operator made a developer

    // 3xxx: rooms.
    unknown_room = 3000,
    room_exists = 3001,
    rate_limited = 3002,  // per-user send rate exceeded
    history_gap = 3003,   // resume point older than the history ring
    game_ended = 3004,    // an open-platform game's key names a game that is not running

    // 31xx: moderation (docs/moderation.md). Refusals name until when in the answer's data.
    muted = 3100,             // the sender is muted in this room
    banned = 3101,            // the user is banned from this room or from the platform
    kicked = 3102,            // the user was kicked and may not rejoin yet
    room_silenced = 3103,     // the whole room is muted (only managers and above speak)
    slow_mode = 3104,         // slow mode: one message per N seconds per user
    followers_only = 3105,    // chat mode: only followers (for long enough) may speak
    guards_only = 3106,       // chat mode: only guard members may speak
    level_too_low = 3107,     // chat mode: the sender's user level is below the room's minimum
    duplicate_flood = 3108,   // the same text from many users within the flood window
    blocked_word = 3109,      // the word filter blocks the message
    hook_rejected = 3110,     // the operator's hook rejected the message (its reason in the answer)
    bad_word_pattern = 3111,  // a word list entry does not compile (its index and position in the answer)
    cannot_moderate = 3112,   // the target outranks the actor, or a stronger hand imposed what is lifted
    unknown_message = 3113,   // no such message in the room's history (deleting by sequence)

    // 4xxx: wire protocol.
    packet_too_short = 4000,        // fewer bytes than a header
    bad_header_length = 4001,       // header length field is not 16
    packet_too_large = 4002,        // packet length over the limit
    bad_packet_length = 4003,       // packet length smaller than the header
    bad_protocol_version = 4004,    // version not 0, 1, 2 or 3
    decompress_failed = 4005,       // zlib or brotli stream is corrupt
    decompressed_too_large = 4006,  // compression bomb: inflated size over the limit
    nested_too_deep = 4007,         // a compressed packet inside a compressed packet
    auth_timeout = 4008,            // no op 7 within the auth deadline
    auth_required = 4009,           // first packet was not op 7
    heartbeat_timeout = 4010,       // no op 2 within the heartbeat deadline
    unexpected_operation = 4011,    // op a client may not send
    outbound_overflow = 4012,       // client too slow: outbound queue over its bound
    websocket_protocol = 4013,      // WebSocket framing breaks RFC 6455 (unmasked, reserved bits, ...)
    websocket_too_large = 4014,     // WebSocket message over the configured limit
    packet_flood = 4015,            // packets faster than the connection's packet rate
    too_many_inner_packets = 4016,  // a compressed body holds more packets than allowed
    too_many_connections = 4017,    // the address already holds its share of connections

    // 6xxx: money (ledger, economy, payments).
    insufficient_balance = 6000,  // the wallet holds fewer coins than the order costs
    request_conflict = 6001,      // request id reused with different content
    unknown_gift = 6002,
    bad_count = 6003,              // gift count or months out of range
    bad_amount = 6004,             // amount not a positive integer within limits
    bad_payment_signature = 6005,  // payment callback HMAC does not verify
    unknown_order = 6006,          // payment callback names no order we issued
    payment_replayed = 6007,       // callback outside its time window, or reused
    below_minimum_price = 6008,    // super chat under the lowest tier
    unknown_account = 6009,
    unknown_super_chat = 6010,
    ledger_unavailable = 6011,  // the ledger writer is stopping or failed to commit
    payment_required = 6012,    // the room charges for danmaku: send a request_id to pay
    not_refundable = 6013,      // the order is not a purchase (a refund, grant, top-up)

    // 9xxx: the open platform's developers, apps and review (/api/v1/open; the signed /v2/app
    // API answers open::OpenCode instead).
    unknown_app = 9000,          // no such app, or another developer's
    bad_app_name = 9001,         // empty, too long, or not plain text
    bad_app_description = 9002,  // too long, or not plain text
    apps_limit = 9003,           // the developer already holds the most apps allowed
    wrong_app_status = 9004,     // the app's review status does not allow this now
    whitelist_full = 9005,       // the app's test-room whitelist is full
    // 901x: the asset library and interactive gifts (9006..9009 are left for the apps' own).
    unknown_asset = 9010,     // no such asset in the library
    bad_asset_type = 9011,    // not a PNG, WebP, GIF or JPEG image (SVG is refused)
    bad_asset_header = 9012,  // the image's header is truncated or says nothing sensible
    asset_too_large = 9013,   // the image's bytes are over the library's limit
    asset_too_wide = 9014,    // the image's width or height is over the library's limit
    assets_limit = 9015,      // the library holds as many assets (or bytes) as allowed
    gifts_limit = 9016,       // the app already holds as many interactive gifts as allowed

    // 5xxx: server.
    internal = 5000,
    shutting_down = 5001,
};

const std::error_category& barrage_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), barrage_category()};
}

// The stable message for a code, as sent to clients.
std::string_view errc_message(Errc e) noexcept;

}  // namespace barrage

template <>
struct std::is_error_code_enum<barrage::Errc> : std::true_type {};
