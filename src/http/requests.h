#pragma once

// The JSON bodies the HTTP API accepts, each parsed once at the edge into a typed request.
// Pure: no I/O, fuzzed by tests/fuzz/http_body_fuzz.cpp. A refusal names the field and bound.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "economy/gift_catalogue.h"
#include "http/body.h"
#include "room/room.h"

namespace barrage::http {

// POST /api/v1/rooms: {"id","title"?,"host"?,"managers"?}
Parsed<room::RoomConfig> parse_room_request(std::string_view body);

// PUT /api/v1/rooms/{room}/live: {"live","title"?,"area_id"?,"area_name"?}; a field left out
// keeps the room's value. Titles and area names are one line of valid UTF-8 (Errc::bad_request
// naming the field otherwise).
struct LiveRequest {
    bool live = false;
    std::optional<std::string> title;      // 1..kLiveTitleMax code points
    std::optional<std::int64_t> area_id;   // 0..2^31-1
    std::optional<std::string> area_name;  // 0..kAreaNameMax code points
};
inline constexpr std::size_t kLiveTitleMax = 40;  // Bilibili's own bound on a room title
inline constexpr std::size_t kAreaNameMax = 20;
Parsed<LiveRequest> parse_live_request(std::string_view body);

// POST /api/v1/open/apps/{app}/debug/{room}: one test event from a made-up viewer.
//   {"kind":"danmaku","text"}                                   LIVE_OPEN_PLATFORM_DM
//   {"kind":"gift","gift_id","gift_name","count"?,"price"?,"interactive"?}   SEND_GIFT
//   {"kind":"super_chat","text","price_yuan"}                   SUPER_CHAT
//   {"kind":"guard","level","months"?}                          GUARD
// plus "uname"? (the viewer's name, default "debug-viewer"). Bounded like the real events.
struct DebugEventRequest {
    std::string kind;
    std::string uname;
    std::string text;
    std::uint64_t gift_id = 0;
    std::string gift_name;
    std::uint32_t count = 1;      // gifts 1..9999; like taps 1..1000
    std::int64_t price = 0;       // coins per gift, 0..1,000,000
    bool interactive = false;     // the app's own interactive gift
    std::int64_t price_yuan = 0;  // 1..100,000
    std::uint8_t level = 3;       // 1..3
    std::uint32_t months = 1;     // 1..120
};
Parsed<DebugEventRequest> parse_debug_event(std::string_view body);

// POST /api/v1/rooms/{room}/gifts: {"gift_id","count"?,"request_id"}
struct GiftRequest {
    std::uint64_t gift_id = 0;  // > 0, else Errc::unknown_gift
    std::uint32_t count = 1;    // 0..UINT32_MAX here; the purchase desk checks the real range
    std::string request_id;
};
Parsed<GiftRequest> parse_gift_request(std::string_view body);

// POST /api/v1/rooms/{room}/super-chats: {"price_yuan","message","request_id"}
struct SuperChatRequest {
    std::int64_t price_yuan = 0;  // 0..economy::kSuperChatYuanMax; the tiers check the minimum
    std::string text;
    std::string request_id;
};
Parsed<SuperChatRequest> parse_super_chat_request(std::string_view body);

// POST /api/v1/rooms/{room}/guards: {"level","months"?,"request_id"}
struct GuardRequest {
    std::uint8_t level = 0;
    std::uint32_t months = 1;
    std::string request_id;
};
Parsed<GuardRequest> parse_guard_request(std::string_view body);

// POST /api/v1/admin/grants: {"uid","coins","reason","request_id"}
struct GrantRequest {
    UserId uid;
    std::int64_t coins = 0;  // 1..coins_max, else Errc::bad_amount
    std::string reason;      // not empty
    std::string request_id;
};
Parsed<GrantRequest> parse_grant_request(std::string_view body, std::int64_t coins_max);

// POST /api/v1/admin/refunds: {"order_id","reason"}
struct RefundRequest {
    std::int64_t order_id = 0;
    std::string reason;  // not empty
};
Parsed<RefundRequest> parse_refund_request(std::string_view body);

// POST /api/v1/payments/orders: {"coins"}
struct PaymentOrderRequest {
    std::int64_t coins = 0;  // 1..coins_max, else Errc::bad_amount
};
Parsed<PaymentOrderRequest> parse_payment_order_request(std::string_view body, std::int64_t coins_max);

// POST /api/v1/gifts: a catalogue entry.
Parsed<economy::GiftSpec> parse_gift_spec(std::string_view body);

// The open platform's developer API (docs/open-platform.md, "Developers and apps"). Names,
// descriptions and reasons are plain text: valid UTF-8 without control characters (a
// description may break lines), counted in code points. 64 fits a title a console lists on one
// line; 1,000 is a paragraph for the reviewer; 500 says why an app was turned down or a role
// granted. Each bounds what one row of open_apps or open_audit can hold.
inline constexpr std::size_t kAppNameCodePointsMax = 64;
inline constexpr std::size_t kAppDescriptionCodePointsMax = 1000;
inline constexpr std::size_t kOpenReasonCodePointsMax = 500;

// POST /api/v1/open/apps and PUT /api/v1/open/apps/{app}: {"name","description"?}.
// Errc::bad_app_name, Errc::bad_app_description, Errc::bad_request (not a JSON object).
struct AppRequest {
    std::string name;         // 1..kAppNameCodePointsMax, not blank
    std::string description;  // 0..kAppDescriptionCodePointsMax
};
Parsed<AppRequest> parse_app_request(std::string_view body);

// POST /api/v1/open/apps/{app}/gifts and PUT .../gifts/{id}: an interactive gift,
// {"name","price","asset_id","effect_asset_id"?,"comboable"?}. The name is one line of plain
// text within the catalogue's economy::kGiftNameBytesMax (Errc::bad_request), the price within
// 1..economy::kGiftPriceMax coins (Errc::bad_amount); the assets are the library's ids
// (Errc::unknown_asset when not positive; the store checks they exist). A gift with an effect
// asset is animated (its full-screen effect), as the catalogue's GiftSpec has it.
struct OpenGiftRequest {
    std::string name;
    std::int64_t price = 0;
    std::int64_t asset_id = 0;
    std::int64_t effect_asset_id = 0;  // 0: not animated
    bool comboable = true;
};
Parsed<OpenGiftRequest> parse_open_gift_request(std::string_view body);

// POST /api/v1/open/apps/{app}/review: {"decision":"approve"|"reject","reason"}; a rejection
// needs a reason (the developer reads it), an approval may carry one. Errc::bad_request.
struct ReviewRequest {
    bool approve = false;
    std::string reason;  // 0..kOpenReasonCodePointsMax; not empty when rejecting
};
Parsed<ReviewRequest> parse_review_request(std::string_view body);

// PUT and DELETE /api/v1/open/developers/{user}: no body, or {"reason"?}. Errc::bad_request.
Parsed<std::string> parse_developer_reason(std::string_view body);

// PUT /api/v1/admin/open/apps/{app}/share: {"per_mille": 0..1000, "effective_ms": T}, T a wall
// time in ms (1..2^53, so every JSON reader keeps it exact; whether it is far enough ahead is
// the store's rule, store::kAppShareLeadMinMs). Errc::bad_request naming the field.
struct AppShareBody {
    std::uint32_t per_mille = 0;
    std::int64_t effective_ms = 0;
};
Parsed<AppShareBody> parse_app_share_body(std::string_view body);

// Queries are parsed the same way: each parameter checked once, a refusal naming it.

// GET /api/v1/wallet?before=<entry id>&limit=N
inline constexpr std::size_t kWalletPageDefault = 20;
inline constexpr std::size_t kWalletPageMax = 100;
struct WalletQuery {
    std::int64_t before = INT64_MAX;         // entries with a smaller id; from the newest when absent
    std::size_t limit = kWalletPageDefault;  // 1..kWalletPageMax
};
Parsed<WalletQuery> parse_wallet_query(const std::optional<std::string>& before,
                                       const std::optional<std::string>& limit);

// GET /api/v1/open/apps/{app}/audit and /api/v1/open/audit?before=<row id>&limit=N
inline constexpr std::size_t kAuditPageDefault = 50;
inline constexpr std::size_t kAuditPageMax = 100;
struct AuditQuery {
    std::int64_t before = INT64_MAX;        // rows with a smaller id; from the newest when absent
    std::size_t limit = kAuditPageDefault;  // 1..kAuditPageMax
};
Parsed<AuditQuery> parse_audit_query(const std::optional<std::string>& before, const std::optional<std::string>& limit);

// GET /api/v1/earnings?from=YYYYMMDD&to=YYYYMMDD&uid=U
struct EarningsQuery {
    std::optional<std::int32_t> from_day;  // UTC day yyyymmdd, included; from the first when absent
    std::optional<std::int32_t> to_day;    // included; to the last when absent; not before from
    std::optional<UserId> uid;             // whose earnings; the caller's when absent
};
Parsed<EarningsQuery> parse_earnings_query(const std::optional<std::string>& from, const std::optional<std::string>& to,
                                           const std::optional<std::string>& uid);

}  // namespace barrage::http
