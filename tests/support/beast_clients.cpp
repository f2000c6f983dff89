// The WebSocket packet client and the HTTP client: the only test translation unit that
// includes Beast, which is slow to compile.

#include <exception>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include "support/http_client.h"
#include "support/json_helpers.h"
#include "support/packet_client.h"

namespace barrage::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

// WebSocket at /sub: each binary message holds whole packets, and each is kept apart so tests
// can see what travelled alone (the heartbeat reply).
class WsClient final : public PacketClient {
public:
    WsClient(std::uint16_t port, ClientOptions options, std::unique_ptr<asio::io_context> owned)
        : PacketClient(options, std::move(owned)), ws_(context()) {
        auto& socket = ws_.next_layer();
        socket.open(tcp::v4());
        if (options.receive_buffer_bytes > 0) {
            socket.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
        }
        boost::system::error_code ec;
        socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
        if (ec) {
            throw std::runtime_error(fmt::format("ws client: cannot connect to port {}: {}", port, ec.message()));
        }
        socket.set_option(tcp::no_delay(true));
        ws_.binary(true);
        ws_.read_message_max(options.limits.packet_bytes_max * 2);
        bool done = false;
        ws_.async_handshake(fmt::format("127.0.0.1:{}", port), "/sub", [&](boost::system::error_code result) {
            ec = result;
            done = true;
        });
        if (!run_until(done, std::chrono::steady_clock::now() + kWaitMax)) {
            ws_.next_layer().close(ec);
            run_until(done, std::chrono::steady_clock::now() + kWaitMax);
            throw std::runtime_error("ws client: the WebSocket handshake did not finish in time");
        }
        if (ec) {
            throw std::runtime_error(fmt::format("ws client: WebSocket handshake failed: {}", ec.message()));
        }
    }

    ~WsClient() override {
        boost::system::error_code ignored;
        ws_.next_layer().close(ignored);
        drain_read();
    }

    const char* transport() const override { return "ws"; }

    void send_raw(std::string_view bytes) override {
        bool done = false;
        boost::system::error_code result;
        ws_.async_write(asio::buffer(bytes.data(), bytes.size()), [&](boost::system::error_code ec, std::size_t) {
            result = ec;
            done = true;
        });
        if (!run_until(done, std::chrono::steady_clock::now() + kWaitMax)) {
            boost::system::error_code ignored;
            ws_.next_layer().close(ignored);
            run_until(done, std::chrono::steady_clock::now() + kWaitMax);
            throw std::runtime_error(
                fmt::format("ws client: sending {} bytes did not finish within {} ms", bytes.size(), kWaitMax.count()));
        }
        if (result) {
            throw std::runtime_error(
                fmt::format("ws client: sending {} bytes failed: {}", bytes.size(), result.message()));
        }
    }

protected:
    void start_read() override {
        buffer_.clear();
        ws_.async_read(buffer_, [this](boost::system::error_code ec, std::size_t) {
            if (ec) {
                complete_read(Chunk{.bytes = {}, .closed = true, .close_reason = ec.message()});
                return;
            }
            auto data = buffer_.cdata();
            complete_read(Chunk{.bytes = std::string(static_cast<const char*>(data.data()), data.size()),
                                .closed = false,
                                .close_reason = {}});
        });
    }

    bool message_framed() const override { return true; }

private:
    websocket::stream<tcp::socket> ws_;
    beast::flat_buffer buffer_;
};

asio::awaitable<void> exchange(std::uint16_t port, http::request<http::string_body> request, HttpReply& reply) {
    auto executor = co_await asio::this_coro::executor;
    beast::tcp_stream stream(executor);
    stream.expires_after(kWaitMax);
    tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    co_await stream.async_connect(endpoint, asio::use_awaitable);
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    reply.status = response.result_int();
    reply.content_type = std::string(response[http::field::content_type]);
    reply.body = std::move(response.body());
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

std::unique_ptr<PacketClient> connect_ws(std::uint16_t port, ClientOptions options) {
    std::unique_ptr<asio::io_context> owned;
    if (options.context == nullptr) {
        owned = std::make_unique<asio::io_context>(1);
    }
    return std::make_unique<WsClient>(port, options, std::move(owned));
}

boost::json::object HttpReply::json() const {
    return parse_object(body);
}

std::int64_t HttpReply::code() const {
    return int_field(json(), "code");
}

HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body,
                       std::string_view token) {
    return http_request(port, method, target, body, token, {});
}

HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body,
                       std::string_view token, const HttpHeaders& headers) {
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, fmt::format("127.0.0.1:{}", port));
    if (!token.empty()) {
        request.set(http::field::authorization, fmt::format("Bearer {}", token));
    }
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    if (!body.empty() && request.find(http::field::content_type) == request.end()) {
        request.set(http::field::content_type, "application/json");  // unless the test named its own
    }
    request.body() = std::string(body);
    request.keep_alive(false);
    request.prepare_payload();

    asio::io_context context(1);
    HttpReply reply;
    std::exception_ptr failure;
    asio::co_spawn(context, exchange(port, std::move(request), reply),
                   [&failure](std::exception_ptr error) { failure = error; });
    context.run();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& error) {
            throw std::runtime_error(fmt::format("HTTP {} {} failed: {}", method, target, error.what()));
        }
    }
    return reply;
}

}  // namespace barrage::test
