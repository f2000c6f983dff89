#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "base/limits.h"
#include "base/result.h"
#include "gateway/hub.h"
#include "gateway/join_gate.h"
#include "open/game_ticket.h"
#include "message/custom_schema.h"
#include "security/token_bucket.h"
#include "wire/packet.h"
#include "message/danmaku_rules.h"
#include "message/room_message.h"

namespace barrage::gateway {

struct SessionOptions {
    Millis auth_timeout_ms = 5000;        // op 7 must arrive within this
    Millis heartbeat_timeout_ms = 70000;  // close after this long without op 2
    std::size_t outbound_bytes_max = limits::kOutboundBytesDefault;
    // Once a write has waited for the socket (the reader fell behind), the kernel keeps at
    // most about this much of the connection unsent (net::limit_unsent); 0 = never.
    std::size_t behind_unsent_bytes = 64 * 1024;
    // Packets (outer and inner) one connection may send: a client sends an auth, a heartbeat
    // every 30 s and its danmaku; past this it floods (Errc::packet_flood, closed). Connections
    // signed in as a bot or above are exempt, like the per-user send rate.
    security::Rate packet_rate{.per_second = 20.0, .burst = 60.0};
    message::Role packet_rate_exempt_from = message::Role::bot;
    // A heartbeat is answered at most this often; one that comes sooner is answered when the
    // interval has passed (by the deadline sweep), so a flood of them costs no flood of replies.
    Millis heartbeat_reply_interval_ms = 1000;
    // Tests only: called with every packet a session is about to handle, on its loop; a fault
    // injector throws from here to prove a session cleans up however its reader ends.
    std::function<void(const wire::Packet&)> packet_probe{};
};

// Charges for danmaku in rooms that set a price (implemented above the gateway, by the
// purchase desk, which owns the ledger). Safe from any loop's coroutine.
class PaidMessages {
public:
    virtual ~PaidMessages() = default;
    // Charges the room's price through the ledger under `request_id` (idempotent), then
    // publishes the danmaku. A retry with the same id answers with the first result.
    virtual boost::asio::awaitable<Result<message::MessagePtr>> send_paid(RoomId room, const message::Sender& sender,
                                                                          const message::Danmaku& danmaku,
                                                                          const std::string& request_id) = 0;
};

// What connection sessions and HTTP handlers share: the hub, the token secret and the
// message rules. Read-only after start; safe from any thread (the Hub keeps its own rules).
struct Services {
    Hub& hub;
    const Clock& clock;
    std::string token_secret;
    message::DanmakuRules danmaku;
    message::CustomSchemas custom;
    SessionOptions session;
    std::size_t history_page_max = 1000;  // messages per GET .../history page
    PaidMessages* paid = nullptr;         // set when a ledger is configured
    JoinGate* joins = nullptr;            // null: joins are not rate limited
    // Checks open-platform games' auth_body keys; null: no open platform, such keys refused.
    const open::GameTickets* game_tickets = nullptr;
};

// Who is sending, from a bearer token: Errc::unauthenticated when empty, else the token's
// own errors (expired, forged, ...).
Result<message::Sender> sender_from_token(const Services& services, std::string_view token);

// What a send did: published a message, counted a batch of like taps, or was refused
// (refusal.code; a moderation refusal also says until when and why).
struct Sent {
    message::MessagePtr message;  // null for likes and refusals
    room::LikeReceipt like{};     // for likes
    moderation::Refusal refusal{};

    explicit operator bool() const { return !refusal.code; }
};

// Parses a send body — {"msg":...} for a danmaku, {"type":"like","count":N} for like taps,
// {"type":"<custom>","fields":{...}} for a declared custom type — and publishes (or counts) it
// as `sender`. Anonymous senders get Errc::anonymous_read_only.
boost::asio::awaitable<Sent> send_to_room(const Services& services, RoomId room, const message::Sender& sender,
                                          std::string_view body);

// Counts `taps` like taps from `sender` (POST .../likes and op 4's like kind). Anonymous
// viewers cannot like (Errc::anonymous_read_only).
boost::asio::awaitable<Result<room::LikeReceipt>> like_room(const Services& services, RoomId room,
                                                            const message::Sender& sender, std::uint32_t taps);

// The answer to a send, over HTTP and as the op 1000 reply: {"code":0,"message":"ok","data":
// {"seq":N}} for a message, {... "data":{"accepted":A,"capped":C,"click_count":T}} for likes
// (taps over the per-second cap are counted as capped, not refused), or
// {"code":E,"message":"..."}; a moderation refusal's message says until when (UTC) and why, and
// its "data" holds {"until_ms": wall ms (0 = until lifted), "reason": str}.
std::string send_result_json(const Sent& result);
// The same refusal as an HTTP answer body (shared with other paths that screen messages).
std::string refusal_json(const moderation::Refusal& refusal);
std::string like_result_json(const room::LikeReceipt& receipt);

}  // namespace barrage::gateway
