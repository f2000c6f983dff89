#include "base/errc.h"

#include <string>

namespace barrage {

std::string_view errc_message(Errc e) noexcept {
    switch (e) {
        case Errc::ok: return "ok";
        case Errc::bad_request: return "malformed request body";
        case Errc::bad_utf8: return "text is not valid UTF-8";
        case Errc::message_too_long: return "message is too long";
        case Errc::message_empty: return "message is empty";
        case Errc::unknown_mode: return "unknown danmaku mode (1, 4 or 5)";
        case Errc::bad_color: return "colour must be 0..16777215";
        case Errc::bad_fontsize: return "font size out of range";
        case Errc::unknown_message_type: return "message type is not declared";
        case Errc::bad_custom_field: return "custom message field does not match its declaration";
        case Errc::not_found: return "not found";
        case Errc::method_not_allowed: return "method not allowed";
        case Errc::body_too_large: return "request body too large";
        case Errc::uri_too_long: return "request line too long";
        case Errc::headers_too_large: return "request headers too large";
        case Errc::bad_websocket_handshake: return "bad WebSocket handshake";
        case Errc::unauthenticated: return "authentication required";
        case Errc::token_malformed: return "token is malformed";
        case Errc::token_bad_signature: return "token signature does not verify";
        case Errc::token_expired: return "token has expired";
        case Errc::token_bad_claims: return "token claims are missing or invalid";
        case Errc::forbidden: return "not allowed for this role";
        case Errc::anonymous_read_only: return "anonymous connections are read-only";
        case Errc::not_developer: return "only developers may use this (an operator grants the role)";
        case Errc::unknown_room: return "unknown room";
        case Errc::room_exists: return "room already exists";
        case Errc::rate_limited: return "sending too fast";
        case Errc::history_gap: return "resume point is older than the history kept";
        case Errc::game_ended: return "the game has ended or was never started: start it again";
        case Errc::muted: return "you are muted in this room";
        case Errc::banned: return "you are banned";
        case Errc::kicked: return "you were kicked from this room and may not rejoin yet";
        case Errc::room_silenced: return "the room is muted";
        case Errc::slow_mode: return "slow mode: wait before sending again";
        case Errc::followers_only: return "only followers may send in this room";
        case Errc::guards_only: return "only guard members may send in this room";
        case Errc::level_too_low: return "your user level is below this room's minimum";
        case Errc::duplicate_flood: return "the same message was just sent by many users";
        case Errc::blocked_word: return "the message contains a blocked word";
        case Errc::hook_rejected: return "the message was rejected";
        case Errc::bad_word_pattern: return "a word list entry does not compile";
        case Errc::cannot_moderate: return "you may not act on this user or lift this action";
        case Errc::unknown_message: return "no such message in the room's history";
        case Errc::packet_too_short: return "packet shorter than its header";
        case Errc::bad_header_length: return "header length must be 16";
        case Errc::packet_too_large: return "packet too large";
        case Errc::bad_packet_length: return "packet length smaller than header";
        case Errc::bad_protocol_version: return "unknown protocol version";
        case Errc::decompress_failed: return "compressed body is corrupt";
        case Errc::decompressed_too_large: return "decompressed body too large";
        case Errc::nested_too_deep: return "compressed packets may not nest";
        case Errc::auth_timeout: return "no auth packet in time";
        case Errc::auth_required: return "first packet must be auth (op 7)";
        case Errc::heartbeat_timeout: return "no heartbeat in time";
        case Errc::unexpected_operation: return "operation not allowed from a client";
        case Errc::outbound_overflow: return "client too slow: outbound queue full";
        case Errc::websocket_protocol: return "WebSocket protocol error";
        case Errc::websocket_too_large: return "WebSocket message too large";
        case Errc::packet_flood: return "packets sent too fast";
        case Errc::too_many_inner_packets: return "compressed body holds too many packets";
        case Errc::too_many_connections: return "too many connections from this address";
        case Errc::insufficient_balance: return "not enough coins";
        case Errc::request_conflict: return "request id already used for a different request";
        case Errc::unknown_gift: return "unknown gift";
        case Errc::bad_count: return "count out of range";
        case Errc::bad_amount: return "amount must be a positive whole number of coins within limits";
        case Errc::bad_payment_signature: return "payment signature does not verify";
        case Errc::unknown_order: return "unknown payment order";
        case Errc::payment_replayed: return "payment callback replayed or outside its time window";
        case Errc::below_minimum_price: return "price below the lowest super chat tier";
        case Errc::unknown_account: return "unknown account";
        case Errc::unknown_super_chat: return "unknown super chat";
        case Errc::ledger_unavailable: return "ledger unavailable";
        case Errc::payment_required: return "this room charges for danmaku: include a request_id to pay";
        case Errc::not_refundable: return "only purchases can be refunded (not refunds, grants or top-ups)";
        case Errc::unknown_app: return "unknown app";
        case Errc::bad_app_name: return "app name is empty, too long or not plain text";
        case Errc::bad_app_description: return "app description is too long or not plain text";
        case Errc::apps_limit: return "the developer already holds as many apps as allowed";
        case Errc::wrong_app_status: return "not allowed in the app's review status";
        case Errc::whitelist_full: return "the app's test-room whitelist is full";
        case Errc::unknown_asset: return "unknown asset";
        case Errc::bad_asset_type: return "not a PNG, WebP, GIF or JPEG image";
        case Errc::bad_asset_header: return "the image's header is truncated or invalid";
        case Errc::asset_too_large: return "the image is too large";
        case Errc::asset_too_wide: return "the image's width or height is too large";
        case Errc::assets_limit: return "the asset library is full";
        case Errc::gifts_limit: return "the app already holds as many interactive gifts as allowed";
        case Errc::internal: return "internal error";
        case Errc::shutting_down: return "server is shutting down";
    }
    return "unknown error";
}

namespace {

class BarrageCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "barrage"; }
    std::string message(int value) const override { return std::string(errc_message(static_cast<Errc>(value))); }
};

}  // namespace

const std::error_category& barrage_category() noexcept {
    static const BarrageCategory category;
    return category;
}

}  // namespace barrage
