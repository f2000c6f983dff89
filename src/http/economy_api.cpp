#include "http/economy_api.h"

#include <algorithm>

#include <boost/json.hpp>

#include "economy/leaderboard.h"
#include "http/requests.h"
#include "http/responses.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::size_t kLeaderboardMax = 100;

// The receipt's part, then the event's (the first answer's, for a retry).
json::object purchase_json(const purchase::Purchase& purchase) {
    json::object out{{"order_id", purchase.receipt.order_id},
                     {"replayed", purchase.receipt.replayed},
                     {"balance", purchase.balance}};
    for (const auto& field : purchase.event_answer) {
        out.insert(field);
    }
    return out;
}

// The answer to a purchase: its receipt and event, or its error.
net::HttpResponse purchase_answer(const Result<purchase::Purchase>& result) {
    if (!result) {
        return fail(result.error());
    }
    return ok(purchase_json(*result));
}

}  // namespace

EconomyApi::EconomyApi(gateway::Services& services, purchase::PurchaseDesk& desk, ledger::Ledger& ledger,
                       asio::any_io_executor store_executor)
    : services_(services), desk_(desk), ledger_(ledger), store_executor_(std::move(store_executor)) {}

std::vector<Route> EconomyApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"GET", "/api/v1/gifts", Access::anyone, bind(&EconomyApi::gifts)},
        {"POST", "/api/v1/rooms/{room}/gifts", Access::user, bind(&EconomyApi::gift)},
        {"POST", "/api/v1/rooms/{room}/super-chats", Access::user, bind(&EconomyApi::super_chat)},
        {"DELETE", "/api/v1/rooms/{room}/super-chats/{super_chat}", Access::user, bind(&EconomyApi::remove_super_chat)},
        {"POST", "/api/v1/rooms/{room}/guards", Access::user, bind(&EconomyApi::guard)},
        {"GET", "/api/v1/rooms/{room}/leaderboard", Access::anyone, bind(&EconomyApi::leaderboard)},
    };
}

asio::awaitable<net::HttpResponse> EconomyApi::gift(const Call& call) {
    auto request = parse_gift_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    purchase::GiftOrder order{RoomId{call.parameter(0)}, request->gift_id, request->count,
                              std::move(request->request_id)};
    auto sending = desk_.send_gift(call.who(), order);
    auto result = co_await std::move(sending);
    co_return purchase_answer(result);
}

asio::awaitable<net::HttpResponse> EconomyApi::super_chat(const Call& call) {
    auto request = parse_super_chat_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    purchase::SuperChatOrder order{RoomId{call.parameter(0)}, request->price_yuan, std::move(request->text),
                                   std::move(request->request_id)};
    auto buying = desk_.buy_super_chat(call.who(), order);
    auto result = co_await std::move(buying);
    co_return purchase_answer(result);
}

asio::awaitable<net::HttpResponse> EconomyApi::remove_super_chat(const Call& call) {
    auto removing = desk_.remove_super_chat(call.who(), RoomId{call.parameter(0)}, call.parameter(1));
    auto result = co_await std::move(removing);
    if (!result) {
        co_return fail(result.error());
    }
    co_return ok(json::object{{"seq", (*result)->sequence}});
}

asio::awaitable<net::HttpResponse> EconomyApi::guard(const Call& call) {
    auto request = parse_guard_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    purchase::GuardOrder order{RoomId{call.parameter(0)}, request->level, request->months,
                               std::move(request->request_id)};
    auto buying = desk_.buy_guard(call.who(), order);
    auto result = co_await std::move(buying);
    co_return purchase_answer(result);
}

asio::awaitable<net::HttpResponse> EconomyApi::leaderboard(const Call& call) {
    const RoomId room{call.parameter(0)};
    const std::string period = call.query("period").value_or("day");
    std::size_t limit = 20;
    if (auto text = call.query("limit")) {
        auto value = parse_number(*text);
        if (!value || *value == 0) {
            co_return fail(make_error_code(Errc::bad_request), "limit must be a whole number above 0");
        }
        limit = std::min<std::size_t>(*value, kLeaderboardMax);
    }
    if (period != "day" && period != "all") {
        co_return fail(make_error_code(Errc::bad_request), "period must be day or all");
    }
    auto prefix = period == "day" ? economy::day_prefix(room, economy::utc_day(services_.clock.wall_ms()))
                                  : economy::all_time_prefix(room);
    auto read = [this, prefix, limit] { return ledger_.counters(prefix, limit); };
    auto reading = net::run_on(store_executor_, std::move(read));
    auto counters = co_await std::move(reading);
    if (!counters) {
        co_return fail(counters.error());
    }
    json::array board;
    for (const auto& counter : *counters) {
        auto uid = economy::user_of_key(counter.name);
        // A viewer whose every purchase was refunded is no longer on the board.
        if (uid && counter.value > 0) {
            board.push_back(json::object{{"uid", uid->value}, {"coins", counter.value}});
        }
    }
    co_return ok(json::object{{"room", room.value}, {"period", period}, {"entries", std::move(board)}});
}

asio::awaitable<net::HttpResponse> EconomyApi::gifts(const Call&) {
    json::array out;
    for (const auto& spec : desk_.catalogue()->specs()) {
        out.push_back(json::object{{"id", spec.id},
                                   {"name", spec.name},
                                   {"price", spec.price},
                                   {"animated", spec.animated},
                                   {"icon_url", spec.icon_url},
                                   {"effect_url", spec.effect_url},
                                   {"comboable", spec.comboable},
                                   {"app_id", spec.app_id}});
    }
    co_return ok(std::move(out));
}

}  // namespace barrage::http
