#pragma once

#include <cstdint>
#include <string>

#include "economy/gift_catalogue.h"
#include "gateway/hub.h"
#include "ledger/receipt.h"
#include "message/room_message.h"
#include "purchase/room_purchases.h"

namespace barrage::purchase {

// The room events purchases make. Each function gives what Hub::publish_made runs on the room's
// home loop once the order's receipt is durable: the event comes from the committed receipt
// (order id, counters, commit time) and the room's purchase state (combos, pins, guard
// histories), never from the request alone. `rooms` must outlive the returned function.

struct GiftShown {
    economy::GiftSpec gift;
    std::uint32_t count = 1;
    ledger::Coins total = 0;  // coins, price × count
    message::Sender viewer;
    UserId host;  // whose earnings the order credited
    std::string host_name;
    Millis combo_window_ms = 0;
};
// SEND_GIFT: the room's combo tracker gives the combo, the order's last counter the gift number.
gateway::Hub::MakeEvent gift_event(RoomPurchases& rooms, GiftShown shown, const ledger::Receipt& receipt);

struct SuperChatShown {
    message::Sender viewer;
    std::string text;
    ledger::Coins price = 0;
    std::int64_t price_yuan = 0;
    Millis pinned_ms = 0;  // the tier's pinned time
};
// SUPER_CHAT_MESSAGE, pinned from the commit for its tier's time (its id is the order id).
gateway::Hub::MakeEvent super_chat_event(RoomPurchases& rooms, SuperChatShown shown, const ledger::Receipt& receipt);

struct GuardShown {
    message::Sender viewer;
    std::uint8_t level = 0;
    std::uint32_t months = 0;
    ledger::Coins monthly_price = 0;
};
// GUARD_BUY: the purchase joins the member's guard history (once: a replay extends nothing) and
// the event shows the membership after it.
gateway::Hub::MakeEvent guard_event(RoomPurchases& rooms, GuardShown shown, const ledger::Receipt& receipt);

}  // namespace barrage::purchase
