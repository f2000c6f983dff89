#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/io_threads.h"

namespace barrage::net {

// Listens on one address and hands each accepted socket, already bound to its loop, to
// `on_socket` running on that loop. Loops are chosen round-robin so connections spread evenly.
// Constructed and stopped from the main thread; the accept loop runs on loop 0.
class Acceptor : public std::enable_shared_from_this<Acceptor> {
public:
    using SocketHandler = std::function<void(boost::asio::ip::tcp::socket socket, std::size_t loop)>;

    // Binds and listens at once (so port() is known); accepting starts with start().
    Acceptor(IoThreads& loops, const std::string& address, std::uint16_t port, SocketHandler on_socket);

    void start();
    std::uint16_t port() const { return port_; }
    // Closes the listening socket; the accept loop ends. Safe from any thread.
    void stop();

private:
    boost::asio::awaitable<void> accept_loop();

    IoThreads& loops_;
    boost::asio::ip::tcp::acceptor acceptor_;
    SocketHandler on_socket_;
    std::uint16_t port_ = 0;
    std::size_t next_loop_ = 0;
};

}  // namespace barrage::net
