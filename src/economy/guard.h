#pragma once

// Guard memberships (大航海): three tiers bought by the month, per room.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/ids.h"
#include "base/result.h"
#include "economy/coins.h"

namespace barrage::economy {

// Levels count down from the top tier, as on Bilibili (and in message::Sender::guard_level):
// a smaller non-zero number is the higher rank; 0 is no membership.
inline constexpr std::uint8_t kGuardGovernor = 1;  // 总督
inline constexpr std::uint8_t kGuardAdmiral = 2;   // 提督
inline constexpr std::uint8_t kGuardCaptain = 3;   // 舰长

// A month of membership is 30 days, whatever the calendar says, so renewals add up exactly.
inline constexpr Millis kGuardMonthMs = 30LL * 24 * 60 * 60 * 1000;
// Months in one purchase: Bilibili sells up to a year at once; ten years bounds a mistake.
inline constexpr std::uint32_t kGuardMonthsMax = 120;

// True for 1, 2 and 3.
bool is_guard_level(std::uint8_t level);

// "总督", "提督", "舰长"; "" for 0 and unknown levels.
std::string_view guard_name(std::uint8_t level);

// Monthly prices of the three tiers, in coins. Immutable once built: safe from any thread.
class GuardPrices {
public:
    // Bilibili's ¥19998 / ¥1998 / ¥198 a month (levels 1/2/3) at `coins_per_yuan`.
    // Errc::bad_amount for a rate outside 1..kCoinsPerYuanMax.
    static Result<GuardPrices> defaults(std::int64_t coins_per_yuan = kCoinsPerYuanDefault);

    // Prices indexed by level - 1 (governor, admiral, captain). Each in 1..kCoinsMax /
    // kGuardMonthsMax so a whole purchase fits kCoinsMax; Errc::bad_amount otherwise.
    static Result<GuardPrices> make(std::array<Coins, 3> monthly_by_level);

    // Errc::bad_request for an unknown level.
    Result<Coins> monthly_price(std::uint8_t level) const;

    // Coins for `months` of `level`: Errc::bad_count for months outside 1..kGuardMonthsMax,
    // Errc::bad_request for an unknown level. Exact and overflow-free.
    Result<Coins> price(std::uint8_t level, std::uint32_t months) const;

private:
    explicit GuardPrices(std::array<Coins, 3> monthly_by_level) : monthly_(monthly_by_level) {}

    std::array<Coins, 3> monthly_;  // index level - 1
};

// One user's membership in one room.
struct GuardMembership {
    std::uint8_t level = 0;  // 1..3
    Millis expires_ms = 0;   // wall clock; the membership ends at this instant
    bool operator==(const GuardMembership&) const = default;
};

// The membership after buying `months` of `level` at wall time `now_ms`.
//  - Time adds up: the new months start at the later of now and the current expiry, so
//    renewing early loses nothing and a lapsed membership restarts from now.
//  - Buying a higher tier (smaller number) upgrades at once; the time left is kept and
//    counts at the new tier.
//  - Buying a lower tier while a higher one is active keeps the higher tier and still adds
//    the months. Our choice: one expiry per user and room keeps the model a single row that
//    only ever grows, and a viewer who paid never loses rank. It gives the months at the
//    higher tier for the lower price; an operator who minds refuses such a purchase upstream
//    with is_downgrade() instead of charging for it.
// Errc::bad_count for months outside 1..kGuardMonthsMax; Errc::bad_request for an unknown
// level or an expiry that would not fit in Millis.
Result<GuardMembership> extend(std::optional<GuardMembership> current, std::uint8_t level, std::uint32_t months,
                               Millis now_ms);

// The level in force at `now_ms`: 0 when there is none or it has expired.
std::uint8_t active_level(const std::optional<GuardMembership>& membership, Millis now_ms);

// True when buying `level` now would not raise an active membership's tier (see extend).
bool is_downgrade(const std::optional<GuardMembership>& current, std::uint8_t level, Millis now_ms);

}  // namespace barrage::economy
