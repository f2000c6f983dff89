#include "app/cli_client.h"

#include <chrono>
#include <deque>
#include <optional>

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "wire/codec.h"

namespace barrage::app {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::ip::tcp;

namespace {

class Connection {
public:
    explicit Connection(const ClientOptions& options) : socket_(context_) {
        tcp::resolver resolver(context_);
        asio::connect(socket_, resolver.resolve(options.host, std::to_string(options.port)));
    }

    void send(wire::Operation operation, std::string_view body) {
        std::string bytes;
        wire::append_packet(bytes, wire::ProtocolVersion::control, operation, 1, body);
        asio::write(socket_, asio::buffer(bytes));
    }

    // Blocks until a packet arrives (or the receive timeout passes: nullopt).
    Result<std::optional<wire::Packet>> next() {
        if (pending_.empty()) {
            auto packets = receive();
            if (!packets) {
                return packets.error();
            }
            pending_.insert(pending_.end(), std::make_move_iterator(packets->begin()),
                            std::make_move_iterator(packets->end()));
        }
        if (pending_.empty()) {
            return std::optional<wire::Packet>();
        }
        auto packet = std::move(pending_.front());
        pending_.pop_front();
        return std::optional<wire::Packet>(std::move(packet));
    }

    // Makes receive() return (empty) after `seconds` without data, so a watcher can heartbeat.
    void set_receive_timeout(int seconds) {
        timeval timeout{seconds, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }

private:
    Result<std::vector<wire::Packet>> receive() {
        std::vector<wire::Packet> packets;
        std::array<char, 16 * 1024> chunk{};
        while (packets.empty()) {
            boost::system::error_code ec;
            std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
            if (ec == asio::error::would_block || ec == asio::error::try_again) {
                return packets;  // receive timeout: nothing yet
            }
            if (ec) {
                return std::error_code(ec);
            }
            if (auto fed = reassembler_.feed(std::string_view(chunk.data(), n), packets); !fed) {
                return fed.error();
            }
        }
        return packets;
    }

    asio::io_context context_;
    std::deque<wire::Packet> pending_;
    tcp::socket socket_;
    wire::StreamReassembler reassembler_{wire::push_decode_limits()};
};

std::string auth_body(const ClientOptions& options) {
    json::object body{{"roomid", options.room},
                      {"protover", options.protover},
                      {"platform", "cli"},
                      {"type", 2},
                      {"dialect", options.dialect}};
    if (!options.token.empty()) {
        body["key"] = options.token;
    }
    if (options.last_seq >= 0) {
        body["last_seq"] = options.last_seq;
    }
    return json::serialize(body);
}

// Sends op 7 and waits for op 8; a non-zero code is Errc::unauthenticated (message logged by
// the caller from the reply).
Status authenticate(Connection& connection, const ClientOptions& options, std::string& reply) {
    connection.send(wire::Operation::auth, auth_body(options));
    for (;;) {
        auto packet = connection.next();
        if (!packet) {
            return packet.error();
        }
        if (*packet && (*packet)->operation == static_cast<std::uint32_t>(wire::Operation::auth_reply)) {
            reply = (*packet)->body;
            boost::system::error_code ec;
            auto parsed = json::parse(reply, ec);
            if (ec || !parsed.is_object() || parsed.as_object().if_contains("code") == nullptr ||
                parsed.as_object().at("code") != 0) {
                return make_error_code(Errc::unauthenticated);
            }
            return {};
        }
    }
}

}  // namespace

Result<std::string> send_once(const ClientOptions& options, const std::string& body) {
    try {
        Connection connection(options);
        std::string reply;
        if (auto status = authenticate(connection, options, reply); !status) {
            // A refused auth is an answer too: its body names the reason (e.g. unknown room).
            if (!reply.empty()) {
                return reply;
            }
            return status.error();
        }
        connection.send(wire::Operation::send_message, body);
        for (;;) {
            auto packet = connection.next();
            if (!packet) {
                return packet.error();
            }
            if (*packet && (*packet)->operation == static_cast<std::uint32_t>(wire::Operation::send_reply)) {
                return (*packet)->body;
            }
        }
    } catch (const boost::system::system_error& error) {
        return std::error_code(error.code());
    }
}

Result<std::string> http_post(const std::string& host, std::uint16_t port, const std::string& path,
                              const std::string& token, const std::string& body) {
    return http_call(host, port, "POST", path, token, body);
}

Result<std::string> http_call(const std::string& host, std::uint16_t port, std::string_view method,
                              const std::string& path, const std::string& token, const std::string& body) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    try {
        asio::io_context context;
        beast::tcp_stream stream(context);
        tcp::resolver resolver(context);
        stream.connect(resolver.resolve(host, std::to_string(port)));
        http::request<http::string_body> request{http::string_to_verb(method), path, 11};
        request.set(http::field::host, host);
        request.set(http::field::content_type, "application/json");
        request.set(http::field::authorization, "Bearer " + token);
        request.body() = body;
        request.prepare_payload();
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        return response.body();
    } catch (const boost::system::system_error& error) {
        return std::error_code(error.code());
    }
}

Status watch(const ClientOptions& options, const std::function<bool(const std::string&)>& on_message) {
    try {
        Connection connection(options);
        std::string reply;
        if (auto status = authenticate(connection, options, reply); !status) {
            return status.error();
        }
        connection.set_receive_timeout(10);
        auto next_heartbeat = std::chrono::steady_clock::now();
        for (;;) {
            if (std::chrono::steady_clock::now() >= next_heartbeat) {
                connection.send(wire::Operation::heartbeat, "{}");
                next_heartbeat += std::chrono::seconds(30);
            }
            auto packet = connection.next();
            if (!packet) {
                return packet.error();
            }
            if (*packet && (*packet)->operation == static_cast<std::uint32_t>(wire::Operation::message) &&
                !on_message((*packet)->body)) {
                return {};
            }
        }
    } catch (const boost::system::system_error& error) {
        return std::error_code(error.code());
    }
}

bool reply_succeeded(std::string_view reply) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(reply, ec);
    const auto* object = ec ? nullptr : parsed.if_object();
    const auto* code = object != nullptr ? object->if_contains("code") : nullptr;
    return code != nullptr && code->is_int64() && code->get_int64() == 0;
}

}  // namespace barrage::app
