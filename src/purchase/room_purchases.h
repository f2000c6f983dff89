#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "economy/combo_tracker.h"
#include "economy/guard_history.h"
#include "ledger/transfer_code.h"
#include "message/room_message.h"
#include "room/room.h"

namespace barrage::purchase {

// A refunded purchase, as its room sees it.
struct Withdrawal {
    RoomId room;
    UserId payer;
    std::int64_t order_id = 0;  // the refunded order (also its super chat's id)
    ledger::PurchaseCodes kind = ledger::kGiftCodes;
};

// What purchases leave behind in each room: the combo tracker, the pinned super chats and each
// member's guard history (the room's guard marks are their folds). Kept in the room itself (a
// room::RoomExtension), rebuilt from the journal at start-up, so it survives restarts.
//
// Thread rule: the room's, since the state is the room's: on its home loop (in the work
// Hub::publish_made runs there); before the loops start, on the main thread.
class RoomPurchases {
public:
    struct State final : room::RoomExtension {
        State(Millis combo_window_ms, const Clock& clock) : combos({combo_window_ms, 10'000}, clock) {}
        economy::ComboTracker combos;
        std::map<std::uint64_t, Millis> super_chats;  // pinned super chat id → unpin time (wall ms)
        std::unordered_map<UserId, economy::GuardHistory> guards;
    };

    RoomPurchases(Millis combo_window_ms, const Clock& clock);

    State& state(room::Room& room);

    // Adds a guard purchase to the member's history and marks the room; the membership after
    // it (an order the history holds already changes nothing). extend()'s errors.
    Result<std::optional<economy::GuardMembership>> add_guard(room::Room& room, UserId member,
                                                              const economy::GuardHistory::Purchase& purchase);

    // Takes a refunded purchase out of its room and returns what the room should show, if
    // anything: a guard purchase leaves the member's history (the mark is worked out again); a
    // super chat still pinned is unpinned (SuperChatDelete). Doing it twice changes nothing.
    std::optional<message::Body> withdraw(room::Room& room, const Withdrawal& order);

private:
    Millis combo_window_ms_;
    const Clock& clock_;
};

}  // namespace barrage::purchase
