#pragma once

// How a gift's coins are shared between the streamer and the platform.

#include <cstdint>

#include "economy/coins.h"

namespace barrage::economy {

struct Split {
    Coins streamer = 0;
    Coins platform = 0;
    bool operator==(const Split&) const = default;
};

inline constexpr std::uint32_t kPerMille = 1000;

// True for a share the configuration may hold: 0..1000 per mille.
constexpr bool valid_share_per_mille(std::uint32_t share) {
    return share <= kPerMille;
}

// Splits `total` coins: streamer = floor(total × share / 1000), platform = the rest, so the
// two always add up to total exactly and the rounding coin goes to the platform.
// `total` must be in 0..kCoinsMax and the share valid (configuration is checked at start-up
// with valid_share_per_mille, orders are checked by the ledger): anything else is our bug and
// asserts. Never overflows: kCoinsMax × 1000 fits in 64 bits (coins.h).
Split split_fee(Coins total, std::uint32_t streamer_share_per_mille);

}  // namespace barrage::economy
