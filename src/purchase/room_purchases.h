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
// member's guard history (the room's guard marks are their folds). Rebuilt from the journal at
// start-up, so it survives restarts.
//
// Thread rule: a room's state only on its home loop (`home`, as Hub::publish_made passes it);
// before the loops start, on the main thread.
class RoomPurchases {
public:
    struct State {
        State(Millis combo_window_ms, const Clock& clock) : combos({combo_window_ms, 10'000}, clock) {}
        economy::ComboTracker combos;
        std::map<std::uint64_t, Millis> super_chats;  // pinned super chat id → unpin time (wall ms)
        std::unordered_map<UserId, economy::GuardHistory> guards;
    };

    RoomPurchases(std::size_t loops, Millis combo_window_ms, const Clock& clock);

    State& state(std::size_t home, RoomId room);

    // Adds a guard purchase to the member's history and marks the room; the membership after
    // it (an order the history holds already changes nothing). extend()'s errors.
    Result<std::optional<economy::GuardMembership>> add_guard(room::Room& room, std::size_t home, UserId member,
                                                              const economy::GuardHistory::Purchase& purchase);

    // Takes a refunded purchase out of its room and returns what the room should show, if
    // anything: a guard purchase leaves the member's history (the mark is worked out again); a
    // super chat still pinned is unpinned (SuperChatDelete). Doing it twice changes nothing.
    std::optional<message::Body> withdraw(room::Room& room, std::size_t home, const Withdrawal& order);

private:
    Millis combo_window_ms_;
    const Clock& clock_;
    std::vector<std::unordered_map<RoomId, std::unique_ptr<State>>> rooms_;  // [home loop]
};

}  // namespace barrage::purchase
