#include "http/requests.h"

#include <charconv>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "economy/super_chat_tiers.h"
#include "message/danmaku_rules.h"

namespace barrage::http {

namespace {

constexpr std::int64_t kIdMax = INT64_MAX;
// Request ids are checked by the ledger (1..64 of [A-Za-z0-9_-:.]); this only bounds the copy.
constexpr std::size_t kRequestIdBytesMax = 256;
// An operator's reason, kept in the journal's memo with who gave it.
constexpr std::size_t kReasonBytesMax = 900;

template <class T>
Parsed<T> finish(const Fields& fields, T value) {
    if (fields.refusal()) {
        return *fields.refusal();
    }
    return value;
}

std::string reason_of(Fields& fields) {
    auto reason = fields.text("reason", kReasonBytesMax);
    if (reason.empty()) {
        // An audited action needs a reason someone can read later.
        fields.refuse(Errc::bad_request, "reason must not be empty");
    }
    return reason;
}

// A query parameter that must be a whole decimal number in min..max, if present.
Parsed<std::optional<std::int64_t>> query_number(std::string_view name, const std::optional<std::string>& text,
                                                 std::int64_t min, std::int64_t max) {
    if (!text) {
        return std::optional<std::int64_t>();
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < min || value > max) {
        return Refusal{make_error_code(Errc::bad_request),
                       fmt::format("{} must be a whole number in {}..{}", name, min, max)};
    }
    return std::optional<std::int64_t>(value);
}

}  // namespace

Parsed<room::RoomConfig> parse_room_request(std::string_view body) {
    Fields fields(body);
    room::RoomConfig config;
    config.id = RoomId{static_cast<std::uint64_t>(fields.integer("id", {.min = 1, .max = kIdMax}))};
    config.title = fields.text_or_empty("title", 1024);
    config.host = UserId{static_cast<std::uint64_t>(fields.integer_or("host", 0, {.min = 0, .max = kIdMax}))};
    for (auto uid : fields.ids_or_empty("managers", 1000)) {
        config.managers.push_back(UserId{uid});
    }
    return finish(fields, std::move(config));
}

namespace {

// One line of valid UTF-8 of min..max code points, or a refusal naming `key`.
std::string one_line(Fields& fields, std::string_view key, std::size_t min, std::size_t max) {
    auto text = fields.text(key, max * 4);
    if (fields.refusal()) {
        return {};
    }
    const auto points = utf8_code_points(text);
    if (!points || *points < min || *points > max || text.find_first_of("\r\n") != std::string::npos) {
        fields.refuse(Errc::bad_request, fmt::format("{} must be one line of {} to {} characters", key, min, max));
        return {};
    }
    return text;
}

}  // namespace

Parsed<LiveRequest> parse_live_request(std::string_view body) {
    Fields fields(body);
    LiveRequest request;
    if (!fields.refusal() && !fields.has("live")) {
        fields.refuse(Errc::bad_request, "live (true or false) is required");
    }
    request.live = fields.flag_or("live", false);
    if (fields.has("title")) {
        request.title = one_line(fields, "title", 1, kLiveTitleMax);
    }
    if (fields.has("area_id")) {
        request.area_id = fields.integer("area_id", {.min = 0, .max = INT32_MAX});
    }
    if (fields.has("area_name")) {
        request.area_name = one_line(fields, "area_name", 0, kAreaNameMax);
    }
    return finish(fields, std::move(request));
}

Parsed<DebugEventRequest> parse_debug_event(std::string_view body) {
    Fields fields(body);
    DebugEventRequest request;
    request.kind = fields.text("kind", 16);
    request.uname = fields.has("uname") ? one_line(fields, "uname", 1, 20) : std::string("debug-viewer");
    if (request.kind == "danmaku") {
        request.text = one_line(fields, "text", 1, 100);
    } else if (request.kind == "gift") {
        request.gift_id = static_cast<std::uint64_t>(fields.integer("gift_id", {.min = 1, .max = kIdMax}));
        request.gift_name = one_line(fields, "gift_name", 1, 20);
        request.count = static_cast<std::uint32_t>(fields.integer_or("count", 1, {.min = 1, .max = 9999}));
        request.price = fields.integer_or("price", 0, {.min = 0, .max = 1'000'000});
        request.interactive = fields.flag_or("interactive", false);
    } else if (request.kind == "super_chat") {
        request.text = one_line(fields, "text", 1, 100);
        request.price_yuan = fields.integer("price_yuan", {.min = 1, .max = 100'000});
    } else if (request.kind == "guard") {
        request.level = static_cast<std::uint8_t>(fields.integer("level", {.min = 1, .max = 3}));
        request.months = static_cast<std::uint32_t>(fields.integer_or("months", 1, {.min = 1, .max = 120}));
    } else if (request.kind == "like") {
        request.count = static_cast<std::uint32_t>(fields.integer_or("count", 1, {.min = 1, .max = 1000}));
    } else if (!fields.refusal()) {
        fields.refuse(Errc::bad_request, "kind must be danmaku, gift, super_chat, guard or like");
    }
    return finish(fields, std::move(request));
}

Parsed<GiftRequest> parse_gift_request(std::string_view body) {
    Fields fields(body);
    GiftRequest request;
    request.gift_id =
        static_cast<std::uint64_t>(fields.integer("gift_id", {.min = 1, .max = kIdMax, .invalid = Errc::unknown_gift}));
    request.count = static_cast<std::uint32_t>(
        fields.integer_or("count", 1, {.min = 0, .max = UINT32_MAX, .invalid = Errc::bad_count}));
    request.request_id = fields.text("request_id", kRequestIdBytesMax);
    return finish(fields, std::move(request));
}

Parsed<SuperChatRequest> parse_super_chat_request(std::string_view body) {
    Fields fields(body);
    SuperChatRequest request;
    request.price_yuan = fields.integer("price_yuan", {.min = 0, .max = economy::kSuperChatYuanMax});
    request.text = fields.text("message", 4096);
    request.request_id = fields.text("request_id", kRequestIdBytesMax);
    return finish(fields, std::move(request));
}

Parsed<GuardRequest> parse_guard_request(std::string_view body) {
    Fields fields(body);
    GuardRequest request;
    request.level = static_cast<std::uint8_t>(fields.integer("level", {.min = 0, .max = 255}));
    request.months = static_cast<std::uint32_t>(
        fields.integer_or("months", 1, {.min = 0, .max = UINT32_MAX, .invalid = Errc::bad_count}));
    request.request_id = fields.text("request_id", kRequestIdBytesMax);
    return finish(fields, std::move(request));
}

Parsed<GrantRequest> parse_grant_request(std::string_view body, std::int64_t coins_max) {
    Fields fields(body);
    GrantRequest request;
    request.uid = UserId{static_cast<std::uint64_t>(fields.integer("uid", {.min = 1, .max = kIdMax}))};
    request.coins = fields.integer("coins", {.min = 1, .max = coins_max, .invalid = Errc::bad_amount});
    request.reason = reason_of(fields);
    request.request_id = fields.text("request_id", kRequestIdBytesMax);
    return finish(fields, std::move(request));
}

Parsed<RefundRequest> parse_refund_request(std::string_view body) {
    Fields fields(body);
    RefundRequest request;
    request.order_id = fields.integer("order_id", {.min = 1, .max = kIdMax, .invalid = Errc::not_found});
    request.reason = reason_of(fields);
    return finish(fields, std::move(request));
}

Parsed<PaymentOrderRequest> parse_payment_order_request(std::string_view body, std::int64_t coins_max) {
    Fields fields(body);
    PaymentOrderRequest request;
    request.coins = fields.integer("coins", {.min = 1, .max = coins_max, .invalid = Errc::bad_amount});
    return finish(fields, request);
}

Parsed<economy::GiftSpec> parse_gift_spec(std::string_view body) {
    Fields fields(body);
    economy::GiftSpec spec;
    spec.id = static_cast<std::uint64_t>(fields.integer("id", {.min = 1, .max = kIdMax}));
    spec.name = fields.text("name", 1024);
    spec.price = fields.integer("price", {.min = 1, .max = economy::kGiftPriceMax, .invalid = Errc::bad_amount});
    spec.animated = fields.flag_or("animated", false);
    spec.comboable = fields.flag_or("comboable", true);
    spec.icon_url = fields.text_or_empty("icon_url", 4096);
    spec.effect_url = fields.text_or_empty("effect_url", 4096);
    spec.app_id = static_cast<std::uint64_t>(fields.integer_or("app_id", 0, {.min = 0, .max = kIdMax}));
    return finish(fields, std::move(spec));
}

namespace {

// One line of plain text within `code_points_max` (message::check_danmaku_text's rules: valid
// UTF-8, no control characters, not blank unless `blank_allowed`), or why not.
std::optional<std::string> line_refusal(std::string_view text, std::size_t code_points_max,
                                        bool blank_allowed = false) {
    auto checked = message::check_danmaku_text(text, {.code_points_max = code_points_max});
    if (checked || (blank_allowed && checked.error() == Errc::message_empty)) {
        return std::nullopt;
    }
    if (checked.error() == Errc::message_too_long) {
        return fmt::format("at most {} characters", code_points_max);
    }
    if (checked.error() == Errc::message_empty) {
        return std::string("blank");
    }
    return std::string(checked.error() == Errc::bad_utf8 ? "not valid UTF-8" : "holds a control character");
}

// Lines of plain text (blank ones too) broken by "\n" or "\r\n", within `code_points_max` in
// all, line breaks counted as the code points they are ("\r\n" two): the text is stored as
// sent, so its bound is on what is stored.
std::optional<std::string> paragraph_refusal(std::string_view text, std::size_t code_points_max) {
    std::size_t total = 0;
    while (true) {
        const auto newline = text.find('\n');
        auto line = text.substr(0, newline);
        if (newline != std::string_view::npos && line.ends_with('\r')) {
            line.remove_suffix(1);
            ++total;
        }
        if (!line.empty()) {
            if (auto refused = line_refusal(line, code_points_max, true)) {
                return refused;
            }
            total += utf8_code_points(line).value_or(0);
        }
        total += newline == std::string_view::npos ? 0 : 1;
        if (total > code_points_max) {
            return fmt::format("at most {} characters", code_points_max);
        }
        if (newline == std::string_view::npos) {
            return std::nullopt;
        }
        text.remove_prefix(newline + 1);
    }
}

// An optional reason of one line; `required` refuses an absent or empty one.
std::string open_reason_of(Fields& fields, bool required) {
    auto reason = fields.text_or_empty("reason", 4 * kOpenReasonCodePointsMax);
    if (reason.empty()) {
        if (required) {
            fields.refuse(Errc::bad_request, "reason is required: say why");
        }
        return reason;
    }
    if (auto refused = line_refusal(reason, kOpenReasonCodePointsMax)) {
        fields.refuse(Errc::bad_request, "reason must be one line of plain text: " + *refused);
    }
    return reason;
}

}  // namespace

Parsed<AppRequest> parse_app_request(std::string_view body) {
    Fields fields(body);
    if (fields.refusal()) {
        return *fields.refusal();  // not a JSON object
    }
    AppRequest request;
    // Bytes bound the copy first (a code point is at most 4 bytes); a field that is missing, of
    // the wrong kind or far too long is that field's error.
    request.name = fields.text("name", 4 * kAppNameCodePointsMax);
    if (fields.refusal()) {
        return Refusal{make_error_code(Errc::bad_app_name), fields.refusal()->detail};
    }
    request.description = fields.text_or_empty("description", 4 * kAppDescriptionCodePointsMax);
    if (fields.refusal()) {
        return Refusal{make_error_code(Errc::bad_app_description), fields.refusal()->detail};
    }
    if (auto refused = line_refusal(request.name, kAppNameCodePointsMax)) {
        return Refusal{make_error_code(Errc::bad_app_name), "name must be one line of plain text: " + *refused};
    }
    if (auto refused = paragraph_refusal(request.description, kAppDescriptionCodePointsMax)) {
        return Refusal{make_error_code(Errc::bad_app_description), "description must be plain text: " + *refused};
    }
    return request;
}

Parsed<OpenGiftRequest> parse_open_gift_request(std::string_view body) {
    Fields fields(body);
    OpenGiftRequest request;
    request.name = fields.text("name", economy::kGiftNameBytesMax);
    request.price = fields.integer("price", {.min = 1, .max = economy::kGiftPriceMax, .invalid = Errc::bad_amount});
    request.asset_id = fields.integer("asset_id", {.min = 1, .max = INT64_MAX, .invalid = Errc::unknown_asset});
    request.effect_asset_id =
        fields.integer_or("effect_asset_id", 0, {.min = 0, .max = INT64_MAX, .invalid = Errc::unknown_asset});
    request.comboable = fields.flag_or("comboable", true);
    if (!fields.refusal()) {
        if (auto refused = line_refusal(request.name, economy::kGiftNameBytesMax)) {
            fields.refuse(Errc::bad_request, "name must be one line of plain text: " + *refused);
        }
    }
    return finish(fields, std::move(request));
}

Parsed<ReviewRequest> parse_review_request(std::string_view body) {
    Fields fields(body);
    ReviewRequest request;
    const auto decision = fields.text("decision", 16);
    if (!fields.refusal() && decision != "approve" && decision != "reject") {
        fields.refuse(Errc::bad_request, "decision must be \"approve\" or \"reject\"");
    }
    request.approve = decision == "approve";
    request.reason = open_reason_of(fields, !request.approve);
    return finish(fields, std::move(request));
}

Parsed<std::string> parse_developer_reason(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return std::string();  // no body: no reason given
    }
    Fields fields(body);
    auto reason = open_reason_of(fields, false);
    return finish(fields, std::move(reason));
}

Parsed<AppShareBody> parse_app_share_body(std::string_view body) {
    Fields fields(body);
    AppShareBody share;
    share.per_mille = static_cast<std::uint32_t>(fields.integer("per_mille", {.min = 0, .max = 1000}));
    share.effective_ms = fields.integer("effective_ms", {.min = 1, .max = std::int64_t{1} << 53});
    return finish(fields, share);
}

namespace {

// A page of rows older than `before` (an id), newest first: ?before=<id>&limit=N.
struct Page {
    std::int64_t before = INT64_MAX;
    std::size_t limit = 0;
};

Parsed<Page> page_query(const std::optional<std::string>& before, const std::optional<std::string>& limit,
                        std::size_t limit_default, std::size_t limit_max) {
    auto cursor = query_number("before", before, 1, kIdMax);
    if (!cursor) {
        return cursor.error();
    }
    auto size = query_number("limit", limit, 1, static_cast<std::int64_t>(limit_max));
    if (!size) {
        return size.error();
    }
    return Page{cursor->value_or(INT64_MAX),
                static_cast<std::size_t>(size->value_or(static_cast<std::int64_t>(limit_default)))};
}

}  // namespace

Parsed<WalletQuery> parse_wallet_query(const std::optional<std::string>& before,
                                       const std::optional<std::string>& limit) {
    auto page = page_query(before, limit, kWalletPageDefault, kWalletPageMax);
    if (!page) {
        return page.error();
    }
    return WalletQuery{page->before, page->limit};
}

Parsed<AuditQuery> parse_audit_query(const std::optional<std::string>& before,
                                     const std::optional<std::string>& limit) {
    auto page = page_query(before, limit, kAuditPageDefault, kAuditPageMax);
    if (!page) {
        return page.error();
    }
    return AuditQuery{page->before, page->limit};
}

namespace {

// A day parameter: yyyymmdd of a real calendar day, if present.
Parsed<std::optional<std::int32_t>> query_day(std::string_view name, const std::optional<std::string>& text) {
    auto number = query_number(name, text, 0, kIdMax);
    if (!number || !*number) {
        return number ? Parsed<std::optional<std::int32_t>>(std::optional<std::int32_t>())
                      : Parsed<std::optional<std::int32_t>>(number.error());
    }
    if (text->size() != 8 || !is_utc_day(**number)) {
        return Refusal{make_error_code(Errc::bad_request), fmt::format("{} must be a UTC day as YYYYMMDD", name)};
    }
    return std::optional<std::int32_t>(static_cast<std::int32_t>(**number));
}

}  // namespace

Parsed<EarningsQuery> parse_earnings_query(const std::optional<std::string>& from, const std::optional<std::string>& to,
                                           const std::optional<std::string>& uid) {
    EarningsQuery query;
    auto first = query_day("from", from);
    if (!first) {
        return first.error();
    }
    auto last = query_day("to", to);
    if (!last) {
        return last.error();
    }
    auto whose = query_number("uid", uid, 1, kIdMax);
    if (!whose) {
        return whose.error();
    }
    if (*first && *last && **last < **first) {
        return Refusal{make_error_code(Errc::bad_request), "to must not be before from"};
    }
    query.from_day = *first;
    query.to_day = *last;
    if (*whose) {
        query.uid = UserId{static_cast<std::uint64_t>(**whose)};
    }
    return query;
}

}  // namespace barrage::http
