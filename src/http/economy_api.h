#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "gateway/services.h"
#include "ledger/ledger.h"
#include "net/listeners.h"
#include "payments/callback.h"
#include "purchase/purchase_desk.h"
#include "store/database.h"

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

    // `database` is used only on the store executor (its one thread).
    EconomyApi(gateway::Services& services, purchase::PurchaseDesk& desk, ledger::Ledger& ledger,
               store::Database& database, boost::asio::any_io_executor store_executor, Options options);

    // Answers requests under /api/v1 that belong to the economy, or nullopt for others.
    // `segments` are the path segments after "api", "v1".
    boost::asio::awaitable<std::optional<net::HttpResponse>> handle(const net::HttpRequest& request,
                                                                   const std::vector<std::string>& segments);

    // A payment order id for `coins` to `uid`: self-authenticating, so a callback naming an
    // order we never issued is refused without a table.
    std::string issue_order_id(UserId uid, std::int64_t coins) const;

private:
    boost::asio::awaitable<net::HttpResponse> room_route(const net::HttpRequest& request,
                                                         const std::vector<std::string>& segments);
    boost::asio::awaitable<net::HttpResponse> gift(const net::HttpRequest& request, RoomId room);
    boost::asio::awaitable<net::HttpResponse> super_chat(const net::HttpRequest& request, RoomId room);
    boost::asio::awaitable<net::HttpResponse> remove_super_chat(const net::HttpRequest& request, RoomId room,
                                                                std::uint64_t id);
    boost::asio::awaitable<net::HttpResponse> guard(const net::HttpRequest& request, RoomId room);
    boost::asio::awaitable<net::HttpResponse> leaderboard(const net::HttpRequest& request, RoomId room);
    boost::asio::awaitable<net::HttpResponse> wallet(const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> payment_order(const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> payment_callback(const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> grant(const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> refund(const net::HttpRequest& request);
    net::HttpResponse gifts() const;
    net::HttpResponse add_gift(const net::HttpRequest& request);

    Result<message::Sender> caller(const net::HttpRequest& request) const;
    // A signed request with a JSON object body: the caller (token verified, role at least
    // `role_min`, else Errc::forbidden; anonymous callers are the purchase desk's to refuse,
    // with anonymous_read_only) and the body.
    struct SignedCall {
        message::Sender who;
        boost::json::object body;
    };
    Result<SignedCall> signed_call(const net::HttpRequest& request, message::Role role_min) const;

    gateway::Services& services_;
    purchase::PurchaseDesk& desk_;
    ledger::Ledger& ledger_;
    store::Database& database_;
    boost::asio::any_io_executor store_executor_;
    Options options_;
};

}  // namespace barrage::http
