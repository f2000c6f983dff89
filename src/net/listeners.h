#pragma once

// The two listening ports: HTTP (REST, /metrics, WebSocket upgrade at /sub) and raw TCP
// carrying live-room packets. Beast stays inside the .cpp files; this header is light.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "base/ids.h"
#include "net/io_threads.h"
#include "net/packet_stream.h"
#include "security/connection_caps.h"
#include "wire/codec.h"

namespace barrage::net {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query, as sent
    std::string authorization;
    std::string body;
    std::string remote;  // "address:port" of the client (forwarded, behind a trusted proxy)
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

    // The first header of that (lower-case) name, or "".
    std::string_view header(std::string_view lower_name) const {
        for (const auto& [name, value] : headers) {
            if (name == lower_name) {
                return value;
            }
        }
        return {};
    }
};

struct HttpResponse {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers{};  // extra: Allow, CORS, ...
    // An answer relayed from another server (the sandbox proxy's upstream): sent with its own
    // headers only (no Server or CORS header added; a name given twice is sent twice) and
    // with Content-Type only when content_type is not empty.
    bool relayed = false;
};

// Runs on the connection's loop; may hop to other loops with run_on.
using HttpHandler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest)>;
// Takes ownership of a new long connection, on the loop it belongs to.
using StreamHandler = std::function<void(std::unique_ptr<PacketStream>, std::size_t loop)>;

struct ListenerOptions {
    std::string address = "0.0.0.0";
    std::uint16_t port = 0;  // 0 picks a free port
    wire::DecodeLimits decode_limits;
    std::size_t ws_message_bytes_max = 256 * 1024;
    std::size_t http_body_bytes_max = 64 * 1024;
    // A request's own body limit, decided from its method, target and Authorization header once
    // they are read and before the body is: for the few calls that need more than
    // http_body_bytes_max (an admin's asset upload). Null: http_body_bytes_max for every request.
    std::function<std::size_t(std::string_view method, std::string_view target, std::string_view authorization)>
        http_body_bytes_max_of;
    std::string ws_path = "/sub";
    // SO_SNDBUF of a long connection (WebSocket after its upgrade, TCP packet stream); 0 keeps
    // the kernel's autotuning. See connection.send_buffer_bytes in barrage.example.toml.
    std::size_t stream_send_buffer_bytes = 0;
    // Per-address caps and descriptor pressure, shared by both listeners; null = no caps.
    security::ConnectionCaps* caps = nullptr;
    // How long an HTTP connection may wait for its next request; much less under descriptor
    // pressure, when idle connections are also shed at once.
    Millis http_idle_timeout_ms = 30'000;
    Millis http_idle_timeout_under_pressure_ms = 1'000;
    // Told (from the accept loop) when descriptors run short; the HTTP listener sheds its idle
    // connections itself, the TCP listener asks the HTTP one through this.
    std::function<void()> on_pressure;
    // Told, on the connection's loop, of each request the listener answers itself with an
    // error (400, 413, 414, 431, a refused upgrade) before any handler sees it.
    std::function<void(std::error_code)> on_refusal;
};

// Accepts on loop 0 and hands connections round-robin to every loop. Start and stop from the
// main thread; the handlers run on the connection's loop.
//
// HTTP answers follow RFC 9110/9112 where a client can tell: 400 for a request that does not
// parse, 413 for a body over http_body_bytes_max, 414 for a request line over 8 KiB, 431 for a
// header section over 16 KiB, 400 for a WebSocket upgrade whose Sec-WebSocket-Key is not 16
// base64 bytes; a HEAD is answered like its GET without the body.
class HttpListener {
public:
    HttpListener(IoThreads& loops, ListenerOptions options, HttpHandler http, StreamHandler streams);
    ~HttpListener();
    std::uint16_t port() const;
    void stop();
    // Closes every HTTP connection that waits for its next request (descriptor pressure).
    // Safe from any thread.
    void shed_idle();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

class TcpListener {
public:
    TcpListener(IoThreads& loops, ListenerOptions options, StreamHandler streams);
    ~TcpListener();
    std::uint16_t port() const;
    void stop();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace barrage::net
