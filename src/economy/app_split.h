#pragma once

// How an interactive gift's coins are shared between the streamer, the app that owns the gift
// and the platform.

#include <cstdint>

#include "economy/coins.h"

namespace barrage::economy {

struct AppSplit {
    Coins streamer = 0;
    Coins app = 0;
    Coins platform = 0;
    bool operator==(const AppSplit&) const = default;
};

// The app's cut of the platform's part of a gift: floor(platform_part × app_per_mille / 1000).
// The app's share comes out of the platform's part, never the streamer's: a streamer earns the
// same from an interactive gift as from any other gift of that price.
// `platform_part` must be in 0..kCoinsMax and the share valid (0..1000): anything else is our
// bug and asserts. Never overflows (kCoinsMax × 1000 fits in 64 bits).
Coins app_cut(Coins platform_part, std::uint32_t app_per_mille);

// Splits `total`: streamer = floor(total × streamer_share / 1000) (split_fee), then
// app = app_cut(total − streamer, app_per_mille), platform = the rest. The three add up to
// total exactly; every rounding coin goes to the platform.
AppSplit split_app_gift(Coins total, std::uint32_t streamer_share_per_mille, std::uint32_t app_per_mille);

}  // namespace barrage::economy
