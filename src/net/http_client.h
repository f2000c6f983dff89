#pragma once

// One HTTP/1.1 exchange with another server, for the sandbox proxy (sandbox/sandbox_proxy.h):
// connect, write one request, read one answer, close. Beast stays inside http_client.cpp.

#include <cstddef>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/ids.h"
#include "base/result.h"
#include "net/listeners.h"

namespace barrage::net {

struct HttpClientOptions {
    // Connect, write and read together; past it the exchange fails with timed_out.
    Millis timeout_ms = 10'000;
    // The answer's status line and header section, and its body: past either the exchange
    // fails with message_size (nothing of the answer is kept).
    std::size_t answer_header_bytes_max = 64 * 1024;
    std::size_t answer_body_bytes_max = 1024 * 1024;
};

// Sends `request` (its method, target and headers as given, its body byte for byte, with
// Content-Length and "Connection: close" added; the caller leaves out hop-by-hop and framing
// headers) to the first of `endpoints` that accepts, and reads the answer: its status, its
// Content-Type (in content_type, "" when absent), its body, and its other headers but
// Content-Length and Transfer-Encoding, names spelled as the server sent them. A HEAD's
// answer is read without a body. `request.authorization` and `request.remote` are not used.
//
// Fails with std::errc::connection_refused (nobody listens), std::errc::timed_out (past
// timeout_ms), std::errc::message_size (an answer past a bound), std::errc::bad_message (an
// answer that is not HTTP/1.x), or the socket's own error (a reset, an early close). Runs on
// the calling coroutine's executor.
boost::asio::awaitable<Result<HttpResponse>> http_exchange(std::vector<boost::asio::ip::tcp::endpoint> endpoints,
                                                           HttpRequest request, HttpClientOptions options);

}  // namespace barrage::net
