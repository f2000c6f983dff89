#include "ledger/app_cut.h"

#include <iterator>

#include "base/assert.h"
#include "economy/app_revenue.h"
#include "economy/app_split.h"

namespace barrage::ledger {

Order resolve_app_cut(const Order& order, std::uint32_t app_per_mille) {
    Order resolved = order;
    if (!order.app_cut) {
        return resolved;
    }
    resolved.app_cut.reset();
    const auto [app, from_leg] = *order.app_cut;
    BARRAGE_ASSERT(from_leg < resolved.legs.size());
    Leg& platform = resolved.legs[from_leg];
    const Coins cut = economy::app_cut(platform.amount, app_per_mille);
    if (cut == 0) {
        return resolved;
    }
    const Leg to_app{platform.debit, AccountId::app(app), cut, TransferCode::gift_app_share};
    platform.amount -= cut;
    const auto at = resolved.legs.begin() + static_cast<std::ptrdiff_t>(from_leg);
    if (platform.amount == 0) {
        *at = to_app;
    } else {
        resolved.legs.insert(std::next(at), to_app);
    }
    resolved.counters.push_back({economy::app_revenue_key(app), cut});
    resolved.counters.push_back({economy::app_revenue_commit_day_key(app), cut});
    return resolved;
}

}  // namespace barrage::ledger
