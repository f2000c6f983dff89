#include "payments/order_id.h"

#include <fmt/format.h>

#include "crypto/constant_time.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"
#include "crypto/random.h"

namespace barrage::payments {

namespace {

constexpr std::size_t kNonceBytes = 8;
constexpr std::size_t kMacBytes = 8;

std::string order_mac(std::string_view key, std::string_view signed_part) {
    return crypto::to_hex(crypto::bytes_of(crypto::hmac_sha256(key, signed_part)).substr(0, kMacBytes));
}

}  // namespace

std::string issue_order_id(std::string_view key, UserId uid, std::int64_t coins) {
    auto signed_part = fmt::format("{}.{}.{}", uid.value, coins, crypto::random_hex(kNonceBytes));
    return signed_part + "." + order_mac(key, signed_part);
}

Result<std::string> check_order_id(std::string_view key, std::string_view order_id, UserId uid, std::int64_t coins) {
    const auto unknown = make_error_code(Errc::unknown_order);
    const auto prefix = fmt::format("{}.{}.", uid.value, coins);
    const auto last_dot = order_id.rfind('.');
    if (!order_id.starts_with(prefix) || last_dot == std::string_view::npos || last_dot <= prefix.size()) {
        return unknown;
    }
    const auto signed_part = order_id.substr(0, last_dot);
    if (!crypto::equal_in_constant_time(order_id.substr(last_dot + 1), order_mac(key, signed_part))) {
        return unknown;
    }
    return std::string(order_id.substr(prefix.size(), last_dot - prefix.size()));
}

}  // namespace barrage::payments
