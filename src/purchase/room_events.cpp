#include "purchase/room_events.h"

namespace barrage::purchase {

using MadeEvent = gateway::Hub::MadeEvent;

gateway::Hub::MakeEvent gift_event(RoomPurchases& rooms, GiftShown shown, const ledger::Receipt& receipt) {
    return [&rooms, shown = std::move(shown), receipt](room::Room& r, std::size_t /*home*/) -> Result<MadeEvent> {
        const auto& gift = shown.gift;
        const std::uint64_t gift_number =
            receipt.counters.empty() ? 0 : static_cast<std::uint64_t>(receipt.counters.back().value);
        economy::ComboHit combo;
        if (gift.comboable) {
            combo = rooms.state(r).combos.hit(shown.viewer.uid, gift.id, shown.count, gift_number);
        }
        message::Gift event;
        event.gift_id = gift.id;
        event.gift_name = gift.name;
        event.count = shown.count;
        event.price = gift.price;
        event.total = shown.total;
        event.animated = gift.animated;
        event.icon_url = gift.icon_url;
        event.effect_url = gift.effect_url;
        event.combo_id = combo.combo_id;
        event.combo_count = combo.combo_count;
        event.combo_total = combo.combo_total;
        event.gift_number = gift_number;
        event.order_id = static_cast<std::uint64_t>(receipt.order_id);
        event.app_id = gift.app_id;
        event.streamer = shown.host;
        event.streamer_name = shown.host_name;
        event.combo_timeout_s = shown.combo_window_ms / 1000;
        return MadeEvent{shown.viewer, std::move(event)};
    };
}

gateway::Hub::MakeEvent super_chat_event(RoomPurchases& rooms, SuperChatShown shown, const ledger::Receipt& receipt) {
    return [&rooms, shown = std::move(shown), receipt](room::Room& r, std::size_t /*home*/) -> Result<MadeEvent> {
        message::SuperChat event;
        event.id = static_cast<std::uint64_t>(receipt.order_id);
        event.text = shown.text;
        event.price = shown.price;
        event.price_yuan = shown.price_yuan;
        event.start_ms = receipt.committed_ms;
        event.end_ms = receipt.committed_ms + shown.pinned_ms;
        rooms.state(r).super_chats[event.id] = event.end_ms;
        return MadeEvent{shown.viewer, std::move(event)};
    };
}

gateway::Hub::MakeEvent guard_event(RoomPurchases& rooms, GuardShown shown, const ledger::Receipt& receipt) {
    return [&rooms, shown = std::move(shown), receipt](room::Room& r, std::size_t /*home*/) -> Result<MadeEvent> {
        auto membership =
            rooms.add_guard(r, shown.viewer.uid, {receipt.order_id, shown.level, shown.months, receipt.committed_ms});
        if (!membership) {
            return membership.error();
        }
        message::GuardBuy event;
        event.level = shown.level;
        event.months = shown.months;
        event.price = shown.monthly_price;
        event.start_ms = receipt.committed_ms;
        event.end_ms = *membership ? (*membership)->expires_ms : 0;
        message::Sender buyer = shown.viewer;
        buyer.guard_level = *membership ? (*membership)->level : 0;
        return MadeEvent{std::move(buyer), std::move(event)};
    };
}

}  // namespace barrage::purchase
