#include "http/account_api.h"

#include <algorithm>
#include <map>

#include <boost/json.hpp>

#include "http/requests.h"
#include "http/responses.h"
#include "net/run_on.h"
#include "purchase/earnings_report.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using ledger::AccountId;

namespace {

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

AccountApi::AccountApi(gateway::Services& services, ledger::Ledger& ledger, asio::any_io_executor store_executor)
    : services_(services), ledger_(ledger), store_executor_(std::move(store_executor)) {}

std::vector<Route> AccountApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"GET", "/api/v1/wallet", Access::user, bind(&AccountApi::wallet)},
        {"GET", "/api/v1/earnings", Access::user, bind(&AccountApi::earnings)},
    };
}

asio::awaitable<net::HttpResponse> AccountApi::wallet(const Call& call) {
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
    auto read = [this, account,
                 page = *query]() -> Result<std::pair<ledger::Coins, std::vector<ledger::JournalEntry>>> {
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

asio::awaitable<net::HttpResponse> AccountApi::earnings(const Call& call) {
    const auto& caller = call.who();
    if (caller.uid.value == 0 || caller.role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no earnings to show
    }
    auto query = parse_earnings_query(call.query("from"), call.query("to"), call.query("uid"));
    if (!query) {
        co_return fail(query.error());
    }
    const auto uid = query->uid.value_or(caller.uid);
    if (uid != caller.uid && caller.role != message::Role::admin) {
        co_return fail(make_error_code(Errc::forbidden), "only admins may see another user's earnings");
    }
    // Each room's share, as rooms are configured now.
    std::map<RoomId, std::uint32_t> shares;
    for (const auto& room : co_await services_.hub.list_rooms()) {
        shares[room.config.id] = room.config.streamer_share_per_mille;
    }
    const purchase::EarningsRange range{query->from_day, query->to_day};
    auto read = [this, uid, range]() -> Result<std::pair<std::vector<ledger::EarningsRow>, ledger::Coins>> {
        auto rows = ledger_.earnings(uid.value, range.from_ms(), range.to_ms());
        if (!rows) {
            return rows.error();
        }
        auto balance = ledger_.balance(AccountId::earnings(uid.value));
        if (!balance) {
            return balance.error();
        }
        return std::pair{std::move(*rows), *balance};
    };
    auto reading = net::run_on(store_executor_, std::move(read));
    auto result = co_await std::move(reading);
    if (!result) {
        co_return fail(result.error());
    }
    co_return ok(purchase::earnings_report(uid.value, range, result->first, shares, result->second));
}

}  // namespace barrage::http
