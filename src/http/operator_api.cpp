#include "http/operator_api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "http/requests.h"
#include "http/responses.h"
#include "net/run_on.h"
#include "purchase/ledger_call.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using ledger::AccountId;

OperatorApi::OperatorApi(purchase::PurchaseDesk& desk, purchase::CatalogueShelf& shelf, ledger::Ledger& ledger,
                         asio::any_io_executor store_executor, std::int64_t grant_coins_max)
    : desk_(desk),
      shelf_(shelf),
      ledger_(ledger),
      store_executor_(std::move(store_executor)),
      grant_coins_max_(grant_coins_max) {}

std::vector<Route> OperatorApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"POST", "/api/v1/gifts", Access::admin, bind(&OperatorApi::add_gift)},
        {"POST", "/api/v1/admin/grants", Access::admin, bind(&OperatorApi::grant)},
        {"POST", "/api/v1/admin/refunds", Access::admin, bind(&OperatorApi::refund)},
    };
}

asio::awaitable<net::HttpResponse> OperatorApi::grant(const Call& call) {
    const auto* operator_user = &call.who();
    auto request = parse_grant_request(call.request.body, grant_coins_max_);
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
    co_return ok(json::object{
        {"order_id", receipt->order_id}, {"replayed", receipt->replayed}, {"balance", wallet ? wallet->balance : 0}});
}

asio::awaitable<net::HttpResponse> OperatorApi::refund(const Call& call) {
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
    co_return ok(json::object{
        {"refunded_order_id", order_id}, {"order_id", refunded->order_id}, {"replayed", refunded->replayed}});
}

asio::awaitable<net::HttpResponse> OperatorApi::add_gift(const Call& call) {
    auto spec = parse_gift_spec(call.request.body);
    if (!spec) {
        co_return fail(spec.error());
    }
    if (economy::is_interactive_gift_id(spec->id)) {
        co_return fail(
            make_error_code(Errc::bad_request),
            fmt::format("ids from {} up are the open platform's interactive gifts", economy::kInteractiveGiftIdMin));
    }
    if (auto set = shelf_.set_operator_gift(*spec); !set) {
        co_return fail(set.error());
    }
    log::info("gift catalogue: {} ({}) set by uid {}", spec->id, spec->name, call.who().uid.value);
    co_return ok(json::object{{"id", spec->id}});
}

}  // namespace barrage::http
