#pragma once

#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "gateway/services.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "net/listeners.h"
#include "purchase/purchase_desk.h"

namespace barrage::http {

// What viewers buy in rooms: the gift catalogue, gifts, super chats (and their removal by the
// room's staff), guard memberships, and the leaderboards they fill. Handlers are thin: the body
// is parsed, then the purchase desk does the rest. Ledger reads (leaderboards) run on the store
// executor, never on an I/O loop. Wallets are AccountApi's, top-ups PaymentApi's, grants and
// refunds OperatorApi's.
class EconomyApi {
public:
    EconomyApi(gateway::Services& services, purchase::PurchaseDesk& desk, ledger::Ledger& ledger,
               boost::asio::any_io_executor store_executor);

    // This API's part of the route table.
    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> gift(const Call& call);
    boost::asio::awaitable<net::HttpResponse> super_chat(const Call& call);
    boost::asio::awaitable<net::HttpResponse> remove_super_chat(const Call& call);
    boost::asio::awaitable<net::HttpResponse> guard(const Call& call);
    boost::asio::awaitable<net::HttpResponse> leaderboard(const Call& call);
    boost::asio::awaitable<net::HttpResponse> gifts(const Call& call);

    gateway::Services& services_;
    purchase::PurchaseDesk& desk_;
    ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_executor_;
};

}  // namespace barrage::http
