#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "gateway/services.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "net/listeners.h"
#include "payments/callback.h"
#include "purchase/purchase_desk.h"

namespace barrage::http {

// The money endpoints: gifts, super chats, guards, wallets, leaderboards, top-ups and grants.
// Handlers are thin: validation of the body, then the purchase desk or the ledger. Ledger reads
// (wallet, leaderboard) run on the store executor, never on an I/O loop.
class EconomyApi {
public:
    struct Options {
        payments::CallbackRules payments;
        std::string order_key;  // signs payment order ids (derived from the token secret)
    };

    EconomyApi(gateway::Services& services, purchase::PurchaseDesk& desk, ledger::Ledger& ledger,
               boost::asio::any_io_executor store_executor, Options options);

    // This API's part of the route table.
    std::vector<Route> routes();

    // A payment order id for `coins` to `uid`: self-authenticating, so a callback naming an
    // order we never issued is refused without a table.
    std::string issue_order_id(UserId uid, std::int64_t coins) const;

private:
    boost::asio::awaitable<net::HttpResponse> gift(const Call& call);
    boost::asio::awaitable<net::HttpResponse> super_chat(const Call& call);
    boost::asio::awaitable<net::HttpResponse> remove_super_chat(const Call& call);
    boost::asio::awaitable<net::HttpResponse> guard(const Call& call);
    boost::asio::awaitable<net::HttpResponse> leaderboard(const Call& call);
    boost::asio::awaitable<net::HttpResponse> wallet(const Call& call);
    boost::asio::awaitable<net::HttpResponse> payment_order(const Call& call);
    boost::asio::awaitable<net::HttpResponse> payment_callback(const Call& call);
    boost::asio::awaitable<net::HttpResponse> grant(const Call& call);
    boost::asio::awaitable<net::HttpResponse> refund(const Call& call);
    boost::asio::awaitable<net::HttpResponse> gifts(const Call& call);
    boost::asio::awaitable<net::HttpResponse> add_gift(const Call& call);

    gateway::Services& services_;
    purchase::PurchaseDesk& desk_;
    ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_executor_;
    Options options_;
};

}  // namespace barrage::http
