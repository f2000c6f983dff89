#include "http/payment_api.h"

#include <boost/json.hpp>

#include "base/log.h"
#include "http/requests.h"
#include "http/responses.h"
#include "payments/order_id.h"
#include "purchase/ledger_call.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using ledger::AccountId;

PaymentApi::PaymentApi(gateway::Services& services, ledger::Ledger& ledger, Options options)
    : services_(services), ledger_(ledger), options_(std::move(options)) {}

std::vector<Route> PaymentApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"POST", "/api/v1/payments/orders", Access::user, bind(&PaymentApi::payment_order)},
        {"POST", "/api/v1/payments/callback", Access::anyone, bind(&PaymentApi::payment_callback)},
    };
}

asio::awaitable<net::HttpResponse> PaymentApi::payment_order(const Call& call) {
    const auto& user = call.who();
    if (user.uid.value == 0 || user.role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no wallet to credit
    }
    auto request = parse_payment_order_request(call.request.body, options_.payments.coins_max);
    if (!request) {
        co_return fail(request.error());
    }
    co_return ok(json::object{{"order_id", payments::issue_order_id(options_.order_key, user.uid, request->coins)},
                              {"uid", user.uid.value},
                              {"coins", request->coins}});
}

asio::awaitable<net::HttpResponse> PaymentApi::payment_callback(const Call& call) {
    const auto& request = call.request;
    auto callback = payments::verify_callback(options_.payments, request.header("x-payment-timestamp"),
                                              request.header("x-payment-signature"), request.body, services_.clock);
    if (!callback) {
        log::warn("payment callback refused: {}", callback.error().message());
        co_return fail(callback.error());
    }
    // The order id must be one we issued, for this user and amount.
    const auto& order_id = callback->order_id;
    auto nonce = payments::check_order_id(options_.order_key, order_id, callback->uid, callback->coins);
    if (!nonce) {
        co_return fail(nonce.error());
    }
    ledger::Order top_up;
    top_up.request_id = "pay:" + *nonce;
    top_up.scope = UserId{0};
    top_up.kind = "top_up";
    top_up.fingerprint = order_id;
    top_up.legs = {
        {AccountId::external(), AccountId::wallet(callback->uid.value), callback->coins, ledger::TransferCode::top_up}};
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

}  // namespace barrage::http
