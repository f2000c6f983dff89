#pragma once

// A payment provider's callback: "order O of user U is paid, credit C coins".
//
//   POST /api/v1/payments/callback
//   X-Payment-Timestamp: <Unix seconds>
//   X-Payment-Signature: <lowercase hex HMAC-SHA256(provider secret, timestamp + "." + raw body)>
//   {"order_id":"<our order id>","uid":3,"coins":1000,"status":"paid"}
//
// The timestamp is signed with the body so a captured callback cannot be replayed later;
// the order id makes a redelivered callback credit nothing more (the ledger request id is
// derived from it).

#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"

namespace barrage::payments {

struct Callback {
    std::string order_id;
    UserId uid;
    std::int64_t coins = 0;
};

struct CallbackRules {
    std::string secret;                    // the provider's shared secret
    std::int64_t window_s = 300;           // accepted clock difference either way
    std::int64_t coins_max = 100'000'000;  // one top-up at most
};

// Lowercase hex HMAC-SHA256(secret, timestamp + "." + body): what the provider sends.
std::string sign_callback(std::string_view secret, std::string_view timestamp, std::string_view body);

// Checks signature (constant time; Errc::bad_payment_signature), timestamp window
// (Errc::payment_replayed) and body shape (Errc::bad_request; coins outside 1..coins_max is
// Errc::bad_amount; a status other than "paid" is Errc::bad_request).
Result<Callback> verify_callback(const CallbackRules& rules, std::string_view timestamp, std::string_view signature,
                                 std::string_view body, const Clock& clock);

}  // namespace barrage::payments
