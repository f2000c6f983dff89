#include "economy/fee_split.h"

#include "base/assert.h"

namespace barrage::economy {

Split split_fee(Coins total, std::uint32_t streamer_share_per_mille) {
    BARRAGE_ASSERT(total >= 0 && total <= kCoinsMax);
    BARRAGE_ASSERT(valid_share_per_mille(streamer_share_per_mille));
    // Non-negative operands: integer division is the floor.
    const Coins streamer = total * static_cast<Coins>(streamer_share_per_mille) / kPerMille;
    const Split split{.streamer = streamer, .platform = total - streamer};
    BARRAGE_ASSERT(split.streamer >= 0 && split.platform >= 0);
    BARRAGE_ASSERT(split.streamer + split.platform == total);
    return split;
}

}  // namespace barrage::economy
