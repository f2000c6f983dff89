#include "support/packet_client.h"

#include <array>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "support/json_helpers.h"

namespace barrage::test {

namespace asio = boost::asio;
using asio::ip::tcp;

boost::json::value Received::json() const {
    return parse_json(packet.body);
}

std::string Received::cmd() const {
    if (packet.operation != static_cast<std::uint32_t>(wire::Operation::message)) {
        return {};
    }
    return cmd_of(packet.body);
}

PacketClient::PacketClient(ClientOptions options, std::unique_ptr<asio::io_context> owned)
    : options_(options),
      owned_context_(std::move(owned)),
      context_(options.context != nullptr ? options.context : owned_context_.get()) {}

PacketClient::~PacketClient() = default;

void PacketClient::send_packet(wire::Operation operation, std::uint16_t version, std::string_view body,
                               std::uint32_t sequence) {
    std::string bytes;
    wire::append_packet(bytes, static_cast<wire::ProtocolVersion>(version), operation, sequence, body);
    send_raw(bytes);
}

void PacketClient::send_auth(std::string_view body) {
    send_packet(wire::Operation::auth, 1, body, 1);
}

void PacketClient::send_heartbeat() {
    send_packet(wire::Operation::heartbeat, 1, "{}", 1);
}

void PacketClient::send_message(std::string_view body, std::uint32_t sequence) {
    send_packet(wire::Operation::send_message, 1, body, sequence);
}

void PacketClient::complete_read(Chunk chunk) {
    read_in_flight_ = false;
    ready_ = std::move(chunk);
}

bool PacketClient::run_until(const bool& done, std::chrono::steady_clock::time_point deadline) {
    while (!done) {
        if (context_->stopped()) {
            context_->restart();
        }
        if (context_->run_one_until(deadline) == 0 && std::chrono::steady_clock::now() >= deadline) {
            return done;
        }
    }
    return true;
}

void PacketClient::drain_read() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (read_in_flight_ && std::chrono::steady_clock::now() < deadline) {
        if (context_->stopped()) {
            context_->restart();
        }
        context_->run_one_until(deadline);
    }
}

bool PacketClient::await_chunk(std::chrono::steady_clock::time_point deadline) {
    if (!ready_ && !read_in_flight_) {
        read_in_flight_ = true;
        start_read();
    }
    // A read that completes stores its chunk in ready_ (complete_read).
    while (!ready_) {
        if (context_->stopped()) {
            context_->restart();
        }
        if (context_->run_one_until(deadline) == 0 && std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
    }
    Chunk chunk = std::move(*ready_);
    ready_.reset();
    absorb(std::move(chunk));
    return true;
}

void PacketClient::absorb(Chunk chunk) {
    ++reads_;
    if (chunk.closed) {
        closed_ = true;
        close_reason_ = chunk.close_reason;
        return;
    }
    if (message_framed()) {
        decode_message(chunk.bytes);
        return;
    }
    stream_ += chunk.bytes;
    decode_stream();
}

void PacketClient::decode_stream() {
    std::size_t offset = 0;
    while (stream_.size() - offset >= limits::kHeaderBytes) {
        std::string_view rest(stream_.data() + offset, stream_.size() - offset);
        auto header = wire::decode_header(rest, options_.limits);
        if (!header) {
            throw std::runtime_error(
                fmt::format("{} client: server sent a bad header: {}", transport(), header.error().message()));
        }
        if (rest.size() < header->packet_length) {
            break;
        }
        decode_outer(rest.substr(0, header->packet_length), header->version, header->packet_length, 0, 0);
        offset += header->packet_length;
    }
    stream_.erase(0, offset);
}

void PacketClient::decode_message(std::string_view bytes) {
    std::vector<std::pair<std::size_t, wire::Header>> outers;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        auto header = wire::decode_header(bytes.substr(offset), options_.limits);
        if (!header || bytes.size() - offset < header->packet_length) {
            throw std::runtime_error(
                fmt::format("{} client: server sent a message of {} bytes that does "
                            "not hold whole packets",
                            transport(), bytes.size()));
        }
        outers.emplace_back(offset, *header);
        offset += header->packet_length;
    }
    for (const auto& [start, header] : outers) {
        decode_outer(bytes.substr(start, header.packet_length), header.version, header.packet_length, bytes.size(),
                     outers.size());
    }
}

void PacketClient::decode_outer(std::string_view packet, std::uint16_t version, std::uint32_t length,
                                std::size_t message_bytes, std::size_t message_packets) {
    std::vector<wire::Packet> inner;
    if (auto decoded = wire::decode_packets(packet, options_.limits, inner); !decoded) {
        throw std::runtime_error(fmt::format("{} client: cannot decode a version {} packet of {} bytes: {}",
                                             transport(), version, length, decoded.error().message()));
    }
    for (auto& item : inner) {
        packets_.push_back(Received{.packet = std::move(item),
                                    .outer_version = version,
                                    .outer_length = length,
                                    .message_index = reads_ - 1,
                                    .message_bytes = message_bytes,
                                    .message_packets = message_packets});
    }
}

Received PacketClient::next(std::chrono::milliseconds timeout) {
    return next_where([](const Received&) { return true; }, "any packet", timeout);
}

Received PacketClient::next_where(const std::function<bool(const Received&)>& match, std::string_view what,
                                  std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        while (!packets_.empty()) {
            Received received = std::move(packets_.front());
            packets_.pop_front();
            if (match(received)) {
                return received;
            }
        }
        if (closed_) {
            throw std::runtime_error(
                fmt::format("{} client: the server closed the connection ({}) while "
                            "the test waited for {}",
                            transport(), close_reason_, what));
        }
        if (!await_chunk(deadline)) {
            throw std::runtime_error(
                fmt::format("{} client: nothing matching {} arrived within {} ms", transport(), what, timeout.count()));
        }
    }
}

Received PacketClient::next_cmd(std::string_view cmd, std::chrono::milliseconds timeout) {
    return next_where([cmd](const Received& received) { return received.cmd() == cmd; },
                      fmt::format("an op 5 push with cmd {}", cmd), timeout);
}

Received PacketClient::next_operation(wire::Operation operation, std::chrono::milliseconds timeout) {
    auto op = static_cast<std::uint32_t>(operation);
    return next_where([op](const Received& received) { return received.packet.operation == op; },
                      fmt::format("a packet with op {}", op), timeout);
}

Received PacketClient::take_operation(wire::Operation operation, std::chrono::milliseconds timeout) {
    auto op = static_cast<std::uint32_t>(operation);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (std::size_t looked = 0;;) {
        for (; looked < packets_.size(); ++looked) {
            if (packets_[looked].packet.operation == op) {
                Received received = std::move(packets_[looked]);
                packets_.erase(packets_.begin() + static_cast<std::ptrdiff_t>(looked));
                return received;
            }
        }
        if (closed_) {
            throw std::runtime_error(
                fmt::format("{} client: the server closed the connection ({}) while "
                            "the test waited for a packet with op {}",
                            transport(), close_reason_, op));
        }
        if (!await_chunk(deadline)) {
            throw std::runtime_error(
                fmt::format("{} client: no packet with op {} arrived within {} ms", transport(), op, timeout.count()));
        }
    }
}

boost::json::object PacketClient::auth_reply(std::chrono::milliseconds timeout) {
    auto reply = next_operation(wire::Operation::auth_reply, timeout);
    return parse_object(reply.packet.body);
}

bool PacketClient::wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        packets_.clear();
        if (closed_) {
            return true;
        }
        if (!await_chunk(deadline)) {
            return false;
        }
    }
}

namespace {

// Raw TCP: the stream is cut into packets by their length fields.
class TcpClient final : public PacketClient {
public:
    TcpClient(std::uint16_t port, ClientOptions options, std::unique_ptr<asio::io_context> owned)
        : PacketClient(options, std::move(owned)), socket_(context()) {
        socket_.open(tcp::v4());
        if (options.receive_buffer_bytes > 0) {
            socket_.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
        }
        boost::system::error_code ec;
        socket_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
        if (ec) {
            throw std::runtime_error(fmt::format("tcp client: cannot connect to port {}: {}", port, ec.message()));
        }
        socket_.set_option(tcp::no_delay(true));
    }

    ~TcpClient() override {
        boost::system::error_code ignored;
        socket_.close(ignored);
        drain_read();
    }

    const char* transport() const override { return "tcp"; }

    void send_raw(std::string_view bytes) override {
        bool done = false;
        boost::system::error_code result;
        asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                          [&](boost::system::error_code ec, std::size_t) {
                              result = ec;
                              done = true;
                          });
        if (!run_until(done, std::chrono::steady_clock::now() + kWaitMax)) {
            boost::system::error_code ignored;
            socket_.close(ignored);
            run_until(done, std::chrono::steady_clock::now() + kWaitMax);
            throw std::runtime_error(
                fmt::format("tcp client: sending {} bytes did not finish within {} ms "
                            "(the server stopped reading)",
                            bytes.size(), kWaitMax.count()));
        }
        if (result) {
            throw std::runtime_error(
                fmt::format("tcp client: sending {} bytes failed: {}", bytes.size(), result.message()));
        }
    }

protected:
    void start_read() override {
        socket_.async_read_some(asio::buffer(buffer_), [this](boost::system::error_code ec, std::size_t n) {
            if (ec) {
                complete_read(Chunk{.bytes = {}, .closed = true, .close_reason = ec.message()});
                return;
            }
            complete_read(Chunk{.bytes = std::string(buffer_.data(), n), .closed = false, .close_reason = {}});
        });
    }

    bool message_framed() const override { return false; }

private:
    tcp::socket socket_;
    std::array<char, 64 * 1024> buffer_{};
};

}  // namespace

std::unique_ptr<PacketClient> connect_tcp(std::uint16_t port, ClientOptions options) {
    std::unique_ptr<asio::io_context> owned;
    if (options.context == nullptr) {
        owned = std::make_unique<asio::io_context>(1);
    }
    return std::make_unique<TcpClient>(port, options, std::move(owned));
}

const char* to_string(Transport transport) {
    return transport == Transport::tcp ? "tcp" : "ws";
}

}  // namespace barrage::test
