#pragma once

// Coins: the one unit of money in Barrage. Every price, balance and share is an integer count
// of coins; yuan exist only at the edges (super chat tiers, guard prices, display), converted
// exactly by an integer rate. No floating point touches money anywhere.

#include <cstdint>
#include <limits>

#include "base/result.h"

namespace barrage::economy {

using Coins = std::int64_t;

// Largest amount any single price, order or balance may reach: 10^15 coins is ¥10^12 at the
// default rate, far beyond any real order, and small enough that amount × 1000 (a per-mille
// share) still fits in 64 bits, so fee splits need no wider arithmetic.
inline constexpr Coins kCoinsMax = 1'000'000'000'000'000;
static_assert(kCoinsMax <= std::numeric_limits<Coins>::max() / 1000);

// Like Bilibili's 1000 gold = ¥1.
inline constexpr std::int64_t kCoinsPerYuanDefault = 1000;

// A sane rate: at least one coin per yuan, and not so many that a ¥1 price is out of range.
inline constexpr std::int64_t kCoinsPerYuanMax = 1'000'000;

// Coins for `yuan` at `coins_per_yuan`, exactly. Errc::bad_amount when yuan is negative, the
// rate is outside 1..kCoinsPerYuanMax, or the result would pass kCoinsMax.
Result<Coins> yuan_to_coins(std::int64_t yuan, std::int64_t coins_per_yuan);

// Whole yuan in `coins`. Errc::bad_amount when coins is negative or over kCoinsMax, the rate is
// out of range, or coins is not a whole number of yuan: a price that cannot be shown exactly
// in yuan is refused rather than rounded.
Result<std::int64_t> coins_to_yuan(Coins coins, std::int64_t coins_per_yuan);

}  // namespace barrage::economy
