#include "http/economy_api.h"

#include <array>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "base/log.h"
#include "economy/leaderboard.h"
#include "http/requests.h"
#include "http/responses.h"
#include "net/run_on.h"
#include "purchase/ledger_call.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using ledger::AccountId;

namespace {

constexpr std::size_t kLeaderboardMax = 100;

std::string hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < size; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 15];
    }
    return out;
}

std::string order_mac(std::string_view key, std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), digest.data(), &length);
    return hex(digest.data(), 8);  // 64 bits: unforgeable enough for an order id, short to carry
}

json::object purchase_json(const purchase::Purchase& purchase);

// The answer to a purchase: its receipt and event, or its error.
net::HttpResponse purchase_answer(const Result<purchase::Purchase>& result) {
    if (!result) {
        return fail(result.error());
    }
    return ok(purchase_json(*result));
}

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

json::object entry_json(const ledger::JournalEntry& entry, AccountId account) {
    bool outgoing = entry.leg.debit == account;
    return {{"id", entry.id},
            {"order_id", entry.order_id},
            {"code", static_cast<int>(entry.leg.code)},
            {"amount", outgoing ? -entry.leg.amount : entry.leg.amount},
            {"room", entry.room.value},
            {"item", entry.item},
            {"count", entry.count},
            {"created_ms", entry.created_ms}};
}

}  // namespace

EconomyApi::EconomyApi(gateway::Services& services, purchase::PurchaseDesk& desk, ledger::Ledger& ledger,
                       asio::any_io_executor store_executor, Options options)
    : services_(services),
      desk_(desk),
      ledger_(ledger),
      store_executor_(std::move(store_executor)),
      options_(std::move(options)) {}

std::vector<Route> EconomyApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"GET", "/api/v1/gifts", Access::anyone, bind(&EconomyApi::gifts)},
        {"POST", "/api/v1/gifts", Access::admin, bind(&EconomyApi::add_gift)},
        {"POST", "/api/v1/rooms/{room}/gifts", Access::user, bind(&EconomyApi::gift)},
        {"POST", "/api/v1/rooms/{room}/super-chats", Access::user, bind(&EconomyApi::super_chat)},
        {"DELETE", "/api/v1/rooms/{room}/super-chats/{super_chat}", Access::user,
         bind(&EconomyApi::remove_super_chat)},
        {"POST", "/api/v1/rooms/{room}/guards", Access::user, bind(&EconomyApi::guard)},
        {"GET", "/api/v1/rooms/{room}/leaderboard", Access::anyone, bind(&EconomyApi::leaderboard)},
        {"GET", "/api/v1/wallet", Access::user, bind(&EconomyApi::wallet)},
        {"POST", "/api/v1/payments/orders", Access::user, bind(&EconomyApi::payment_order)},
        {"POST", "/api/v1/payments/callback", Access::anyone, bind(&EconomyApi::payment_callback)},
        {"POST", "/api/v1/admin/grants", Access::admin, bind(&EconomyApi::grant)},
        {"POST", "/api/v1/admin/refunds", Access::admin, bind(&EconomyApi::refund)},
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

asio::awaitable<net::HttpResponse> EconomyApi::wallet(const Call& call) {
    const auto* user = &call.who();
    if (user->uid.value == 0 || user->role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no wallet to show
    }
    auto query = parse_wallet_query(call.query("before"), call.query("limit"));
    if (!query) {
        co_return fail(query.error());
    }
    auto account = AccountId::wallet(user->uid.value);
    // One row more than the page: whether another page follows.
    auto read = [this, account, page = *query]() -> Result<std::pair<ledger::Coins, std::vector<ledger::JournalEntry>>> {
        auto balance = ledger_.balance(account);
        if (!balance) {
            return balance.error();
        }
        auto entries = ledger_.journal(account, page.limit + 1, page.before);
        if (!entries) {
            return entries.error();
        }
        return std::pair{*balance, std::move(*entries)};
    };
    auto reading = net::run_on(store_executor_, std::move(read));
    auto result = co_await std::move(reading);
    if (!result) {
        co_return fail(result.error());
    }
    auto& rows = result->second;
    const bool more = rows.size() > query->limit;
    rows.resize(std::min(rows.size(), query->limit));
    json::array entries;
    for (const auto& entry : rows) {
        entries.push_back(entry_json(entry, account));
    }
    json::object page{{"uid", user->uid.value}, {"balance", result->first}, {"entries", std::move(entries)}};
    if (more) {
        page["next_before"] = rows.back().id;
    }
    co_return ok(std::move(page));
}

std::string EconomyApi::issue_order_id(UserId uid, std::int64_t coins) const {
    std::array<unsigned char, 8> nonce{};
    RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
    auto text = fmt::format("{}.{}.{}", uid.value, coins, hex(nonce.data(), nonce.size()));
    return text + "." + order_mac(options_.order_key, text);
}

asio::awaitable<net::HttpResponse> EconomyApi::payment_order(const Call& call) {
    const auto& user = call.who();
    if (user.uid.value == 0 || user.role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no wallet to credit
    }
    auto request = parse_payment_order_request(call.request.body, options_.payments.coins_max);
    if (!request) {
        co_return fail(request.error());
    }
    co_return ok(json::object{{"order_id", issue_order_id(user.uid, request->coins)},
                              {"uid", user.uid.value},
                              {"coins", request->coins}});
}

asio::awaitable<net::HttpResponse> EconomyApi::payment_callback(const Call& call) {
    const auto& request = call.request;
    auto callback = payments::verify_callback(options_.payments, request.header("x-payment-timestamp"),
                                              request.header("x-payment-signature"), request.body,
                                              services_.clock);
    if (!callback) {
        log::warn("payment callback refused: {}", callback.error().message());
        co_return fail(callback.error());
    }
    // The order id must be one we issued, for this user and amount: uid.coins.nonce.mac.
    auto expected_prefix = fmt::format("{}.{}.", callback->uid.value, callback->coins);
    const auto& order_id = callback->order_id;
    auto last_dot = order_id.rfind('.');
    if (order_id.rfind(expected_prefix, 0) != 0 || last_dot == std::string::npos ||
        last_dot <= expected_prefix.size()) {
        co_return fail(make_error_code(Errc::unknown_order));
    }
    auto signed_part = order_id.substr(0, last_dot);
    auto mac = order_mac(options_.order_key, signed_part);
    auto given = std::string_view(order_id).substr(last_dot + 1);
    if (given.size() != mac.size() || CRYPTO_memcmp(given.data(), mac.data(), mac.size()) != 0) {
        co_return fail(make_error_code(Errc::unknown_order));
    }
    ledger::Order top_up;
    top_up.request_id = "pay:" + order_id.substr(expected_prefix.size(), last_dot - expected_prefix.size());
    top_up.scope = UserId{0};
    top_up.kind = "top_up";
    top_up.fingerprint = order_id;
    top_up.legs = {{AccountId::external(), AccountId::wallet(callback->uid.value), callback->coins,
                    ledger::TransferCode::top_up}};
    top_up.memo = order_id;
    auto submitting = purchase::submit(ledger_, std::move(top_up));
    auto receipt = co_await std::move(submitting);
    if (!receipt) {
        co_return fail(receipt.error());
    }
    // A redelivered callback credits nothing more and is answered as the first was, so the
    // provider stops retrying.
    const auto* wallet = receipt->find(AccountId::wallet(callback->uid.value));
    log::info("payment {}: {} coins to uid {}{}", order_id, callback->coins, callback->uid.value,
              receipt->replayed ? " (redelivery, nothing credited)" : "");
    co_return ok(json::object{{"order_id", order_id},
                              {"ledger_order_id", receipt->order_id},
                              {"duplicate", receipt->replayed},
                              {"balance", wallet ? wallet->balance : 0}});
}

asio::awaitable<net::HttpResponse> EconomyApi::grant(const Call& call) {
    const auto* operator_user = &call.who();
    auto request = parse_grant_request(call.request.body, options_.payments.coins_max);
    if (!request) {
        co_return fail(request.error());
    }
    const auto uid = request->uid.value;
    const auto coins = request->coins;
    const auto& reason = request->reason;
    ledger::Order order;
    order.request_id = request->request_id;
    order.scope = operator_user->uid;
    order.kind = "grant";
    order.fingerprint = fmt::format("uid={};coins={};reason={}", uid, coins, reason);
    order.legs = {{AccountId::external(), AccountId::wallet(uid), coins, ledger::TransferCode::grant}};
    // The audit trail: who granted, to whom, why — kept with the journal rows.
    order.memo = fmt::format("by uid {} ({}): {}", operator_user->uid.value, operator_user->name, reason);
    if (order.memo.size() > 1000) {
        co_return fail(make_error_code(Errc::bad_request), "reason is too long");
    }
    auto submitting = purchase::submit(ledger_, std::move(order));
    auto receipt = co_await std::move(submitting);
    if (!receipt) {
        co_return fail(receipt.error());
    }
    log::info("grant: {} coins to uid {} by uid {}: {}{}", coins, uid, operator_user->uid.value, reason,
              receipt->replayed ? " (retry, nothing granted)" : "");
    const auto* wallet = receipt->find(AccountId::wallet(uid));
    co_return ok(json::object{{"order_id", receipt->order_id},
                              {"replayed", receipt->replayed},
                              {"balance", wallet ? wallet->balance : 0}});
}

asio::awaitable<net::HttpResponse> EconomyApi::refund(const Call& call) {
    const auto* operator_user = &call.who();
    auto request = parse_refund_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    const auto order_id = request->order_id;
    const auto& reason = request->reason;
    auto read = [this, id = order_id] { return ledger_.order(id); };
    auto reading = net::run_on(store_executor_, std::move(read));
    auto record = co_await std::move(reading);
    if (!record) {
        // Never a refund of the rows that did read: it would be the order's only one.
        log::error("refund of order {}: its rows cannot be read: {}", order_id, record.error().message());
        co_return fail(make_error_code(Errc::ledger_unavailable));
    }
    auto refunding = desk_.refund(order_id, std::move(*record), *operator_user, reason);
    auto refunded = co_await std::move(refunding);
    if (!refunded) {
        co_return fail(refunded.error());
    }
    log::info("refund of order {} by uid {}: {}{}", order_id, operator_user->uid.value, reason,
              refunded->replayed ? " (already refunded)" : "");
    co_return ok(json::object{{"refunded_order_id", order_id},
                              {"order_id", refunded->order_id},
                              {"replayed", refunded->replayed}});
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

asio::awaitable<net::HttpResponse> EconomyApi::add_gift(const Call& call) {
    auto spec = parse_gift_spec(call.request.body);
    if (!spec) {
        co_return fail(spec.error());
    }
    auto next = desk_.catalogue()->with(*spec);
    if (!next) {
        co_return fail(next.error());
    }
    desk_.set_catalogue(std::make_shared<const economy::GiftCatalogue>(std::move(*next)));
    log::info("gift catalogue: {} ({}) set by uid {}", spec->id, spec->name, call.who().uid.value);
    co_return ok(json::object{{"id", spec->id}});
}

}  // namespace barrage::http
