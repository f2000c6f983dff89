#pragma once

#include <cstdint>

#include "base/ids.h"
#include "ledger/order.h"

namespace barrage::ledger {

// The order `order` becomes when it commits with the app's ratio at `app_per_mille` (0..1000):
// its AppCut turned into a gift_app_share leg after the platform leg it is cut from, and bumps
// of the app's revenue counters (economy/app_revenue.h, the day by the commit-day marker). A
// cut of 0 coins adds nothing; a platform leg left at 0 is dropped (legs move > 0 coins). An
// order without a cut is returned unchanged. check_order(order) must hold.
Order resolve_app_cut(const Order& order, std::uint32_t app_per_mille);

}  // namespace barrage::ledger
