#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "base/clock.h"
#include "base/limits.h"
#include "economy/combo_tracker.h"
#include "economy/gift_catalogue.h"
#include "economy/guard.h"
#include "economy/super_chat_tiers.h"
#include "gateway/hub.h"
#include "gateway/services.h"
#include "ledger/ledger.h"
#include "purchase/first_answers.h"
#include "purchase/room_purchases.h"

namespace barrage::purchase {

struct EconomyOptions {
    std::int64_t coins_per_yuan = 1000;
    std::uint32_t streamer_share_per_mille = limits::kStreamerSharePerMilleDefault;  // rooms may set their own
    Millis combo_window_ms = 3000;
    std::size_t super_chat_code_points_max = 100;
    std::uint32_t gift_count_max = 9999;
};

// What a paid action did: the durable receipt, the buyer's balance after it, what the answer
// says about the room event (event_answer.h; a retry gets the first answer's) and the event
// itself when this call showed it.
struct Purchase {
    ledger::Receipt receipt;
    ledger::Coins balance = 0;         // the buyer's wallet after the order
    boost::json::object event_answer;  // {"seq":N, ...the kind's fields}
    message::MessagePtr event;         // null unless this call showed the event
};

struct GiftOrder {
    RoomId room;
    std::uint64_t gift_id = 0;
    std::uint32_t count = 1;
    std::string request_id;
};

struct SuperChatOrder {
    RoomId room;
    std::int64_t price_yuan = 0;
    std::string text;
    std::string request_id;
};

struct GuardOrder {
    RoomId room;
    std::uint8_t level = 3;
    std::uint32_t months = 1;
    std::string request_id;
};

// Everything viewers pay for: gifts, super chats, guard memberships and paid danmaku. Each is
// one ledger order (debit the viewer, credit the host's share and the platform the rest,
// leaderboard counters in the same commit); only after it is durable does the room's home loop
// turn the committed order into a room event (combos, guard marks, pinned super chats).
// Copies of one request take turns (FirstAnswers): a retry is answered with the first answer,
// event fields included, and the event is shown once — by the first copy, or, when the process
// died between the commit and the event, by the first retry after it.
//
// Safe from any loop's coroutine. Per-room state (combo trackers, pinned super chats, guard
// histories: RoomPurchases::State, an extension of the Room) is touched only from
// Hub::publish_made on the room's home loop.
class PurchaseDesk final : public gateway::PaidMessages {
public:
    // `store_executor` runs the few ledger reads the desk makes (off the I/O loops).
    PurchaseDesk(gateway::Hub& hub, ledger::Ledger& ledger, boost::asio::any_io_executor store_executor,
                 std::shared_ptr<const economy::GiftCatalogue> catalogue, economy::SuperChatTiers tiers,
                 economy::GuardPrices guard_prices, EconomyOptions options, const Clock& clock);
    ~PurchaseDesk() override;

    boost::asio::awaitable<Result<Purchase>> send_gift(const message::Sender& viewer, const GiftOrder& order);
    boost::asio::awaitable<Result<Purchase>> buy_super_chat(const message::Sender& viewer, const SuperChatOrder& order);
    // Unpins a super chat (a manager's action); no money moves.
    boost::asio::awaitable<Result<message::MessagePtr>> remove_super_chat(const message::Sender& manager, RoomId room,
                                                                          std::uint64_t id);
    boost::asio::awaitable<Result<Purchase>> buy_guard(const message::Sender& viewer, const GuardOrder& order);
    boost::asio::awaitable<Result<message::MessagePtr>> send_paid(RoomId room, const message::Sender& sender,
                                                                  const message::Danmaku& danmaku,
                                                                  const std::string& request_id) override;

    // What a refund did: the reversing order, and whether an earlier request had made it.
    struct RefundAnswer {
        std::int64_t order_id = 0;
        bool replayed = false;
    };
    // Refunds the purchase `order_id`, whose rows `record` holds (Ledger::order, read off the
    // loops): the reversing order (make_refund: legs and counter bumps), then, once it is
    // durable, the purchase taken out of its room (RoomPurchases::withdraw: guard months,
    // pinned super chat). An order refunded before answers that refund and takes out nothing
    // twice. Errc::not_found, Errc::not_refundable, and the ledger's errors (insufficient_balance
    // when the host has spent the earnings).
    boost::asio::awaitable<Result<RefundAnswer>> refund(std::int64_t order_id, ledger::OrderRecord record,
                                                        message::Sender by, std::string reason);

    // Guard purchases from the journal (Ledger::purchases, oldest first), so memberships
    // survive restarts. Before the loops start (main thread).
    void restore_guards(const std::vector<ledger::OrderSummary>& purchases);
    // Super chats from the journal, so the ones still pinned can be removed after a restart;
    // keeps those whose pin has not ended by `now_ms`. Before the loops start (main thread).
    void restore_super_chats(const std::vector<ledger::OrderSummary>& purchases, Millis now_ms);

    std::shared_ptr<const economy::GiftCatalogue> catalogue() const;
    // Replaces the catalogue (admin API). Safe from any thread.
    void set_catalogue(std::shared_ptr<const economy::GiftCatalogue> catalogue);

    const EconomyOptions& options() const { return options_; }
    const economy::GuardPrices& guard_prices() const { return guard_prices_; }

private:
    // An interactive gift of `app`: the app's cut of the platform leg, resolved at commit, and
    // the day's gross.
    static void add_app_cut(ledger::Order& order, std::uint64_t app, ledger::Coins total);
    // The order's legs: the host's share to their earnings, the rest to the platform.
    std::vector<ledger::Leg> split_legs(UserId payer, const room::RoomConfig& room, ledger::Coins total,
                                        ledger::TransferCode host_code, ledger::TransferCode platform_code) const;
    std::vector<ledger::CounterBump> board_bumps(RoomId room, UserId payer, ledger::Coins total) const;
    // What every room purchase's ledger order holds: the payer (also the scope of its request
    // id), the kind, the request's fingerprint, the room and the legs splitting `price`.
    struct OrderKind {
        const char* name;
        ledger::TransferCode to_host;
        ledger::TransferCode to_platform;
    };
    ledger::Order room_order(const OrderKind& kind, UserId payer, const room::RoomConfig& room, std::string request_id,
                             std::string fingerprint, ledger::Coins price) const;
    // Builds the room event from the committed receipt (ids, counters, commit time).
    using MakeFor = std::function<gateway::Hub::MakeEvent(const ledger::Receipt& receipt)>;
    boost::asio::awaitable<Result<Purchase>> charge(ledger::Order order, RoomId room, UserId payer, MakeFor make_for);
    // A replay's answer: the first answer as recorded (in the ledger, else in memory). With
    // none, the event was never shown (the process stopped after the commit), and the caller
    // shows it now (show) — unless the order was refunded since: then no event (answered).
    enum class Replay : std::uint8_t { answered, show };
    boost::asio::awaitable<Result<Replay>> answer_replay(Purchase& purchase, FirstAnswers::Turn& turn,
                                                         const FirstAnswers::Key& key);
    // Shows the committed order's event, then remember()s its answer.
    boost::asio::awaitable<void> show(Purchase& purchase, RoomId room, FirstAnswers::Turn& turn,
                                      const FirstAnswers::Key& key, const MakeFor& make_for);
    // Sets the purchase's event answer from its event and records it (Turn, then the ledger).
    void remember(Purchase& purchase, FirstAnswers::Turn& turn, const FirstAnswers::Key& key);

    gateway::Hub& hub_;
    ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_executor_;
    std::shared_ptr<const economy::GiftCatalogue> catalogue_;  // atomic load/store
    economy::SuperChatTiers tiers_;
    economy::GuardPrices guard_prices_;
    EconomyOptions options_;
    const Clock& clock_;
    std::shared_ptr<FirstAnswers> first_answers_;
    RoomPurchases rooms_;
};

}  // namespace barrage::purchase
