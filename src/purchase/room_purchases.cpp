#include "purchase/room_purchases.h"

#include "base/assert.h"

namespace barrage::purchase {

namespace {

// Shows a member's membership as the room's guard mark (none: no mark).
void mark_guard(room::Room& room, UserId member, const economy::GuardHistory& history) {
    auto membership = history.membership();
    room.set_guard(member, membership ? membership->level : 0, membership ? membership->expires_ms : 0);
}

}  // namespace

RoomPurchases::RoomPurchases(std::size_t loops, Millis combo_window_ms, const Clock& clock)
    : combo_window_ms_(combo_window_ms), clock_(clock), rooms_(loops) {}

RoomPurchases::State& RoomPurchases::state(std::size_t home, RoomId room) {
    BARRAGE_ASSERT(home < rooms_.size());
    auto& slot = rooms_[home][room];
    if (!slot) {
        slot = std::make_unique<State>(combo_window_ms_, clock_);
    }
    return *slot;
}

Result<std::optional<economy::GuardMembership>> RoomPurchases::add_guard(
    room::Room& room, std::size_t home, UserId member, const economy::GuardHistory::Purchase& purchase) {
    auto& history = state(home, room.config().id).guards[member];
    auto added = history.add(purchase);
    if (!added) {
        return added.error();
    }
    mark_guard(room, member, history);
    return history.membership();
}

std::optional<message::Body> RoomPurchases::withdraw(room::Room& room, std::size_t home, const Withdrawal& order) {
    auto& here = state(home, order.room);
    if (order.kind == ledger::kGuardCodes) {
        // Kept even when absent: a late arrival of the purchase must not bring it back.
        auto& history = here.guards[order.payer];
        if (history.remove(order.order_id)) {
            mark_guard(room, order.payer, history);
        }
        return std::nullopt;
    }
    if (order.kind == ledger::kSuperChatCodes && here.super_chats.erase(static_cast<std::uint64_t>(order.order_id)) > 0) {
        return message::SuperChatDelete{{static_cast<std::uint64_t>(order.order_id)}};
    }
    return std::nullopt;
}

}  // namespace barrage::purchase
