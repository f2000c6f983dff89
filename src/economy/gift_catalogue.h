#pragma once

// The gift catalogue: what viewers can send, at what price, with which art.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "economy/coins.h"

namespace barrage::economy {

// Limits on what the admin API may put in the catalogue (it grows from outside input).
// A real site sells hundreds of gifts; ten thousand leaves room and bounds every snapshot copy.
inline constexpr std::size_t kGiftsMax = 10'000;
// Names are shown in banners; 64 bytes is 21 CJK characters, longer ones do not fit anyway.
inline constexpr std::size_t kGiftNameBytesMax = 64;
// Icon and effect URLs; browsers accept far longer, but ours point at an asset library.
inline constexpr std::size_t kGiftUrlBytesMax = 2048;
// ¥1,000,000 per gift at the default rate: above any gift anyone sells.
inline constexpr Coins kGiftPriceMax = 1'000'000'000;
// Gifts in one order; Bilibili's largest batch button is 3344, a script may send more, but an
// order of more than 100,000 is a mistake.
inline constexpr std::uint32_t kGiftCountMax = 100'000;
// So an order's price (price × count) can never pass kCoinsMax or overflow.
static_assert(kGiftPriceMax * kGiftCountMax <= kCoinsMax);

// Gift ids from here up are the open platform's interactive gifts: kInteractiveGiftIdMin plus
// the gift's row in the database (store/open_gifts.h). The operator's catalogue (config and the
// admin API) takes ids below it, so the two can never collide. 10^9 leaves the operator nine
// digits and keeps every id within a signed 32-bit integer (ids up to 2^31 - 1 give 1.1 billion
// interactive gifts), which any client's JSON parser reads exactly.
inline constexpr std::uint64_t kInteractiveGiftIdMin = 1'000'000'000;
inline constexpr std::uint64_t kInteractiveGiftIdMax = 2'147'483'647;
constexpr bool is_interactive_gift_id(std::uint64_t id) {
    return id >= kInteractiveGiftIdMin;
}

struct GiftSpec {
    std::uint64_t id = 0;      // > 0; the web dialect's giftId
    std::string name{};        // UTF-8, non-empty
    Coins price = 0;           // coins per gift, 1..kGiftPriceMax
    bool animated = false;     // plays a full-screen effect (lane B of seed 003)
    std::string icon_url{};    // static art (gift_info.img_basic)
    std::string effect_url{};  // animation; non-empty exactly when animated
    bool comboable = true;     // repeated sends merge into a combo
    std::uint64_t app_id = 0;  // open-platform app of an interactive gift; 0 = none
    bool operator==(const GiftSpec&) const = default;
};

// Checks a spec as the admin API receives it. Errc::bad_amount for a price outside
// 1..kGiftPriceMax; Errc::bad_request for id 0, a name that is empty, too long or not UTF-8, a
// URL too long or not UTF-8, or an effect URL that disagrees with `animated` (clients decide
// the lane by whether the effect URL is empty, seed 003, so the two must agree).
Status validate(const GiftSpec& spec);

// Coins for `count` gifts of `spec`: Errc::bad_count when count is outside 1..kGiftCountMax.
// Exact and overflow-free for any valid spec (see the static_assert above).
Result<Coins> order_price(const GiftSpec& spec, std::uint32_t count);

// An immutable snapshot of the catalogue, ordered by gift id. Immutable once built, so safe
// from any thread: share it as shared_ptr<const GiftCatalogue> and let the admin API publish
// a new snapshot made by `with` instead of changing one that readers hold.
class GiftCatalogue {
public:
    GiftCatalogue() = default;  // empty

    // A catalogue of `specs`: each valid, ids unique, at most kGiftsMax of them.
    // Errc::bad_request for a duplicate id or too many gifts, else validate's error.
    static Result<GiftCatalogue> make(std::vector<GiftSpec> specs);

    // The gift with `id`, or null. The pointer lives as long as this snapshot.
    const GiftSpec* find(std::uint64_t id) const;

    // A new snapshot with `spec` added, or replacing the gift with the same id. This snapshot
    // is unchanged. Errc::bad_request when adding would pass kGiftsMax, else validate's error.
    Result<GiftCatalogue> with(GiftSpec spec) const;

    std::span<const GiftSpec> specs() const { return specs_; }
    std::size_t size() const { return specs_.size(); }

private:
    explicit GiftCatalogue(std::vector<GiftSpec> sorted_specs);

    std::vector<GiftSpec> specs_;  // sorted by id, ids unique
};

}  // namespace barrage::economy
