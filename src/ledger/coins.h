#pragma once

#include <cstdint>

namespace barrage::ledger {

// An amount of money: a whole number of coins, never floating point, so no coin can be created
// or lost by rounding. Signed because the external account goes negative by design.
using Coins = std::int64_t;

}  // namespace barrage::ledger
