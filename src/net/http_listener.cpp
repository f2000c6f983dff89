// HTTP/1.1 sessions and the WebSocket upgrade, on Beast. With http_client.cpp (the sandbox
// proxy's calls out) the only translation units of the server's code that include Beast's
// HTTP headers, and the only one with its WebSocket headers, to keep builds quick.

#include <cctype>
#include <chrono>
#include <exception>
#include <string_view>
#include <unordered_set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "base/errc.h"
#include "base/log.h"
#include "net/acceptor.h"
#include "net/http_error.h"
#include "net/listeners.h"
#include "net/send_buffer.h"
#include "net/socket_stream.h"
#include "net/websocket_stream.h"

namespace barrage::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

constexpr auto kWsHandshakeTimeout = std::chrono::seconds(5);
// The whole header section, request line included (RFC 9112 leaves the numbers to servers;
// 16 KiB holds any real browser's cookies and a long token).
constexpr std::uint32_t kHttpHeaderBytesMax = 16 * 1024;
// The request line alone: past it 414 rather than 431, so a client can tell which part to cut.
constexpr std::size_t kRequestLineBytesMax = 8 * 1024;

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

http::response<http::string_body> make_response(const HttpResponse& response, unsigned version, bool keep_alive,
                                                bool head) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), version};
    if (response.relayed) {
        if (!response.content_type.empty()) {
            res.set(http::field::content_type, response.content_type);
        }
        for (const auto& [name, value] : response.headers) {
            res.insert(name, value);
        }
    } else {
        res.set(http::field::server, "barrage");
        res.set(http::field::content_type, response.content_type);
        res.set(http::field::access_control_allow_origin, "*");
        for (const auto& [name, value] : response.headers) {
            res.set(name, value);
        }
    }
    res.keep_alive(keep_alive);
    if (head) {
        // A HEAD answer carries the GET's length and no body (RFC 9110 §9.3.2).
        res.content_length(response.body.size());
        return res;
    }
    res.body() = response.body;
    res.prepare_payload();
    return res;
}

// RFC 6455 §4.2.1: the key is a base64-encoded 16-byte value, 24 characters ending in "==".
bool valid_websocket_key(std::string_view key) {
    if (key.size() != 24 || key.substr(22) != "==") {
        return false;
    }
    for (char c : key.substr(0, 22)) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') {
            return false;
        }
    }
    return true;
}

// Which limit a header_limit failure broke: a request line that alone is longer than allowed
// (414), or the header section (431).
std::error_code header_limit_error(const beast::flat_buffer& buffer) {
    const std::string_view read(static_cast<const char*>(buffer.cdata().data()), buffer.size());
    const auto line_end = read.find("\r\n");
    const bool line_too_long =
        line_end == std::string_view::npos ? read.size() > kRequestLineBytesMax : line_end > kRequestLineBytesMax;
    return make_error_code(line_too_long ? Errc::uri_too_long : Errc::headers_too_large);
}

// The client's address a trusted proxy forwards: the last X-Forwarded-For entry (the one
// the proxy itself appended), else X-Real-IP; "" when neither parses as an address.
std::string forwarded_address(const http::request<http::string_body>& request) {
    std::string_view value = request["X-Forwarded-For"];
    if (auto comma = value.rfind(','); comma != std::string_view::npos) {
        value = value.substr(comma + 1);
    }
    if (value.empty()) {
        value = request["X-Real-IP"];
    }
    while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
    }
    while (!value.empty() && value.back() == ' ') {
        value.remove_suffix(1);
    }
    boost::system::error_code ec;
    auto address = asio::ip::make_address(std::string(value), ec);
    return ec ? std::string() : endpoint_text(tcp::endpoint(address, 0));
}

}  // namespace

struct HttpListener::Impl : std::enable_shared_from_this<HttpListener::Impl> {
    // One HTTP connection, as the shedding sweep sees it: its socket, and whether it waits
    // for a request (idle) rather than working on one.
    struct Connection {
        tcp::socket* socket = nullptr;
        bool idle = true;
    };

    IoThreads& loops;
    ListenerOptions options;
    HttpHandler http;
    StreamHandler streams;
    std::shared_ptr<Acceptor> acceptor;
    // Per loop, touched only on that loop.
    std::vector<std::unordered_set<Connection*>> connections;

    Impl(IoThreads& io, ListenerOptions listener_options, HttpHandler handler, StreamHandler stream_handler)
        : loops(io),
          options(std::move(listener_options)),
          http(std::move(handler)),
          streams(std::move(stream_handler)),
          connections(io.size()) {}

    // Registers a connection on its loop for the shedding sweep while it lives.
    struct Registration {
        Registration(Impl& owner, std::size_t on_loop, Connection& self)
            : impl(owner), loop(on_loop), connection(self) {
            impl.connections[loop].insert(&connection);
        }
        ~Registration() { impl.connections[loop].erase(&connection); }
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;
        Impl& impl;
        std::size_t loop;
        Connection& connection;
    };

    void shed_idle() {
        for (std::size_t loop = 0; loop < connections.size(); ++loop) {
            asio::post(loops.context(loop), [self = shared_from_this(), loop] {
                std::size_t shed = 0;
                for (auto* connection : self->connections[loop]) {
                    if (connection->idle) {
                        boost::system::error_code ignored;
                        connection->socket->close(ignored);  // the waiting read ends; it erases itself
                        ++shed;
                    }
                }
                if (shed > 0) {
                    log::warn("descriptors short: closed {} idle HTTP connections on loop {}", shed, loop);
                }
            });
        }
    }

    std::chrono::milliseconds idle_timeout() const {
        const bool pressure = options.caps != nullptr && options.caps->under_pressure();
        return std::chrono::milliseconds(pressure ? options.http_idle_timeout_under_pressure_ms
                                                  : options.http_idle_timeout_ms);
    }

    // Writes a listener-made error answer and ends the connection.
    asio::awaitable<void> refuse(beast::tcp_stream& stream, std::error_code error, unsigned version = 11) {
        if (options.on_refusal) {
            options.on_refusal(error);
        }
        auto res = make_response(error_response(error), version, false, false);
        boost::system::error_code ec;
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    // Beast answers the upgrade (request checks, Sec-WebSocket-Accept, no extensions); then the
    // socket leaves Beast for our own framing (websocket_stream.h), whose idle connections
    // hold no frame buffer and no pending operation.
    asio::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> request,
                                  StreamOrigin origin, std::size_t loop) {
        websocket::stream<tcp::socket> ws(stream.release_socket());
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = kWsHandshakeTimeout;
        timeouts.idle_timeout = websocket::stream_base::none();  // heartbeats are the gateway's
        timeouts.keep_alive_pings = false;
        ws.set_option(timeouts);
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "barrage"); }));
        boost::system::error_code ec;
        co_await ws.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return;
        }
        tcp::socket socket = std::move(ws.next_layer());
        cap_send_buffer(socket, options.stream_send_buffer_bytes);
        streams(make_websocket_stream(std::move(socket), std::move(origin), options.decode_limits,
                                      options.ws_message_bytes_max),
                loop);
    }

    asio::awaitable<void> serve(tcp::socket socket, std::size_t loop, security::ConnectionCaps::Lease lease) {
        boost::system::error_code ec;
        const auto peer = socket.remote_endpoint(ec);
        std::string remote = ec ? "?" : endpoint_text(peer);
        const bool proxied =
            !ec && options.caps != nullptr && options.caps->is_trusted_proxy(peer.address().to_string());
        Connection self{.socket = &socket};
        beast::tcp_stream stream(std::move(socket));
        self.socket = &stream.socket();
        const Registration registration(*this, loop, self);
        beast::flat_buffer buffer;
        for (bool first = true;; first = false) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(kHttpHeaderBytesMax);
            parser.body_limit(options.http_body_bytes_max);
            stream.expires_after(idle_timeout());
            self.idle = true;
            if (options.http_body_bytes_max_of) {
                // Beast checks a Content-Length against the limit while it reads the header, before
                // we know the request's own limit: no limit then, and the same check here after.
                parser.body_limit(boost::none);
                co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
                if (!ec) {
                    const auto& head = parser.get();
                    const auto limit = options.http_body_bytes_max_of(head.method_string(), head.target(),
                                                                      head[http::field::authorization]);
                    const auto length = parser.content_length();
                    if (length && *length > limit) {
                        ec = http::error::body_limit;
                    } else {
                        parser.body_limit(limit);  // a chunked body counts against it as it comes
                    }
                }
            }
            if (!ec) {
                co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            }
            self.idle = false;
            if (ec == http::error::body_limit) {
                co_await refuse(stream, make_error_code(Errc::body_too_large));
                co_return;
            }
            if (ec == http::error::header_limit) {
                co_await refuse(stream, header_limit_error(buffer));
                co_return;
            }
            if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
                ec != http::error::end_of_stream && ec != http::error::partial_message) {
                co_await refuse(stream, make_error_code(Errc::bad_request));  // does not parse
                co_return;
            }
            if (ec) {
                co_return;
            }
            http::request<http::string_body> request = parser.release();
            if (request.target().size() > kRequestLineBytesMax) {
                co_await refuse(stream, make_error_code(Errc::uri_too_long), request.version());
                co_return;
            }
            if (proxied && first) {
                // Behind a trusted proxy the client is who the proxy says, and counts as such.
                if (auto forwarded = forwarded_address(request); !forwarded.empty()) {
                    remote = forwarded;
                    if (!lease.bind_address(peer_address_of(remote))) {
                        co_await refuse(stream, make_error_code(Errc::too_many_connections), request.version());
                        co_return;
                    }
                }
            }
            if (websocket::is_upgrade(request)) {
                if (path_of(request.target()) != options.ws_path) {
                    co_await refuse(stream, make_error_code(Errc::not_found), request.version());
                    co_return;
                }
                if (!valid_websocket_key(request[http::field::sec_websocket_key])) {
                    co_await refuse(stream, make_error_code(Errc::bad_websocket_handshake), request.version());
                    co_return;
                }
                auto early = buffer.cdata();
                StreamOrigin origin{.remote = proxied ? remote : std::string(),
                                    .early_bytes = std::string(static_cast<const char*>(early.data()), early.size()),
                                    .lease = std::move(lease)};
                auto pending = upgrade(std::move(stream), std::move(request), std::move(origin), loop);
                co_await std::move(pending);
                co_return;
            }
            const bool head = request.method() == http::verb::head;
            HttpRequest call{std::string(request.method_string()),
                             std::string(request.target()),
                             std::string(request[http::field::authorization]),
                             std::move(request.body()),
                             remote,
                             {}};
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
            auto res = make_response(answer, request.version(), keep_alive, head);
            co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !keep_alive) {
                stream.socket().shutdown(tcp::socket::shutdown_send, ec);
                co_return;
            }
        }
    }

    // "1.2.3.4" of "1.2.3.4:0", "::1" of "[::1]:0".
    static std::string peer_address_of(const std::string& remote) {
        auto colon = remote.rfind(':');
        std::string_view host = std::string_view(remote).substr(0, colon);
        if (host.size() >= 2 && host.front() == '[') {
            host = host.substr(1, host.size() - 2);
        }
        return std::string(host);
    }
};

HttpListener::HttpListener(IoThreads& loops, ListenerOptions options, HttpHandler http, StreamHandler streams)
    : impl_(std::make_shared<Impl>(loops, std::move(options), std::move(http), std::move(streams))) {
    std::weak_ptr<Impl> weak = impl_;
    Acceptor::Options accept{.address = impl_->options.address,
                             .port = impl_->options.port,
                             .caps = impl_->options.caps,
                             .on_pressure = [weak] {
                                 if (auto impl = weak.lock()) {
                                     impl->shed_idle();
                                 }
                             }};
    impl_->acceptor = std::make_shared<Acceptor>(
        loops, std::move(accept), [weak](tcp::socket socket, std::size_t loop, security::ConnectionCaps::Lease lease) {
            auto impl = weak.lock();
            if (!impl) {
                return;
            }
            auto executor = socket.get_executor();
            asio::co_spawn(executor, impl->serve(std::move(socket), loop, std::move(lease)),
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

HttpListener::~HttpListener() {
    stop();
}

std::uint16_t HttpListener::port() const {
    return impl_->acceptor->port();
}

void HttpListener::stop() {
    impl_->acceptor->stop();
}

void HttpListener::shed_idle() {
    impl_->shed_idle();
}

}  // namespace barrage::net
