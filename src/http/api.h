#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "gateway/client_session.h"
#include "gateway/services.h"
#include "http/economy_api.h"
#include "net/listeners.h"
#include "store/directory.h"

namespace barrage::http {

// The REST API, /metrics and /healthz: thin handlers over the gateway's services. Errors are
// {"code":N,"message":"..."} with the codes of docs/protocol.md and a matching HTTP status.
// Runs on the request's loop; database work hops to the store executor (one thread, the
// Directory's only user).
class Api {
public:
    Api(gateway::Services& services, gateway::SessionRegistry& sessions, store::Directory& directory,
        boost::asio::any_io_executor store_executor, EconomyApi* economy = nullptr);

    boost::asio::awaitable<net::HttpResponse> handle(net::HttpRequest request);

private:
    boost::asio::awaitable<net::HttpResponse> create_room(const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> room_info(RoomId room);
    boost::asio::awaitable<net::HttpResponse> list_rooms();
    boost::asio::awaitable<net::HttpResponse> send(RoomId room, const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> history(RoomId room, std::uint64_t after, std::size_t limit);
    net::HttpResponse metrics() const;

    gateway::Services& services_;
    gateway::SessionRegistry& sessions_;
    store::Directory& directory_;
    boost::asio::any_io_executor store_executor_;
    EconomyApi* economy_;  // null without a ledger
};

}  // namespace barrage::http
