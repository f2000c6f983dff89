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

RoomPurchases::RoomPurchases(Millis combo_window_ms, const Clock& clock)
    : combo_window_ms_(combo_window_ms), clock_(clock) {}

RoomPurchases::State& RoomPurchases::state(room::Room& room) {
    return room.extension<State>([this] { return std::make_unique<State>(combo_window_ms_, clock_); });
}

Result<std::optional<economy::GuardMembership>> RoomPurchases::add_guard(
    room::Room& room, UserId member, const economy::GuardHistory::Purchase& purchase) {
    auto& history = state(room).guards[member];
    auto added = history.add(purchase);
    if (!added) {
        return added.error();
    }
    mark_guard(room, member, history);
    return history.membership();
}

std::optional<message::Body> RoomPurchases::withdraw(room::Room& room, const Withdrawal& order) {
    BARRAGE_ASSERT(room.config().id == order.room);
    auto& here = state(room);
    if (order.kind == ledger::kGuardCodes) {
        // Kept even when absent: a late arrival of the purchase must not bring it back.
        auto& history = here.guards[order.payer];
        if (history.remove(order.order_id)) {
            mark_guard(room, order.payer, history);
        }
        return std::nullopt;
    }
    if (order.kind == ledger::kSuperChatCodes &&
        here.super_chats.erase(static_cast<std::uint64_t>(order.order_id)) > 0) {
        return message::SuperChatDelete{{static_cast<std::uint64_t>(order.order_id)}};
    }
    return std::nullopt;
}

}  // namespace barrage::purchase
