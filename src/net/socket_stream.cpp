#include "net/socket_stream.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/loop_read_buffer.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

SocketStream::SocketStream(tcp::socket socket, bool websocket, std::string early_bytes)
    : socket_(std::move(socket)), writer_(socket_, websocket), early_bytes_(std::move(early_bytes)) {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    auto endpoint = socket_.remote_endpoint(ec);
    remote_ = ec ? "?" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

asio::awaitable<Status> SocketStream::read_packets(std::vector<wire::Packet>& packets) {
    if (!early_bytes_.empty()) {
        std::string early = std::move(early_bytes_);
        early_bytes_ = std::string();
        if (auto fed = consume(early, packets); !fed || !packets.empty()) {
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
        if (auto fed = consume(**chunk, packets); !fed || !packets.empty()) {
            co_return fed;
        }
    }
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
    for (;;) {
        co_await socket_.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            break;  // the deadline closed the socket
        }
        auto dropped = read_into_loop_buffer(socket_);
        if (dropped && !*dropped) {
            break;  // the peer closed
        }
    }
    deadline.cancel();
    abort();
}

}  // namespace barrage::net
