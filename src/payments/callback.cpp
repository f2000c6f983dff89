#include "payments/callback.h"

#include <charconv>

#include <boost/json.hpp>

#include "crypto/constant_time.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"

namespace barrage::payments {

namespace json = boost::json;

std::string sign_callback(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string message;
    message.reserve(timestamp.size() + 1 + body.size());
    message.append(timestamp).append(".").append(body);
    return crypto::to_hex(crypto::bytes_of(crypto::hmac_sha256(secret, message)));
}

namespace {

Result<Callback> parse_body(const CallbackRules& rules, std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        return make_error_code(Errc::bad_request);
    }
    const auto& object = parsed.as_object();
    const auto* order = object.if_contains("order_id");
    const auto* uid = object.if_contains("uid");
    const auto* coins = object.if_contains("coins");
    const auto* status = object.if_contains("status");
    if (order == nullptr || !order->is_string() || order->as_string().empty() || uid == nullptr ||
        !(uid->is_int64() || uid->is_uint64()) || coins == nullptr || !(coins->is_int64() || coins->is_uint64()) ||
        status == nullptr || !status->is_string() || status->as_string() != "paid") {
        return make_error_code(Errc::bad_request);
    }
    auto uid_value = uid->to_number<std::int64_t>(ec);
    auto coins_value = coins->to_number<std::int64_t>(ec);
    if (ec || uid_value <= 0) {
        return make_error_code(Errc::bad_request);
    }
    if (coins_value <= 0 || coins_value > rules.coins_max) {
        return make_error_code(Errc::bad_amount);
    }
    return Callback{std::string(order->as_string()), UserId{static_cast<std::uint64_t>(uid_value)}, coins_value};
}

}  // namespace

Result<Callback> verify_callback(const CallbackRules& rules, std::string_view timestamp, std::string_view signature,
                                 std::string_view body, const Clock& clock) {
    if (rules.secret.empty() ||
        !crypto::equal_in_constant_time(signature, sign_callback(rules.secret, timestamp, body))) {
        return make_error_code(Errc::bad_payment_signature);
    }
    std::int64_t seconds = 0;
    auto [end, parse_error] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), seconds);
    if (parse_error != std::errc{} || end != timestamp.data() + timestamp.size()) {
        return make_error_code(Errc::payment_replayed);
    }
    std::int64_t now_s = clock.wall_ms() / 1000;
    if (seconds < now_s - rules.window_s || seconds > now_s + rules.window_s) {
        return make_error_code(Errc::payment_replayed);
    }
    return parse_body(rules, body);
}

}  // namespace barrage::payments
