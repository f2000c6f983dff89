#include "payments/callback.h"

#include <array>
#include <charconv>

#include <boost/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace barrage::payments {

namespace json = boost::json;

std::string sign_callback(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string message;
    message.reserve(timestamp.size() + 1 + body.size());
    message.append(timestamp).append(".").append(body);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
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

Result<Callback> verify_callback(const CallbackRules& rules, std::string_view timestamp,
                                 std::string_view signature, std::string_view body, const Clock& clock) {
    auto expected = sign_callback(rules.secret, timestamp, body);
    if (rules.secret.empty() || signature.size() != expected.size() ||
        CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
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
