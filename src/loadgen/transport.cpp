#include "loadgen/transport.h"

#include <netinet/in.h>

#include <array>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "base/limits.h"

namespace barrage::loadgen {
namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using boost::system::error_code;

// Lets the kernel pick the source port at connect() instead of bind(), so thousands of
// connections from one source address can share ports across different destinations.
using BindAddressNoPort = net::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

net::awaitable<std::error_code> connect_socket(tcp::socket& socket, const TransportConfig& config,
                                               net::ip::address source) {
    error_code ec;
    const tcp::endpoint target(config.host, config.port);
    socket.open(target.protocol(), ec);
    if (!ec && config.bind_source) {
        socket.set_option(BindAddressNoPort(true), ec);
        if (!ec) {
            socket.bind(tcp::endpoint(source, 0), ec);
        }
    }
    if (ec) {
        co_return ec;
    }
    co_await socket.async_connect(target, net::redirect_error(net::use_awaitable, ec));
    if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
    }
    co_return ec;
}

class TcpTransport final : public Transport {
public:
    TcpTransport(net::any_io_executor executor, const TransportConfig& config)
        : config_(config), socket_(executor) {}

    net::awaitable<std::error_code> connect(net::ip::address source) override {
        std::error_code ec = co_await connect_socket(socket_, config_, source);
        if (!ec) {
            error_code set_ec;
            socket_.non_blocking(true, set_ec);
            ec = set_ec;
        }
        co_return ec;
    }
    net::awaitable<std::error_code> handshake() override { co_return std::error_code{}; }

    // Waits for readability, then reads into one buffer per thread: 19,000 idle sockets must
    // not each hold a read buffer. The caller consumes the bytes before it next suspends.
    net::awaitable<Result<std::string_view>> read() override {
        thread_local std::array<char, 64 * 1024> buffer;
        for (;;) {
            error_code ec;
            co_await socket_.async_wait(tcp::socket::wait_read,
                                        net::redirect_error(net::use_awaitable, ec));
            if (ec) {
                co_return std::error_code(ec);
            }
            const std::size_t size = socket_.read_some(net::buffer(buffer), ec);
            if (ec == net::error::would_block || ec == net::error::try_again) {
                continue;
            }
            if (ec) {
                co_return std::error_code(ec);
            }
            co_return std::string_view(buffer.data(), size);
        }
    }

    net::awaitable<std::error_code> write(std::string_view bytes) override {
        error_code ec;
        co_await net::async_write(socket_, net::buffer(bytes.data(), bytes.size()),
                                  net::redirect_error(net::use_awaitable, ec));
        co_return ec;
    }

    void close() override {
        error_code ignored;
        socket_.close(ignored);
    }

private:
    TransportConfig config_;
    tcp::socket socket_;
};

class WebSocketTransport final : public Transport {
public:
    WebSocketTransport(net::any_io_executor executor, const TransportConfig& config)
        : config_(config), stream_(executor) {
        // Pushes are at most one compressed batch; a larger message is a broken server.
        stream_.read_message_max(limits::kPacketBytesMax);
        stream_.auto_fragment(false);
        // Client frames must be masked, but the mask need not be unpredictable here.
        stream_.secure_prng(false);
        stream_.text(config.text_frames);
    }

    net::awaitable<std::error_code> connect(net::ip::address source) override {
        co_return co_await connect_socket(beast::get_lowest_layer(stream_), config_, source);
    }

    net::awaitable<std::error_code> handshake() override {
        error_code ec;
        const std::string host = config_.host.to_string() + ":" + std::to_string(config_.port);
        co_await stream_.async_handshake(host, config_.path,
                                         net::redirect_error(net::use_awaitable, ec));
        co_return ec;
    }

    net::awaitable<Result<std::string_view>> read() override {
        buffer_.clear();
        error_code ec;
        co_await stream_.async_read(buffer_, net::redirect_error(net::use_awaitable, ec));
        if (ec) {
            co_return std::error_code(ec);
        }
        const auto data = buffer_.cdata();
        co_return std::string_view(static_cast<const char*>(data.data()), data.size());
    }

    net::awaitable<std::error_code> write(std::string_view bytes) override {
        error_code ec;
        co_await stream_.async_write(net::buffer(bytes.data(), bytes.size()),
                                     net::redirect_error(net::use_awaitable, ec));
        co_return ec;
    }

    void close() override {
        error_code ignored;
        beast::get_lowest_layer(stream_).close(ignored);
    }

private:
    TransportConfig config_;
    websocket::stream<tcp::socket> stream_;
    beast::flat_buffer buffer_;
};

}  // namespace

std::unique_ptr<Transport> Transport::make(net::any_io_executor executor,
                                           const TransportConfig& config) {
    if (config.kind == TransportKind::tcp) {
        return std::make_unique<TcpTransport>(std::move(executor), config);
    }
    return std::make_unique<WebSocketTransport>(std::move(executor), config);
}

}  // namespace barrage::loadgen
