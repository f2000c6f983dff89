#pragma once

// Payment order ids: what a user is given to pay, and what the provider's callback names.
//
// An id is "<uid>.<coins>.<nonce>.<mac>": the nonce is 8 random bytes in hex, the MAC the first
// 8 bytes of HMAC-SHA256 over the rest under the server's order key, in hex. It authenticates
// itself, so a callback naming an order we never issued (or one for another user or amount)
// is refused without a table of issued orders; 64 bits of MAC are unforgeable enough for that
// and short enough to carry in a payment provider's reference field.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/result.h"

namespace barrage::payments {

std::string issue_order_id(std::string_view key, UserId uid, std::int64_t coins);

// The order's nonce (unique per order: what makes a top-up idempotent) when `order_id` was
// issued under `key` for exactly `uid` and `coins`; Errc::unknown_order otherwise.
Result<std::string> check_order_id(std::string_view key, std::string_view order_id, UserId uid, std::int64_t coins);

}  // namespace barrage::payments
