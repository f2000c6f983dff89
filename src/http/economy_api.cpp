#include "http/economy_api.h"

#include <array>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "base/log.h"
#include "economy/leaderboard.h"
#include "http/responses.h"
#include "net/run_on.h"
#include "purchase/ledger_call.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using ledger::AccountId;

namespace {

constexpr std::size_t kLeaderboardMax = 100;
constexpr std::size_t kWalletEntries = 20;

// A parsed JSON object body, or Errc::bad_request.
Result<json::object> object_body(std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        return make_error_code(Errc::bad_request);
    }
    return std::move(parsed.as_object());
}

// A whole number field in [min, max], or Errc::bad_request.
Result<std::int64_t> int_field(const json::object& object, std::string_view key, std::int64_t min, std::int64_t max) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || !(value->is_int64() || value->is_uint64())) {
        return make_error_code(Errc::bad_request);
    }
    boost::system::error_code ec;
    auto number = value->to_number<std::int64_t>(ec);
    if (ec || number < min || number > max) {
        return make_error_code(Errc::bad_request);
    }
    return number;
}

Result<std::string> string_field(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || !value->is_string()) {
        return make_error_code(Errc::bad_request);
    }
    return std::string(value->as_string());
}

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

// An optional count field (gifts, months): 1 when absent, Errc::bad_count when not a whole
// number in 0..UINT32_MAX (the purchase desk checks the real range).
Result<std::int64_t> optional_count(const json::object& object, std::string_view key) {
    if (!object.contains(key)) {
        return 1;
    }
    auto given = int_field(object, key, 0, UINT32_MAX);
    if (!given) {
        return make_error_code(Errc::bad_count);
    }
    return *given;
}

json::object purchase_json(const purchase::Purchase& purchase);

// The answer to a purchase: its receipt and event, or its error.
net::HttpResponse purchase_answer(const Result<purchase::Purchase>& result) {
    if (!result) {
        return fail(result.error());
    }
    return ok(purchase_json(*result));
}

json::object purchase_json(const purchase::Purchase& purchase) {
    json::object out{{"order_id", purchase.receipt.order_id},
                     {"replayed", purchase.receipt.replayed},
                     {"balance", purchase.balance},
                     {"seq", purchase.event ? purchase.event->sequence : 0}};
    if (purchase.event) {
        if (const auto* gift = std::get_if<message::Gift>(&purchase.event->body)) {
            out["gift_number"] = gift->gift_number;
            out["combo_id"] = gift->combo_id;
            out["combo_count"] = gift->combo_count;
            out["total"] = gift->total;
        } else if (const auto* chat = std::get_if<message::SuperChat>(&purchase.event->body)) {
            out["super_chat_id"] = chat->id;
            out["end_ms"] = chat->end_ms;
        } else if (const auto* guard = std::get_if<message::GuardBuy>(&purchase.event->body)) {
            out["end_ms"] = guard->end_ms;
        }
    }
    return out;
}

json::object entry_json(const ledger::JournalEntry& entry, AccountId account) {
    bool outgoing = entry.leg.debit == account;
    return {{"order_id", entry.order_id},
            {"code", static_cast<int>(entry.leg.code)},
            {"amount", outgoing ? -entry.leg.amount : entry.leg.amount},
            {"room", entry.room.value},
            {"item", entry.item},
            {"count", entry.count},
            {"created_ms", entry.created_ms}};
}

}  // namespace

EconomyApi::EconomyApi(gateway::Services& services, purchase::PurchaseDesk& desk, ledger::Ledger& ledger,
                       store::Database& database, asio::any_io_executor store_executor, Options options)
    : services_(services),
      desk_(desk),
      ledger_(ledger),
      database_(database),
      store_executor_(std::move(store_executor)),
      options_(std::move(options)) {}

Result<message::Sender> EconomyApi::caller(const net::HttpRequest& request) const {
    return gateway::sender_from_token(services_, bearer_token(request.authorization));
}

Result<EconomyApi::SignedCall> EconomyApi::signed_call(const net::HttpRequest& request,
                                                       message::Role role_min) const {
    auto who = caller(request);
    if (!who) {
        return who.error();
    }
    if (who->role < role_min) {
        return make_error_code(Errc::forbidden);
    }
    auto body = object_body(request.body);
    if (!body) {
        return body.error();
    }
    return SignedCall{std::move(*who), std::move(*body)};
}

asio::awaitable<std::optional<net::HttpResponse>> EconomyApi::handle(const net::HttpRequest& request,
                                                                    const std::vector<std::string>& segments) {
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (segments.size() == 1 && segments[0] == "gifts") {
        co_return get ? gifts() : post ? add_gift(request) : fail(make_error_code(Errc::method_not_allowed));
    }
    if (segments.size() == 1 && segments[0] == "wallet" && get) {
        co_return co_await wallet(request);
    }
    if (segments.size() == 2 && segments[0] == "payments" && segments[1] == "orders" && post) {
        co_return co_await payment_order(request);
    }
    if (segments.size() == 2 && segments[0] == "payments" && segments[1] == "callback" && post) {
        co_return co_await payment_callback(request);
    }
    if (segments.size() == 2 && segments[0] == "admin" && segments[1] == "grants" && post) {
        co_return co_await grant(request);
    }
    if (segments.size() == 2 && segments[0] == "admin" && segments[1] == "refunds" && post) {
        co_return co_await refund(request);
    }
    if (segments.size() >= 3 && segments[0] == "rooms") {
        const auto& action = segments[2];
        if (action == "gifts" || action == "super-chats" || action == "guards" || action == "leaderboard") {
            co_return co_await room_route(request, segments);
        }
    }
    co_return std::nullopt;
}

asio::awaitable<net::HttpResponse> EconomyApi::room_route(const net::HttpRequest& request,
                                                          const std::vector<std::string>& segments) {
    auto id = parse_number(segments[1]);
    if (!id || *id == 0) {
        co_return fail(make_error_code(Errc::unknown_room));
    }
    RoomId room{*id};
    const auto& action = segments[2];
    if (segments.size() == 3 && request.method == "POST") {
        if (action == "gifts") {
            co_return co_await gift(request, room);
        }
        if (action == "super-chats") {
            co_return co_await super_chat(request, room);
        }
        if (action == "guards") {
            co_return co_await guard(request, room);
        }
    }
    if (segments.size() == 3 && request.method == "GET" && action == "leaderboard") {
        co_return co_await leaderboard(request, room);
    }
    if (segments.size() == 4 && request.method == "DELETE" && action == "super-chats") {
        auto chat = parse_number(segments[3]);
        if (!chat) {
            co_return fail(make_error_code(Errc::unknown_super_chat));
        }
        co_return co_await remove_super_chat(request, room, *chat);
    }
    co_return fail(make_error_code(Errc::method_not_allowed));
}

asio::awaitable<net::HttpResponse> EconomyApi::gift(const net::HttpRequest& request, RoomId room) {
    auto call = signed_call(request, message::Role::anonymous);
    if (!call) {
        co_return fail(call.error());
    }
    auto* viewer = &call->who;
    auto* body = &call->body;
    auto gift_id = int_field(*body, "gift_id", 1, INT64_MAX);
    auto request_id = string_field(*body, "request_id");
    auto count = optional_count(*body, "count");
    if (!count) {
        co_return fail(count.error());
    }
    if (!gift_id || !request_id) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    purchase::GiftOrder order{room, static_cast<std::uint64_t>(*gift_id), static_cast<std::uint32_t>(*count),
                              std::move(*request_id)};
    auto sending = desk_.send_gift(*viewer, order);
    auto result = co_await std::move(sending);
    co_return purchase_answer(result);
}

asio::awaitable<net::HttpResponse> EconomyApi::super_chat(const net::HttpRequest& request, RoomId room) {
    auto call = signed_call(request, message::Role::anonymous);
    if (!call) {
        co_return fail(call.error());
    }
    auto* viewer = &call->who;
    auto* body = &call->body;
    auto yuan = int_field(*body, "price_yuan", 0, INT64_MAX / 2);
    auto text = string_field(*body, "message");
    auto request_id = string_field(*body, "request_id");
    if (!yuan || !text || !request_id) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    purchase::SuperChatOrder order{room, *yuan, std::move(*text), std::move(*request_id)};
    auto buying = desk_.buy_super_chat(*viewer, order);
    auto result = co_await std::move(buying);
    co_return purchase_answer(result);
}

asio::awaitable<net::HttpResponse> EconomyApi::remove_super_chat(const net::HttpRequest& request, RoomId room,
                                                                 std::uint64_t id) {
    auto manager = caller(request);
    if (!manager) {
        co_return fail(manager.error());
    }
    auto removing = desk_.remove_super_chat(*manager, room, id);
    auto result = co_await std::move(removing);
    if (!result) {
        co_return fail(result.error());
    }
    co_return ok(json::object{{"seq", (*result)->sequence}});
}

asio::awaitable<net::HttpResponse> EconomyApi::guard(const net::HttpRequest& request, RoomId room) {
    auto call = signed_call(request, message::Role::anonymous);
    if (!call) {
        co_return fail(call.error());
    }
    auto* viewer = &call->who;
    auto* body = &call->body;
    auto level = int_field(*body, "level", 0, 255);
    auto request_id = string_field(*body, "request_id");
    auto months = optional_count(*body, "months");
    if (!months) {
        co_return fail(months.error());
    }
    if (!level || !request_id) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    purchase::GuardOrder order{room, static_cast<std::uint8_t>(*level), static_cast<std::uint32_t>(*months),
                               std::move(*request_id)};
    auto buying = desk_.buy_guard(*viewer, order);
    auto result = co_await std::move(buying);
    co_return purchase_answer(result);
}

asio::awaitable<net::HttpResponse> EconomyApi::leaderboard(const net::HttpRequest& request, RoomId room) {
    auto url = boost::urls::parse_origin_form(request.target);
    std::string period = "day";
    std::size_t limit = 20;
    if (url) {
        auto params = url->params();
        if (auto found = params.find("period"); found != params.end()) {
            period = (*found).value;
        }
        if (auto found = params.find("limit"); found != params.end()) {
            auto value = parse_number((*found).value);
            if (!value || *value == 0) {
                co_return fail(make_error_code(Errc::bad_request));
            }
            limit = std::min<std::size_t>(*value, kLeaderboardMax);
        }
    }
    if (period != "day" && period != "all") {
        co_return fail(make_error_code(Errc::bad_request));
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
        if (uid) {
            board.push_back(json::object{{"uid", uid->value}, {"coins", counter.value}});
        }
    }
    co_return ok(json::object{{"room", room.value}, {"period", period}, {"entries", std::move(board)}});
}

asio::awaitable<net::HttpResponse> EconomyApi::wallet(const net::HttpRequest& request) {
    auto user = caller(request);
    if (!user) {
        co_return fail(user.error());
    }
    if (user->uid.value == 0 || user->role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no wallet to show
    }
    auto account = AccountId::wallet(user->uid.value);
    auto read = [this, account]() -> Result<std::pair<ledger::Coins, std::vector<ledger::JournalEntry>>> {
        auto balance = ledger_.balance(account);
        if (!balance) {
            return balance.error();
        }
        auto entries = ledger_.journal(account, kWalletEntries);
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
    json::array entries;
    for (const auto& entry : result->second) {
        entries.push_back(entry_json(entry, account));
    }
    co_return ok(json::object{{"uid", user->uid.value}, {"balance", result->first}, {"entries", std::move(entries)}});
}

std::string EconomyApi::issue_order_id(UserId uid, std::int64_t coins) const {
    std::array<unsigned char, 8> nonce{};
    RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
    auto text = fmt::format("{}.{}.{}", uid.value, coins, hex(nonce.data(), nonce.size()));
    return text + "." + order_mac(options_.order_key, text);
}

asio::awaitable<net::HttpResponse> EconomyApi::payment_order(const net::HttpRequest& request) {
    auto user = caller(request);
    if (!user) {
        co_return fail(user.error());
    }
    if (user->uid.value == 0 || user->role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no wallet to credit
    }
    auto body = object_body(request.body);
    if (!body) {
        co_return fail(body.error());
    }
    auto coins = int_field(*body, "coins", 1, options_.payments.coins_max);
    if (!coins) {
        co_return fail(make_error_code(Errc::bad_amount));
    }
    co_return ok(json::object{{"order_id", issue_order_id(user->uid, *coins)},
                              {"uid", user->uid.value},
                              {"coins", *coins}});
}

asio::awaitable<net::HttpResponse> EconomyApi::payment_callback(const net::HttpRequest& request) {
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

asio::awaitable<net::HttpResponse> EconomyApi::grant(const net::HttpRequest& request) {
    auto call = signed_call(request, message::Role::admin);
    if (!call) {
        co_return fail(call.error());
    }
    auto* operator_user = &call->who;
    auto* body = &call->body;
    auto uid = int_field(*body, "uid", 1, INT64_MAX);
    auto coins = int_field(*body, "coins", 1, options_.payments.coins_max);
    auto reason = string_field(*body, "reason");
    auto request_id = string_field(*body, "request_id");
    if (!uid || !reason || reason->empty() || !request_id) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    if (!coins) {
        co_return fail(make_error_code(Errc::bad_amount));
    }
    ledger::Order order;
    order.request_id = *request_id;
    order.scope = operator_user->uid;
    order.kind = "grant";
    order.fingerprint = fmt::format("uid={};coins={};reason={}", *uid, *coins, *reason);
    order.legs = {{AccountId::external(), AccountId::wallet(static_cast<std::uint64_t>(*uid)), *coins,
                   ledger::TransferCode::grant}};
    // The audit trail: who granted, to whom, why — kept with the journal rows.
    order.memo = fmt::format("by uid {} ({}): {}", operator_user->uid.value, operator_user->name, *reason);
    if (order.memo.size() > 1000) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    auto submitting = purchase::submit(ledger_, std::move(order));
    auto receipt = co_await std::move(submitting);
    if (!receipt) {
        co_return fail(receipt.error());
    }
    log::info("grant: {} coins to uid {} by uid {}: {}{}", *coins, *uid, operator_user->uid.value, *reason,
              receipt->replayed ? " (retry, nothing granted)" : "");
    const auto* wallet = receipt->find(AccountId::wallet(static_cast<std::uint64_t>(*uid)));
    co_return ok(json::object{{"order_id", receipt->order_id},
                              {"replayed", receipt->replayed},
                              {"balance", wallet ? wallet->balance : 0}});
}

asio::awaitable<net::HttpResponse> EconomyApi::refund(const net::HttpRequest& request) {
    auto call = signed_call(request, message::Role::admin);
    if (!call) {
        co_return fail(call.error());
    }
    auto* operator_user = &call->who;
    auto* body = &call->body;
    auto order_id = int_field(*body, "order_id", 1, INT64_MAX);
    auto reason = string_field(*body, "reason");
    if (!order_id || !reason || reason->empty()) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    auto read = [this, id = *order_id] { return purchase::read_order_legs(database_, id); };
    auto reading = net::run_on(store_executor_, std::move(read));
    auto legs = co_await std::move(reading);
    auto order = purchase::make_refund(*order_id, legs, *operator_user, *reason);
    if (!order) {
        co_return fail(order.error());
    }
    // The refund is a new order reversing every leg; the original rows stay as they were. If
    // the streamer has already spent the earnings, the ledger refuses it (6000) and nothing moves.
    auto submitting = purchase::submit(ledger_, std::move(*order));
    auto receipt = co_await std::move(submitting);
    if (!receipt) {
        co_return fail(receipt.error());
    }
    log::info("refund of order {} by uid {}: {}{}", *order_id, operator_user->uid.value, *reason,
              receipt->replayed ? " (already refunded)" : "");
    co_return ok(json::object{{"refunded_order_id", *order_id},
                              {"order_id", receipt->order_id},
                              {"replayed", receipt->replayed}});
}

net::HttpResponse EconomyApi::gifts() const {
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
    return ok(std::move(out));
}

net::HttpResponse EconomyApi::add_gift(const net::HttpRequest& request) {
    auto call = signed_call(request, message::Role::admin);
    if (!call) {
        return fail(call.error());
    }
    auto* admin = &call->who;
    auto* body = &call->body;
    economy::GiftSpec spec;
    auto id = int_field(*body, "id", 1, INT64_MAX);
    auto name = string_field(*body, "name");
    auto price = int_field(*body, "price", 1, INT64_MAX);
    if (!id || !name || !price) {
        return fail(make_error_code(Errc::bad_request));
    }
    spec.id = static_cast<std::uint64_t>(*id);
    spec.name = *name;
    spec.price = *price;
    if (const auto* value = body->if_contains("animated"); value && value->is_bool()) {
        spec.animated = value->as_bool();
    }
    if (const auto* value = body->if_contains("comboable"); value && value->is_bool()) {
        spec.comboable = value->as_bool();
    }
    if (auto icon = string_field(*body, "icon_url")) {
        spec.icon_url = *icon;
    }
    if (auto effect = string_field(*body, "effect_url")) {
        spec.effect_url = *effect;
    }
    if (body->contains("app_id")) {
        auto app = int_field(*body, "app_id", 0, INT64_MAX);
        if (!app) {
            return fail(make_error_code(Errc::bad_request));
        }
        spec.app_id = static_cast<std::uint64_t>(*app);
    }
    auto next = desk_.catalogue()->with(spec);
    if (!next) {
        return fail(next.error());
    }
    desk_.set_catalogue(std::make_shared<const economy::GiftCatalogue>(std::move(*next)));
    log::info("gift catalogue: {} ({}) set by uid {}", spec.id, spec.name, admin->uid.value);
    return ok(json::object{{"id", spec.id}});
}

}  // namespace barrage::http
