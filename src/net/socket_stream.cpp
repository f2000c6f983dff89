#include "net/socket_stream.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/loop_read_buffer.h"
#include "net/send_buffer.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string endpoint_text(const tcp::endpoint& endpoint) {
    auto address = endpoint.address();
    auto text = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return text + ":" + std::to_string(endpoint.port());
}

SocketStream::SocketStream(tcp::socket socket, bool websocket, StreamOrigin origin)
    : socket_(std::move(socket)),
      writer_(socket_, websocket),
      remote_(std::move(origin.remote)),
      early_bytes_(std::move(origin.early_bytes)),
      lease_(std::move(origin.lease)) {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    if (remote_.empty()) {
        auto endpoint = socket_.remote_endpoint(ec);
        remote_ = ec ? "?" : endpoint_text(endpoint);
    }
}

std::string SocketStream::address() const {
    auto colon = remote_.rfind(':');
    auto host = std::string_view(remote_).substr(0, colon == std::string::npos ? remote_.size() : colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return std::string(host);
}

asio::awaitable<Status> SocketStream::read_packets(std::vector<wire::Packet>& packets, std::size_t packets_max) {
    if (!early_bytes_.empty()) {
        std::string early = std::move(early_bytes_);
        early_bytes_ = std::string();
        if (auto fed = consume(early, packets, packets_max); !fed || !packets.empty()) {
            co_return fed;
        }
    }
    for (;;) {
        // Wait for bytes without holding a buffer, then read into the loop's shared one: an
        // idle connection owns no read buffer at all. (The wait is written here, not in a
        // helper coroutine, which would be one more frame per idle connection.)
        boost::system::error_code ec;
        co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return std::error_code(ec);
        }
        auto chunk = read_into_loop_buffer(socket_);
        if (!chunk) {
            continue;  // a spurious wake-up
        }
        if (!*chunk) {
            co_return chunk->error();
        }
        if (auto fed = consume(**chunk, packets, packets_max); !fed || !packets.empty()) {
            co_return fed;
        }
    }
}

void SocketStream::limit_unsent(std::size_t bytes) {
    net::limit_unsent(socket_, bytes);
}

void SocketStream::abort() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

asio::awaitable<void> SocketStream::close_after_written() {
    // One deadline for the whole close: when it passes, the socket is closed and whatever
    // below is waiting fails.
    asio::steady_timer deadline(socket_.get_executor());
    deadline.expires_after(kCloseLinger);
    deadline.async_wait([this](boost::system::error_code ec) {
        if (!ec) {
            abort();
        }
    });
    boost::system::error_code ec;
    while (writer_.control_pending() && !writer_.writing() && socket_.is_open()) {
        co_await socket_.async_wait(tcp::socket::wait_write, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !writer_.flush_control()) {
            break;
        }
    }
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    std::size_t dropped_bytes = 0;
    while (dropped_bytes < kCloseLingerBytesMax) {
        co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            break;  // the deadline closed the socket
        }
        auto dropped = read_into_loop_buffer(socket_);
        if (dropped && !*dropped) {
            break;  // the peer closed
        }
        dropped_bytes += dropped ? (*dropped)->size() : 0;
    }
    deadline.cancel();
    abort();
}

}  // namespace barrage::net
