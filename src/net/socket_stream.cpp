#include "net/socket_stream.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/loop_read_buffer.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

SocketStream::SocketStream(tcp::socket socket, bool websocket)
    : socket_(std::move(socket)), writer_(socket_, websocket) {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    auto endpoint = socket_.remote_endpoint(ec);
    remote_ = ec ? "?" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
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
        auto pending = read_into_loop_buffer(socket_);
        auto dropped = co_await std::move(pending);
        if (!dropped) {
            break;  // the peer closed, or the deadline closed the socket
        }
    }
    deadline.cancel();
    abort();
}

}  // namespace barrage::net
