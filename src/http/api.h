#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "gateway/client_session.h"
#include "gateway/services.h"
#include "http/router.h"
#include "net/listeners.h"
#include "security/connection_caps.h"
#include "store/directory.h"

namespace barrage::http {

// Rooms, messages, history, /metrics and /healthz: thin handlers over the gateway's services.
// Runs on the request's loop; database work hops to the store executor (one thread, the
// Directory's only user).
class Api {
public:
    Api(gateway::Services& services, gateway::SessionRegistry& sessions, store::Directory& directory,
        boost::asio::any_io_executor store_executor, const security::ConnectionCaps* caps = nullptr);

    // This API's part of the route table.
    std::vector<Route> routes();
    // Adds to /metrics what another part counts (the open platform's security centre). Before
    // serving only.
    void add_metrics(std::function<void(std::string&)> append) { more_metrics_.push_back(std::move(append)); }

private:
    boost::asio::awaitable<net::HttpResponse> create_room(const Call& call);
    boost::asio::awaitable<net::HttpResponse> room_info(const Call& call);
    boost::asio::awaitable<net::HttpResponse> set_live(const Call& call);
    boost::asio::awaitable<net::HttpResponse> list_rooms(const Call& call);
    boost::asio::awaitable<net::HttpResponse> send(const Call& call);
    boost::asio::awaitable<net::HttpResponse> like(const Call& call);
    boost::asio::awaitable<net::HttpResponse> history(const Call& call);
    net::HttpResponse metrics() const;

    gateway::Services& services_;
    gateway::SessionRegistry& sessions_;
    store::Directory& directory_;
    boost::asio::any_io_executor store_executor_;
    const security::ConnectionCaps* caps_;  // null in tests without listeners
    std::vector<std::function<void(std::string&)>> more_metrics_;
};

}  // namespace barrage::http
