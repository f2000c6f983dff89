#pragma once

// Super chat (醒目留言) price tiers: the more a viewer pays, the longer the card stays pinned.

#include <cstdint>
#include <span>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "economy/coins.h"

namespace barrage::economy {

struct SuperChatTier {
    std::int64_t price_yuan_min = 0;  // the tier applies from this price up, > 0
    Millis pinned_ms = 0;             // how long the card stays pinned, > 0
    bool operator==(const SuperChatTier&) const = default;
};

// At most this many tiers; Bilibili has six.
inline constexpr std::size_t kSuperChatTiersMax = 32;
// ¥1,000,000: above any super chat anyone pays, and it keeps price × rate within kCoinsMax.
inline constexpr std::int64_t kSuperChatYuanMax = 1'000'000;
// A card pinned longer than a day is a configuration mistake.
inline constexpr Millis kSuperChatPinnedMsMax = 24LL * 60 * 60 * 1000;
static_assert(kSuperChatYuanMax * kCoinsPerYuanMax <= kCoinsMax);

// The tier table, as data (configurable). Immutable once built: safe from any thread.
class SuperChatTiers {
public:
    // Bilibili's: ¥30/50/100/500/1000/2000 pin for 1/2/5/30/60/120 minutes.
    static SuperChatTiers defaults();

    // Tiers with strictly increasing prices in 1..kSuperChatYuanMax and non-decreasing
    // durations in 1..kSuperChatPinnedMsMax (paying more never pins for less), 1 to
    // kSuperChatTiersMax of them. Errc::bad_request otherwise.
    static Result<SuperChatTiers> make(std::vector<SuperChatTier> tiers);

    // How long a super chat of `price_yuan` stays pinned: the highest tier the price reaches.
    // Errc::below_minimum_price under the lowest tier; Errc::bad_amount above
    // kSuperChatYuanMax.
    Result<Millis> pinned_duration_ms(std::int64_t price_yuan) const;

    std::int64_t minimum_price_yuan() const { return tiers_.front().price_yuan_min; }
    std::span<const SuperChatTier> tiers() const { return tiers_; }

private:
    explicit SuperChatTiers(std::vector<SuperChatTier> tiers);

    std::vector<SuperChatTier> tiers_;  // ascending price, never empty
};

}  // namespace barrage::economy
