#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/io_threads.h"
#include "security/connection_caps.h"

namespace barrage::net {

// Listens on one address and hands each accepted socket, already bound to its loop, to
// `on_socket` running on that loop, with its lease under the per-address cap. Loops are
// chosen round-robin so connections spread evenly.
//
// At the descriptor limit accept keeps working: one descriptor is held in reserve, and when
// accept fails for want of descriptors the reserve is given up to accept the waiting
// connection and close it at once (with a log line), then taken back; `on_pressure` is told so
// idle connections can be shed. A connection from an address at its cap is closed at once.
// Constructed and stopped from the main thread; the accept loop runs on loop 0.
class Acceptor : public std::enable_shared_from_this<Acceptor> {
public:
    using SocketHandler = std::function<void(boost::asio::ip::tcp::socket socket, std::size_t loop,
                                             security::ConnectionCaps::Lease lease)>;
    struct Options {
        std::string address;
        std::uint16_t port = 0;
        security::ConnectionCaps* caps = nullptr;  // null: no caps (tests of the listener alone)
        std::function<void()> on_pressure;         // any thread; called at most every 100 ms
    };

    // Binds and listens at once (so port() is known); accepting starts with start().
    Acceptor(IoThreads& loops, Options options, SocketHandler on_socket);
    ~Acceptor();

    void start();
    std::uint16_t port() const { return port_; }
    // Closes the listening socket; the accept loop ends. Safe from any thread.
    void stop();

private:
    boost::asio::awaitable<void> accept_loop();
    enum class Refusal {
        refused,       // a waiting connection was accepted with the reserve and closed
        none_waiting,  // the reserve was free but accept found nobody (or lost the race for it)
        no_reserve,    // there was no reserve to give up (it is opened again for next time)
    };
    // Accepts and closes one waiting connection using the reserve descriptor.
    Refusal refuse_with_reserve();
    void report_pressure();
    // Logs a refused connection, at most once a second (with how many went unlogged).
    void log_refusal(const char* why, const std::string& address);

    IoThreads& loops_;
    Options options_;
    boost::asio::ip::tcp::acceptor acceptor_;
    SocketHandler on_socket_;
    std::uint16_t port_ = 0;
    std::size_t next_loop_ = 0;
    int reserve_fd_ = -1;
    std::int64_t last_pressure_ms_ = 0;  // steady; accept loop only
    std::int64_t last_refusal_log_ms_ = 0;
    std::size_t refusals_unlogged_ = 0;
};

}  // namespace barrage::net
