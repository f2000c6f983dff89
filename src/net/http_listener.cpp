// HTTP/1.1 sessions and the WebSocket upgrade, on Beast. The only translation unit that
// includes Beast's HTTP and WebSocket headers, to keep builds quick.

#include <cctype>
#include <chrono>
#include <exception>
#include <string_view>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "base/log.h"
#include "net/acceptor.h"
#include "net/listeners.h"
#include "net/websocket_stream.h"

namespace barrage::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

constexpr auto kHttpIdleTimeout = std::chrono::seconds(30);
constexpr auto kWsHandshakeTimeout = std::chrono::seconds(5);
constexpr std::uint32_t kHttpHeaderBytesMax = 16 * 1024;

std::string endpoint_text(const tcp::socket& socket) {
    boost::system::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    if (ec) {
        return "?";
    }
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

http::response<http::string_body> make_response(const HttpResponse& response, unsigned version,
                                                bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), version};
    res.set(http::field::server, "barrage");
    res.set(http::field::content_type, response.content_type);
    res.set(http::field::access_control_allow_origin, "*");
    res.keep_alive(keep_alive);
    res.body() = response.body;
    res.prepare_payload();
    return res;
}

HttpResponse error_response(unsigned status, std::string_view message) {
    return {status, "application/json",
            std::string(R"({"code":1000,"message":")") + std::string(message) + "\"}"};
}

}  // namespace

struct HttpListener::Impl : std::enable_shared_from_this<HttpListener::Impl> {
    ListenerOptions options;
    HttpHandler http;
    StreamHandler streams;
    std::shared_ptr<Acceptor> acceptor;

    // Beast answers the upgrade (request checks, Sec-WebSocket-Accept, no extensions); then the
    // socket leaves Beast for our own framing (websocket_stream.h), whose idle connections
    // hold no frame buffer and no pending operation.
    asio::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> request,
                                  std::string early_bytes, std::size_t loop) {
        websocket::stream<tcp::socket> ws(stream.release_socket());
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = kWsHandshakeTimeout;
        timeouts.idle_timeout = websocket::stream_base::none();  // heartbeats are the gateway's
        timeouts.keep_alive_pings = false;
        ws.set_option(timeouts);
        ws.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
            res.set(http::field::server, "barrage");
        }));
        boost::system::error_code ec;
        co_await ws.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return;
        }
        tcp::socket socket = std::move(ws.next_layer());
        streams(make_websocket_stream(std::move(socket), std::move(early_bytes), options.decode_limits,
                                      options.ws_message_bytes_max),
                loop);
    }

    asio::awaitable<void> serve(tcp::socket socket, std::size_t loop) {
        std::string remote = endpoint_text(socket);
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(kHttpHeaderBytesMax);
            parser.body_limit(options.http_body_bytes_max);
            stream.expires_after(kHttpIdleTimeout);
            boost::system::error_code ec;
            co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == http::error::body_limit) {
                auto res = make_response(error_response(413, "request body too large"), 11, false);
                co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
                co_return;
            }
            if (ec) {
                co_return;
            }
            http::request<http::string_body> request = parser.release();
            if (websocket::is_upgrade(request)) {
                if (path_of(request.target()) != options.ws_path) {
                    auto res = make_response(error_response(404, "no WebSocket here"), request.version(), false);
                    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
                    co_return;
                }
                auto early = buffer.cdata();
                std::string early_bytes(static_cast<const char*>(early.data()), early.size());
                auto pending = upgrade(std::move(stream), std::move(request), std::move(early_bytes), loop);
                co_await std::move(pending);
                co_return;
            }
            HttpRequest call{std::string(request.method_string()), std::string(request.target()),
                             std::string(request[http::field::authorization]), std::move(request.body()),
                             remote, {}};
            for (const auto& field : request) {
                std::string name(field.name_string());
                for (auto& c : name) {
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                }
                call.headers.emplace_back(std::move(name), std::string(field.value()));
            }
            // Made in its own statement: GCC 12 destroys by-value arguments inside a
            // co_await full-expression twice.
            auto pending = http(std::move(call));
            HttpResponse answer = co_await std::move(pending);
            bool keep_alive = request.keep_alive();
            auto res = make_response(answer, request.version(), keep_alive);
            co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !keep_alive) {
                stream.socket().shutdown(tcp::socket::shutdown_send, ec);
                co_return;
            }
        }
    }
};

HttpListener::HttpListener(IoThreads& loops, ListenerOptions options, HttpHandler http,
                           StreamHandler streams)
    : impl_(std::make_shared<Impl>()) {
    impl_->options = std::move(options);
    impl_->http = std::move(http);
    impl_->streams = std::move(streams);
    std::weak_ptr<Impl> weak = impl_;
    impl_->acceptor = std::make_shared<Acceptor>(
        loops, impl_->options.address, impl_->options.port,
        [weak](tcp::socket socket, std::size_t loop) {
            auto impl = weak.lock();
            if (!impl) {
                return;
            }
            auto executor = socket.get_executor();
            asio::co_spawn(executor, impl->serve(std::move(socket), loop),
                           [impl](std::exception_ptr error) {
                               if (error) {
                                   try {
                                       std::rethrow_exception(error);
                                   } catch (const std::exception& e) {
                                       log::error("HTTP session failed: {}", e.what());
                                   }
                               }
                           });
        });
    impl_->acceptor->start();
}

HttpListener::~HttpListener() { stop(); }

std::uint16_t HttpListener::port() const { return impl_->acceptor->port(); }

void HttpListener::stop() { impl_->acceptor->stop(); }

}  // namespace barrage::net
