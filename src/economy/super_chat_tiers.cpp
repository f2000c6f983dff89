#include "economy/super_chat_tiers.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "base/assert.h"

namespace barrage::economy {

namespace {

constexpr Millis kMinuteMs = 60 * 1000;

bool valid_tier(const SuperChatTier& tier) {
    return tier.price_yuan_min >= 1 && tier.price_yuan_min <= kSuperChatYuanMax && tier.pinned_ms >= 1 &&
           tier.pinned_ms <= kSuperChatPinnedMsMax;
}

// Each tier costs more than the one before and pins at least as long.
bool ordered(const SuperChatTier& lower, const SuperChatTier& higher) {
    return lower.price_yuan_min < higher.price_yuan_min && lower.pinned_ms <= higher.pinned_ms;
}

}  // namespace

SuperChatTiers::SuperChatTiers(std::vector<SuperChatTier> tiers) : tiers_(std::move(tiers)) {
    BARRAGE_ASSERT(!tiers_.empty());
}

SuperChatTiers SuperChatTiers::defaults() {
    return SuperChatTiers{{
        {.price_yuan_min = 30, .pinned_ms = 1 * kMinuteMs},
        {.price_yuan_min = 50, .pinned_ms = 2 * kMinuteMs},
        {.price_yuan_min = 100, .pinned_ms = 5 * kMinuteMs},
        {.price_yuan_min = 500, .pinned_ms = 30 * kMinuteMs},
        {.price_yuan_min = 1000, .pinned_ms = 60 * kMinuteMs},
        {.price_yuan_min = 2000, .pinned_ms = 120 * kMinuteMs},
    }};
}

Result<SuperChatTiers> SuperChatTiers::make(std::vector<SuperChatTier> tiers) {
    if (tiers.empty() || tiers.size() > kSuperChatTiersMax || !std::ranges::all_of(tiers, valid_tier)) {
        return make_error_code(Errc::bad_request);
    }
    for (std::size_t i = 1; i < tiers.size(); ++i) {
        if (!ordered(tiers[i - 1], tiers[i])) {
            return make_error_code(Errc::bad_request);
        }
    }
    return SuperChatTiers{std::move(tiers)};
}

Result<Millis> SuperChatTiers::pinned_duration_ms(std::int64_t price_yuan) const {
    if (price_yuan > kSuperChatYuanMax) {
        return make_error_code(Errc::bad_amount);
    }
    if (price_yuan < minimum_price_yuan()) {
        return make_error_code(Errc::below_minimum_price);
    }
    // The last tier whose floor the price reaches; there is one, the price reaches the first.
    const auto above = std::ranges::upper_bound(tiers_, price_yuan, {}, &SuperChatTier::price_yuan_min);
    return std::prev(above)->pinned_ms;
}

}  // namespace barrage::economy
