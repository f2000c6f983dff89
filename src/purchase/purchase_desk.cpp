#include "purchase/purchase_desk.h"

#include <atomic>

#include <fmt/format.h>

#include "base/log.h"
#include "economy/app_revenue.h"
#include "economy/coins.h"
#include "economy/fee_split.h"
#include "economy/leaderboard.h"
#include "message/danmaku_rules.h"
#include "net/run_on.h"
#include "purchase/event_answer.h"
#include "purchase/ledger_call.h"
#include "purchase/refund.h"
#include "purchase/room_events.h"

namespace barrage::purchase {

namespace asio = boost::asio;
using ledger::AccountId;
using ledger::TransferCode;

// Day boards name the commit's day with the ledger's own marker.
static_assert(economy::kCommitDayMarker == ledger::kCommitDay);

namespace {

// The text rules of a danmaku apply to a super chat's message too.
Result<std::string> checked_text(std::string_view text, std::size_t code_points_max) {
    message::DanmakuRules rules;
    rules.code_points_max = code_points_max;
    return message::check_danmaku_text(text, rules);
}
Status check_buyer(const message::Sender& buyer) {
    if (buyer.uid.value == 0 || buyer.role == message::Role::anonymous) {
        return make_error_code(Errc::anonymous_read_only);
    }
    return {};
}

}  // namespace

PurchaseDesk::PurchaseDesk(gateway::Hub& hub, ledger::Ledger& ledger, asio::any_io_executor store_executor,
                           std::shared_ptr<const economy::GiftCatalogue> catalogue, economy::SuperChatTiers tiers,
                           economy::GuardPrices guard_prices, EconomyOptions options, const Clock& clock)
    : hub_(hub),
      ledger_(ledger),
      store_executor_(std::move(store_executor)),
      catalogue_(std::move(catalogue)),
      tiers_(std::move(tiers)),
      guard_prices_(std::move(guard_prices)),
      options_(options),
      clock_(clock),
      first_answers_(std::make_shared<FirstAnswers>(clock)),
      rooms_(options.combo_window_ms, clock) {}

// The loops have stopped: copies still waiting for a turn are dropped, not resumed.
PurchaseDesk::~PurchaseDesk() {
    first_answers_->close();
}

std::shared_ptr<const economy::GiftCatalogue> PurchaseDesk::catalogue() const {
    return std::atomic_load(&catalogue_);
}

void PurchaseDesk::set_catalogue(std::shared_ptr<const economy::GiftCatalogue> catalogue) {
    std::atomic_store(&catalogue_, std::move(catalogue));
}

std::vector<ledger::Leg> PurchaseDesk::split_legs(UserId payer, const room::RoomConfig& room, ledger::Coins total,
                                                  TransferCode host_code, TransferCode platform_code) const {
    // A room without a host pays everything to the platform.
    auto share = room.host.value == 0 ? 0u : room.streamer_share_per_mille;
    auto split = economy::split_fee(total, share);
    std::vector<ledger::Leg> legs;
    if (split.streamer > 0) {
        legs.push_back(
            {AccountId::wallet(payer.value), AccountId::earnings(room.host.value), split.streamer, host_code});
    }
    if (split.platform > 0) {
        legs.push_back({AccountId::wallet(payer.value), AccountId::platform(), split.platform, platform_code});
    }
    return legs;
}

void PurchaseDesk::add_app_cut(ledger::Order& order, std::uint64_t app, ledger::Coins total) {
    // The app's coins come out of the platform leg at the ratio in force when the order commits,
    // which only the ledger's writer knows (ledger::AppCut). The gross counts whatever the ratio.
    order.counters.push_back({economy::app_gross_commit_day_key(app), total});
    for (std::size_t i = 0; i < order.legs.size(); ++i) {
        if (order.legs[i].code == TransferCode::gift_platform_share) {
            order.app_cut = ledger::AppCut{.app = app, .from_leg = i};
        }
    }
}

std::vector<ledger::CounterBump> PurchaseDesk::board_bumps(RoomId room, UserId payer, ledger::Coins total) const {
    // Leaderboards move in the same commit as the coins, so they always agree with the journal;
    // the day is the commit's (make_refund finds it again from the journal rows).
    return {{economy::commit_day_key(room, payer), total}, {economy::all_time_key(room, payer), total}};
}

ledger::Order PurchaseDesk::room_order(const OrderKind& kind, UserId payer, const room::RoomConfig& room,
                                       std::string request_id, std::string fingerprint, ledger::Coins price) const {
    ledger::Order order;
    order.request_id = std::move(request_id);
    order.scope = payer;
    order.kind = kind.name;
    order.fingerprint = std::move(fingerprint);
    order.legs = split_legs(payer, room, price, kind.to_host, kind.to_platform);
    order.room = room.id;
    return order;
}

asio::awaitable<Result<Purchase>> PurchaseDesk::charge(ledger::Order order, RoomId room, UserId payer,
                                                       MakeFor make_for) {
    FirstAnswers::Key key{order.scope, order.request_id};
    auto taking = first_answers_->take_turn(key);
    auto turn = co_await std::move(taking);
    if (!turn) {
        co_return turn.error();
    }
    auto submitting = submit(ledger_, std::move(order));
    auto receipt = co_await std::move(submitting);
    if (!receipt) {
        co_return receipt.error();
    }
    Purchase purchase;
    purchase.receipt = std::move(*receipt);
    if (const auto* wallet = purchase.receipt.find(AccountId::wallet(payer.value))) {
        purchase.balance = wallet->balance;
    }
    if (purchase.receipt.replayed) {
        auto answering = answer_replay(purchase, *turn, key);
        auto answered = co_await std::move(answering);
        if (!answered) {
            co_return answered.error();
        }
        if (*answered == Replay::answered) {
            co_return purchase;
        }
    }
    auto showing = show(purchase, room, *turn, key, make_for);
    co_await std::move(showing);
    co_return purchase;
}

asio::awaitable<Result<PurchaseDesk::Replay>> PurchaseDesk::answer_replay(Purchase& purchase, FirstAnswers::Turn& turn,
                                                                          const FirstAnswers::Key& key) {
    // The first answer, from the ledger or, while its annotation is on the way, from memory.
    auto recorded = purchase.receipt.annotation.empty() ? turn.recorded() : std::optional(purchase.receipt.annotation);
    if (recorded) {
        auto answer = parse_event_answer(*recorded);
        if (!answer) {
            log::error("order {}: its recorded answer does not parse", purchase.receipt.order_id);
            co_return answer.error();
        }
        purchase.event_answer = std::move(*answer);
        co_return Replay::answered;
    }
    // Committed, but its event was never shown: the process stopped in between. Unless the
    // order has been refunded since, the caller shows it now, once (this copy holds the turn),
    // so nothing paid for goes unseen.
    auto read = [this, id = purchase.receipt.order_id] { return ledger_.order(id); };
    auto reading = net::run_on(store_executor_, std::move(read));
    auto record = co_await std::move(reading);
    if (!record) {
        co_return make_error_code(Errc::ledger_unavailable);
    }
    if (record->reversed_by == 0) {
        log::warn("order {} replayed before its event was shown: showing it now", purchase.receipt.order_id);
        co_return Replay::show;
    }
    remember(purchase, turn, key);
    co_return Replay::answered;
}

void PurchaseDesk::remember(Purchase& purchase, FirstAnswers::Turn& turn, const FirstAnswers::Key& key) {
    purchase.event_answer = event_answer(purchase.event.get());
    auto text = serialise(purchase.event_answer);
    turn.record(text);
    ledger_.annotate({key.scope, key.request_id, std::move(text)},
                     [answers = first_answers_, key](Status durable) { answers->annotated(key, durable); });
}

asio::awaitable<void> PurchaseDesk::show(Purchase& purchase, RoomId room, FirstAnswers::Turn& turn,
                                         const FirstAnswers::Key& key, const MakeFor& make_for) {
    auto publishing = hub_.publish_made(room, make_for(purchase.receipt));
    auto event = co_await std::move(publishing);
    if (event) {
        purchase.event = std::move(*event);
    } else {
        // The money moved and is in the journal; only the event failed (room gone). Retries
        // answer the same: no event.
        log::error("order {} committed but its room {} event failed: {}", purchase.receipt.order_id, room.value,
                   event.error().message());
    }
    remember(purchase, turn, key);
}

asio::awaitable<Result<Purchase>> PurchaseDesk::send_gift(const message::Sender& viewer, const GiftOrder& order) {
    if (auto buyer = check_buyer(viewer); !buyer) {
        co_return buyer.error();
    }
    auto gifts = catalogue();
    const auto* spec = gifts->find(order.gift_id);
    if (spec == nullptr) {
        co_return make_error_code(Errc::unknown_gift);
    }
    if (order.count == 0 || order.count > options_.gift_count_max) {
        co_return make_error_code(Errc::bad_count);
    }
    auto total = economy::order_price(*spec, order.count);
    if (!total) {
        co_return total.error();
    }
    auto snapshot = co_await hub_.snapshot(order.room);
    if (!snapshot) {
        co_return snapshot.error();
    }
    auto entry = room_order(
        {"gift", TransferCode::gift, TransferCode::gift_platform_share}, viewer.uid, snapshot->config, order.request_id,
        fmt::format("room={};gift={};count={}", order.room.value, order.gift_id, order.count), *total);
    entry.item = order.gift_id;
    entry.count = order.count;
    entry.app = spec->app_id;
    entry.counters = board_bumps(order.room, viewer.uid, *total);
    entry.counters.push_back({economy::gift_number_key(order.room, viewer.uid, order.gift_id), order.count});
    if (spec->app_id != 0) {
        add_app_cut(entry, spec->app_id, *total);
    }

    // Runs on the home loop after the commit: the combo and the event come from committed rows.
    GiftShown shown{*spec,
                    order.count,
                    *total,
                    viewer,
                    snapshot->config.host,
                    snapshot->config.host_name,
                    options_.combo_window_ms};
    auto make = [this, shown](const ledger::Receipt& receipt) { return gift_event(rooms_, shown, receipt); };
    auto charging = charge(std::move(entry), order.room, viewer.uid, std::move(make));
    co_return co_await std::move(charging);
}

asio::awaitable<Result<Purchase>> PurchaseDesk::buy_super_chat(const message::Sender& viewer,
                                                               const SuperChatOrder& order) {
    if (auto buyer = check_buyer(viewer); !buyer) {
        co_return buyer.error();
    }
    auto text = checked_text(order.text, options_.super_chat_code_points_max);
    if (!text) {
        co_return text.error();
    }
    auto pinned_ms = tiers_.pinned_duration_ms(order.price_yuan);
    if (!pinned_ms) {
        co_return pinned_ms.error();
    }
    auto price = economy::yuan_to_coins(order.price_yuan, options_.coins_per_yuan);
    if (!price) {
        co_return price.error();
    }
    auto snapshot = co_await hub_.snapshot(order.room);
    if (!snapshot) {
        co_return snapshot.error();
    }
    auto entry = room_order({"super_chat", TransferCode::super_chat, TransferCode::super_chat_platform_share},
                            viewer.uid, snapshot->config, order.request_id,
                            fmt::format("room={};yuan={};text={}", order.room.value, order.price_yuan, *text), *price);
    entry.memo = *text;
    entry.counters = board_bumps(order.room, viewer.uid, *price);

    SuperChatShown shown{viewer, *text, *price, order.price_yuan, *pinned_ms};
    auto make = [this, shown](const ledger::Receipt& receipt) { return super_chat_event(rooms_, shown, receipt); };
    auto charging = charge(std::move(entry), order.room, viewer.uid, std::move(make));
    co_return co_await std::move(charging);
}

asio::awaitable<Result<message::MessagePtr>> PurchaseDesk::remove_super_chat(const message::Sender& manager,
                                                                             RoomId room, std::uint64_t id) {
    // Removal unpins the card; the money stays where the order put it (a refund would be a new,
    // reversing order).
    auto make = [this, manager, id](room::Room& r, std::size_t /*home*/) -> Result<gateway::Hub::MadeEvent> {
        if (r.effective_role(manager.uid, manager.role) < message::Role::manager) {
            return make_error_code(Errc::forbidden);
        }
        auto& pinned = rooms_.state(r).super_chats;
        auto found = pinned.find(id);
        if (found == pinned.end()) {
            return make_error_code(Errc::unknown_super_chat);
        }
        pinned.erase(found);
        return gateway::Hub::MadeEvent{manager, message::SuperChatDelete{{id}}};
    };
    auto publishing = hub_.publish_made(room, std::move(make));
    co_return co_await std::move(publishing);
}

asio::awaitable<Result<Purchase>> PurchaseDesk::buy_guard(const message::Sender& viewer, const GuardOrder& order) {
    if (auto buyer = check_buyer(viewer); !buyer) {
        co_return buyer.error();
    }
    auto price = guard_prices_.price(order.level, order.months);
    if (!price) {
        co_return price.error();
    }
    auto monthly = guard_prices_.monthly_price(order.level);
    auto snapshot = co_await hub_.snapshot(order.room);
    if (!snapshot) {
        co_return snapshot.error();
    }
    auto entry =
        room_order({"guard", TransferCode::guard, TransferCode::guard_platform_share}, viewer.uid, snapshot->config,
                   order.request_id,
                   fmt::format("room={};level={};months={}", order.room.value, order.level, order.months), *price);
    entry.item = order.level;
    entry.count = order.months;
    entry.counters = board_bumps(order.room, viewer.uid, *price);

    GuardShown shown{viewer, order.level, order.months, monthly ? *monthly : 0};
    auto make = [this, shown](const ledger::Receipt& receipt) { return guard_event(rooms_, shown, receipt); };
    auto charging = charge(std::move(entry), order.room, viewer.uid, std::move(make));
    co_return co_await std::move(charging);
}

asio::awaitable<Result<message::MessagePtr>> PurchaseDesk::send_paid(RoomId room, const message::Sender& sender,
                                                                     const message::Danmaku& danmaku,
                                                                     const std::string& request_id) {
    if (auto buyer = check_buyer(sender); !buyer) {
        co_return buyer.error();
    }
    auto snapshot = co_await hub_.snapshot(room);
    if (!snapshot) {
        co_return snapshot.error();
    }
    auto entry = room_order({"paid_danmaku", TransferCode::paid_danmaku, TransferCode::paid_danmaku_platform_share},
                            sender.uid, snapshot->config, std::string(request_id),
                            fmt::format("room={};text={}", room.value, danmaku.text), snapshot->config.danmaku_price);
    entry.memo = danmaku.text;
    auto make = [sender, danmaku](const ledger::Receipt&) -> gateway::Hub::MakeEvent {
        return [sender, danmaku](room::Room&, std::size_t) -> Result<gateway::Hub::MadeEvent> {
            return gateway::Hub::MadeEvent{sender, danmaku};
        };
    };
    auto charging = charge(std::move(entry), room, sender.uid, std::move(make));
    auto purchase = co_await std::move(charging);
    if (!purchase) {
        co_return purchase.error();
    }
    if (!purchase->event) {
        // A retry of a paid danmaku already shown: the room does not show it twice, and the
        // answer carries the first one's sequence.
        co_return std::make_shared<const message::RoomMessage>(message::RoomMessage{
            room, sequence_of(purchase->event_answer), purchase->receipt.committed_ms, sender, danmaku});
    }
    co_return purchase->event;
}

void PurchaseDesk::restore_guards(const std::vector<ledger::OrderSummary>& purchases) {
    for (const auto& purchase : purchases) {
        if (auto* r = hub_.room_for_setup(purchase.room)) {
            (void)rooms_.add_guard(*r, purchase.payer,
                                   {purchase.order_id, static_cast<std::uint8_t>(purchase.item),
                                    static_cast<std::uint32_t>(purchase.count), purchase.created_ms});
        }
    }
}

void PurchaseDesk::restore_super_chats(const std::vector<ledger::OrderSummary>& purchases, Millis now_ms) {
    for (const auto& purchase : purchases) {
        auto yuan = purchase.amount / options_.coins_per_yuan;
        auto pinned = tiers_.pinned_duration_ms(yuan);
        if (!pinned || purchase.created_ms + *pinned <= now_ms) {
            continue;
        }
        auto id = static_cast<std::uint64_t>(purchase.order_id);
        if (auto* r = hub_.room_for_setup(purchase.room)) {
            rooms_.state(*r).super_chats[id] = purchase.created_ms + *pinned;
        }
    }
}

asio::awaitable<Result<PurchaseDesk::RefundAnswer>> PurchaseDesk::refund(std::int64_t order_id,
                                                                         ledger::OrderRecord record, message::Sender by,
                                                                         std::string reason) {
    auto order = make_refund(order_id, record.entries, by, reason);
    if (!order) {
        co_return order.error();
    }
    RefundAnswer answer{record.reversed_by, true};
    if (record.reversed_by == 0) {
        // If the host has spent the earnings, the ledger refuses it (6000) and nothing moves.
        auto submitting = submit(ledger_, std::move(*order));
        auto receipt = co_await std::move(submitting);
        if (!receipt) {
            co_return receipt.error();
        }
        answer = {receipt->order_id, receipt->replayed};
    }
    // Every answer takes the purchase out of its room, a repeat too (it changes nothing then):
    // so the room agrees with the journal even if the first answer was cut short.
    const auto& first = record.entries.front();
    Withdrawal withdrawal{first.room, UserId{first.leg.debit.owner}, order_id,
                          *ledger::purchase_codes_of(first.leg.code)};
    auto make = [this, withdrawal, by](room::Room& r,
                                       std::size_t /*home*/) -> Result<std::optional<gateway::Hub::MadeEvent>> {
        auto shown = rooms_.withdraw(r, withdrawal);
        if (!shown) {
            return std::nullopt;
        }
        return std::optional<gateway::Hub::MadeEvent>(gateway::Hub::MadeEvent{by, std::move(*shown)});
    };
    auto withdrawing = hub_.publish_made_if(first.room, std::move(make));
    if (auto withdrawn = co_await std::move(withdrawing); !withdrawn) {
        log::warn("refund of order {}: room {}: {}", order_id, first.room.value, withdrawn.error().message());
    }
    co_return answer;
}

}  // namespace barrage::purchase
