#include "economy/app_split.h"

#include "base/assert.h"
#include "economy/fee_split.h"

namespace barrage::economy {

Coins app_cut(Coins platform_part, std::uint32_t app_per_mille) {
    BARRAGE_ASSERT(platform_part >= 0 && platform_part <= kCoinsMax);
    BARRAGE_ASSERT(valid_share_per_mille(app_per_mille));
    // Non-negative operands: integer division is the floor.
    const Coins cut = platform_part * static_cast<Coins>(app_per_mille) / kPerMille;
    BARRAGE_ASSERT(cut >= 0 && cut <= platform_part);
    return cut;
}

AppSplit split_app_gift(Coins total, std::uint32_t streamer_share_per_mille, std::uint32_t app_per_mille) {
    const Split fee = split_fee(total, streamer_share_per_mille);
    const Coins app = app_cut(fee.platform, app_per_mille);
    const AppSplit split{.streamer = fee.streamer, .app = app, .platform = fee.platform - app};
    BARRAGE_ASSERT(split.streamer + split.app + split.platform == total);
    return split;
}

}  // namespace barrage::economy
