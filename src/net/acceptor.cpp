#include "net/acceptor.h"

#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

Acceptor::Acceptor(IoThreads& loops, const std::string& address, std::uint16_t port,
                   SocketHandler on_socket)
    : loops_(loops), acceptor_(loops.context(0)), on_socket_(std::move(on_socket)) {
    tcp::endpoint endpoint(asio::ip::make_address(address), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    // A deep backlog: load tests and reconnect storms open thousands of connections at once.
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
}

void Acceptor::start() {
    asio::co_spawn(acceptor_.get_executor(), [self = shared_from_this()] { return self->accept_loop(); },
                   asio::detached);
}

void Acceptor::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

asio::awaitable<void> Acceptor::accept_loop() {
    for (;;) {
        std::size_t loop = next_loop_++ % loops_.size();
        tcp::socket socket(loops_.context(loop));
        boost::system::error_code ec;
        co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            co_return;
        }
        if (ec) {
            // Out of file descriptors or similar: back off briefly instead of spinning; the
            // pending connections stay in the backlog.
            log::warn("accept on port {} failed: {}", port_, ec.message());
            asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        asio::post(loops_.context(loop), [this, self = shared_from_this(), loop,
                                          socket = std::move(socket)]() mutable {
            on_socket_(std::move(socket), loop);
        });
    }
}

}  // namespace barrage::net
