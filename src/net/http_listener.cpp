// HTTP/1.1 sessions and WebSocket long connections, on Beast. The only translation unit that
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

// A WebSocket carrying live-room packets; each binary (or text) message holds whole packets.
class WsPacketStream final : public PacketStream {
public:
    WsPacketStream(websocket::stream<tcp::socket> ws, wire::DecodeLimits limits,
                   std::string remote)
        : ws_(std::move(ws)), limits_(limits), remote_(std::move(remote)) {
        ws_.binary(true);
    }

    asio::any_io_executor executor() override { return ws_.get_executor(); }

    asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets) override {
        for (;;) {
            buffer_.clear();
            boost::system::error_code ec;
            co_await ws_.async_read(buffer_, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return std::error_code(ec);
            }
            auto data = buffer_.cdata();
            std::string_view bytes(static_cast<const char*>(data.data()), data.size());
            auto decoded = wire::decode_packets(bytes, limits_, packets);
            // Give the buffer back: idle connections far outnumber talking ones, and the next
            // read allocates only when a message arrives.
            buffer_ = beast::flat_buffer();
            if (!decoded) {
                co_return decoded.error();
            }
            if (!packets.empty()) {
                co_return Status{};
            }
        }
    }

    void start_write(const std::vector<FramePtr>& frames, WriteDone done) override {
        write_from(frames, 0, std::move(done));
    }

    asio::awaitable<void> close() override {
        boost::system::error_code ec;
        co_await ws_.async_close(websocket::close_code::normal,
                                 asio::redirect_error(asio::use_awaitable, ec));
        abort();
    }

    void abort() override {
        boost::system::error_code ignored;
        ws_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
        ws_.next_layer().close(ignored);
    }

    std::string remote() const override { return remote_; }
    const char* transport_name() const override { return "ws"; }

private:
    // One message per frame, in order; the caller keeps `frames` alive until `done`.
    void write_from(const std::vector<FramePtr>& frames, std::size_t next, WriteDone done) {
        if (next == frames.size()) {
            done(Status{});
            return;
        }
        ws_.async_write(asio::buffer(frames[next]->bytes),
                        [this, &frames, next, done = std::move(done)](boost::system::error_code ec,
                                                                      std::size_t) mutable {
                            if (ec) {
                                done(std::error_code(ec));
                                return;
                            }
                            write_from(frames, next + 1, std::move(done));
                        });
    }

    websocket::stream<tcp::socket> ws_;
    wire::DecodeLimits limits_;
    std::string remote_;
    beast::flat_buffer buffer_;
};

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

    asio::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> request,
                                  std::string remote, std::size_t loop) {
        // The plain socket underneath (not Beast's tcp_stream, whose timers every idle
        // connection would keep); the WebSocket's own timer covers the handshake.
        websocket::stream<tcp::socket> ws(stream.release_socket());
        ws.read_message_max(options.ws_message_bytes_max);
        // Each batch goes out as one unfragmented message, straight from the shared frame: no
        // 4 KiB write buffer per connection (Beast's default), which idle connections would keep.
        ws.auto_fragment(false);
        ws.write_buffer_bytes(256);
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
        streams(std::make_unique<WsPacketStream>(std::move(ws), options.decode_limits, std::move(remote)),
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
                auto pending = upgrade(std::move(stream), std::move(request), std::move(remote), loop);
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
