#include "economy/guard.h"

#include <algorithm>
#include <limits>

namespace barrage::economy {

namespace {

constexpr std::array<std::string_view, 3> kGuardNames{"总督", "提督", "舰长"};
// ¥ per month, indexed by level - 1.
constexpr std::array<std::int64_t, 3> kGuardYuanPerMonth{19'998, 1'998, 198};

constexpr Coins kGuardMonthlyPriceMax = kCoinsMax / kGuardMonthsMax;

std::size_t index_of(std::uint8_t level) {
    return static_cast<std::size_t>(level - 1);
}

}  // namespace

bool is_guard_level(std::uint8_t level) {
    return level >= kGuardGovernor && level <= kGuardCaptain;
}

std::string_view guard_name(std::uint8_t level) {
    return is_guard_level(level) ? kGuardNames[index_of(level)] : std::string_view{};
}

Result<GuardPrices> GuardPrices::defaults(std::int64_t coins_per_yuan) {
    std::array<Coins, 3> monthly{};
    for (std::size_t i = 0; i < monthly.size(); ++i) {
        auto coins = yuan_to_coins(kGuardYuanPerMonth[i], coins_per_yuan);
        if (!coins) {
            return coins.error();
        }
        monthly[i] = *coins;
    }
    return make(monthly);
}

Result<GuardPrices> GuardPrices::make(std::array<Coins, 3> monthly_by_level) {
    const bool in_range =
        std::ranges::all_of(monthly_by_level, [](Coins coins) { return coins >= 1 && coins <= kGuardMonthlyPriceMax; });
    if (!in_range) {
        return make_error_code(Errc::bad_amount);
    }
    return GuardPrices{monthly_by_level};
}

Result<Coins> GuardPrices::monthly_price(std::uint8_t level) const {
    if (!is_guard_level(level)) {
        return make_error_code(Errc::bad_request);
    }
    return monthly_[index_of(level)];
}

Result<Coins> GuardPrices::price(std::uint8_t level, std::uint32_t months) const {
    if (!is_guard_level(level)) {
        return make_error_code(Errc::bad_request);
    }
    if (months < 1 || months > kGuardMonthsMax) {
        return make_error_code(Errc::bad_count);
    }
    return monthly_[index_of(level)] * static_cast<Coins>(months);
}

Result<GuardMembership> extend(std::optional<GuardMembership> current, std::uint8_t level, std::uint32_t months,
                               Millis now_ms) {
    if (!is_guard_level(level)) {
        return make_error_code(Errc::bad_request);
    }
    if (months < 1 || months > kGuardMonthsMax) {
        return make_error_code(Errc::bad_count);
    }
    const std::uint8_t active = active_level(current, now_ms);
    const Millis start_ms = active == 0 ? now_ms : std::max(now_ms, current->expires_ms);
    const Millis added_ms = kGuardMonthMs * static_cast<Millis>(months);
    if (start_ms > std::numeric_limits<Millis>::max() - added_ms) {
        return make_error_code(Errc::bad_request);
    }
    const std::uint8_t new_level = active == 0 ? level : std::min(active, level);
    return GuardMembership{.level = new_level, .expires_ms = start_ms + added_ms};
}

std::uint8_t active_level(const std::optional<GuardMembership>& membership, Millis now_ms) {
    if (!membership || now_ms >= membership->expires_ms) {
        return 0;
    }
    return membership->level;
}

bool is_downgrade(const std::optional<GuardMembership>& current, std::uint8_t level, Millis now_ms) {
    const std::uint8_t active = active_level(current, now_ms);
    return active != 0 && level > active;
}

}  // namespace barrage::economy
