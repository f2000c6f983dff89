#pragma once

#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "gateway/services.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "net/listeners.h"

namespace barrage::http {

// What users see of their own accounts: the wallet and its journal, a streamer's earnings.
// Ledger reads run on the store executor, never on an I/O loop.
class AccountApi {
public:
    AccountApi(gateway::Services& services, ledger::Ledger& ledger, boost::asio::any_io_executor store_executor);

    // This API's part of the route table.
    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> wallet(const Call& call);
    boost::asio::awaitable<net::HttpResponse> earnings(const Call& call);

    gateway::Services& services_;
    ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_executor_;
};

}  // namespace barrage::http
