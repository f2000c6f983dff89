#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include "base/result.h"
#include "loadgen/bench_command.h"

namespace barrage::loadgen {

namespace net = boost::asio;

struct TransportConfig {
    TransportKind kind = TransportKind::websocket;
    net::ip::address host;
    std::uint16_t port = 0;
    std::string path = "/sub";   // WebSocket request target
    bool text_frames = false;    // WebSocket: send text (ws peer) instead of binary frames
    bool bind_source = false;    // bind to the source address given to connect()
};

// One client connection's byte pipe: a WebSocket (reads yield whole messages) or raw TCP
// (reads yield whatever arrived). At most one read and one write may be in flight.
// Owner thread only: the thread running the executor it was made with.
class Transport {
public:
    // Beast lives only in transport.cpp; everything else sees this interface.
    static std::unique_ptr<Transport> make(net::any_io_executor executor,
                                           const TransportConfig& config);

    virtual ~Transport() = default;

    // Opens a TCP connection (from `source` when config.bind_source).
    virtual net::awaitable<std::error_code> connect(net::ip::address source) = 0;
    // The WebSocket upgrade; nothing for raw TCP.
    virtual net::awaitable<std::error_code> handshake() = 0;
    // The next bytes. The view is valid only until the caller next suspends (raw TCP reads
    // into one buffer per thread), so consume it before any co_await.
    virtual net::awaitable<Result<std::string_view>> read() = 0;
    // One WebSocket message, or bytes on the TCP stream.
    virtual net::awaitable<std::error_code> write(std::string_view bytes) = 0;
    // Closes the socket now; operations in flight complete with an error. Idempotent.
    virtual void close() = 0;
};

}  // namespace barrage::loadgen
