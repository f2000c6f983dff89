#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "gateway/services.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "net/listeners.h"
#include "payments/callback.h"

namespace barrage::http {

// Top-ups: payment orders issued to users, and the provider's signed callbacks that credit
// them (once per order, however often the provider redelivers).
class PaymentApi {
public:
    struct Options {
        payments::CallbackRules payments;
        std::string order_key;  // signs payment order ids (derived from the token secret)
    };

    PaymentApi(gateway::Services& services, ledger::Ledger& ledger, Options options);

    // This API's part of the route table.
    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> payment_order(const Call& call);
    boost::asio::awaitable<net::HttpResponse> payment_callback(const Call& call);

    gateway::Services& services_;
    ledger::Ledger& ledger_;
    Options options_;
};

}  // namespace barrage::http
