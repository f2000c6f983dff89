#include "economy/guard_history.h"

#include <algorithm>

namespace barrage::economy {

Result<bool> GuardHistory::add(const Purchase& purchase) {
    if (purchase.order_id <= forgotten_through_ || std::ranges::find(refunded_, purchase.order_id) != refunded_.end()) {
        return false;
    }
    auto at = std::ranges::lower_bound(purchases_, purchase.order_id, {}, &Purchase::order_id);
    if (at != purchases_.end() && at->order_id == purchase.order_id) {
        return false;
    }
    // Checked alone first, so a purchase the fold would refuse never enters.
    if (auto checked = extend(std::nullopt, purchase.level, purchase.months, purchase.bought_ms); !checked) {
        // result<bool> takes no error_code implicitly (it also converts from bool).
        return Result<bool>(boost::system::in_place_error, checked.error());
    }
    purchases_.insert(at, purchase);
    refold();
    return true;
}

bool GuardHistory::remove(std::int64_t order_id) {
    if (std::ranges::find(refunded_, order_id) == refunded_.end()) {
        refunded_.push_back(order_id);
    }
    auto at = std::ranges::find(purchases_, order_id, &Purchase::order_id);
    if (at == purchases_.end()) {
        return false;
    }
    purchases_.erase(at);
    refold();
    return true;
}

void GuardHistory::refold() {
    membership_.reset();
    std::size_t run_start = 0;
    for (std::size_t i = 0; i < purchases_.size(); ++i) {
        const auto& purchase = purchases_[i];
        if (membership_ && purchase.bought_ms - membership_->expires_ms >= kGuardLateArrivalMs) {
            run_start = i;  // lapsed well before this purchase: it starts afresh
        }
        auto next = extend(membership_, purchase.level, purchase.months, purchase.bought_ms);
        if (next) {
            membership_ = *next;
        }
    }
    if (run_start > 0) {
        forgotten_through_ = std::max(forgotten_through_, purchases_[run_start - 1].order_id);
        purchases_.erase(purchases_.begin(), purchases_.begin() + static_cast<std::ptrdiff_t>(run_start));
    }
}

}  // namespace barrage::economy
