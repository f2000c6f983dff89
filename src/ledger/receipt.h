#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "ledger/account.h"
#include "ledger/coins.h"

namespace barrage::ledger {

struct AccountBalance {
    AccountId account;
    Coins balance = 0;
    bool operator==(const AccountBalance&) const = default;
};

struct CounterValue {
    std::string name;
    Coins value = 0;
    bool operator==(const CounterValue&) const = default;
};

// What a committed order did. A retry of the same request gets the same receipt with
// `replayed` set; everything else is identical, byte for byte, because it is read back from
// the idempotency record written with the order.
struct Receipt {
    std::int64_t order_id = 0;  // journal order id, increasing with commit order
    Millis committed_ms = 0;    // wall clock of the batch that committed it
    bool replayed = false;      // answered from the idempotency record; nothing moved
    // Balances right after this order, for every account its legs touched, in first-touch
    // order (the first leg's debit account first).
    std::vector<AccountBalance> balances;
    // Counter values right after this order's bumps, in bump order.
    std::vector<CounterValue> counters;
    // Replays only: the caller's Annotation of the first answer, "" when none was recorded (not
    // yet durable, or never made). Kept beside the stored receipt, not in it.
    std::string annotation;

    bool operator==(const Receipt&) const = default;

    // The balance of an account this order touched, if it touched it.
    const AccountBalance* find(AccountId account) const;
};

// The stored form of a receipt (JSON, without `replayed` and `annotation`), and back. A stored
// receipt that does not parse is Errc::internal: the idempotency table was damaged.
std::string serialise(const Receipt& receipt);
Result<Receipt> parse_receipt(std::string_view text);

}  // namespace barrage::ledger
