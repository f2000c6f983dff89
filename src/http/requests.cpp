#include "http/requests.h"

#include <charconv>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "economy/super_chat_tiers.h"

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

Parsed<WalletQuery> parse_wallet_query(const std::optional<std::string>& before,
                                       const std::optional<std::string>& limit) {
    WalletQuery query;
    auto cursor = query_number("before", before, 1, kIdMax);
    if (!cursor) {
        return cursor.error();
    }
    auto size = query_number("limit", limit, 1, static_cast<std::int64_t>(kWalletPageMax));
    if (!size) {
        return size.error();
    }
    query.before = cursor->value_or(INT64_MAX);
    query.limit = static_cast<std::size_t>(size->value_or(static_cast<std::int64_t>(kWalletPageDefault)));
    return query;
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
