#include "loadgen/transport.h"

#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <random>
#include <span>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "base/errc.h"
#include "base/limits.h"

namespace barrage::loadgen {
namespace {

using tcp = net::ip::tcp;
using boost::system::error_code;

// One read buffer per thread: 256 KiB takes a whole batch frame at saturation rates (5,000
// msg/s to one room is ~60 KiB per 50 ms frame) in one system call, without a carry.
constexpr std::size_t kReadBufferBytes = 256 * 1024;
// Pushes are at most one compressed batch; a larger message is a broken server.
constexpr std::size_t kMessageBytesMax = limits::kPacketBytesMax;

// Lets the kernel pick the source port at connect() instead of bind(), so thousands of
// connections from one source address can share ports across different destinations.
using BindAddressNoPort = net::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

std::array<char, kReadBufferBytes>& thread_read_buffer() {
    thread_local std::array<char, kReadBufferBytes> buffer;
    return buffer;
}

std::uint32_t next_mask_key() {
    thread_local std::minstd_rand generator{std::random_device{}()};
    return static_cast<std::uint32_t>(generator());
}

}  // namespace

Transport::Transport(net::any_io_executor executor, const TransportConfig& config)
    : config_(config),
      socket_(std::move(executor)),
      reader_(
          {.message_bytes_max = kMessageBytesMax, .require_masked = false, .whole_messages = config.whole_messages}),
      mask_key_(next_mask_key()) {}

net::awaitable<std::error_code> Transport::connect(net::ip::address source) {
    error_code ec;
    const tcp::endpoint target(config_.host, config_.port);
    socket_.open(target.protocol(), ec);
    if (!ec && config_.receive_buffer_bytes != 0) {
        socket_.set_option(net::socket_base::receive_buffer_size(static_cast<int>(config_.receive_buffer_bytes)), ec);
    }
    if (!ec && config_.bind_source) {
        socket_.set_option(BindAddressNoPort(true), ec);
        if (!ec) {
            socket_.bind(tcp::endpoint(source, 0), ec);
        }
    }
    if (!ec) {
        co_await socket_.async_connect(target, net::redirect_error(net::use_awaitable, ec));
    }
    if (!ec) {
        socket_.set_option(tcp::no_delay(true), ec);
    }
    if (!ec) {
        socket_.non_blocking(true, ec);
    }
    co_return ec;
}

net::awaitable<std::error_code> Transport::handshake() {
    if (config_.kind == TransportKind::tcp) {
        co_return std::error_code{};
    }
    const std::string host = config_.host.to_string() + ":" + std::to_string(config_.port);
    if (const auto ec = co_await write(make_upgrade_request(host, config_.path))) {
        co_return ec;
    }
    for (;;) {
        std::span<char> bytes;
        if (const auto ec = co_await read_some(bytes)) {
            co_return ec;
        }
        pending_.append(std::string_view(bytes.data(), bytes.size()));
        const auto head = parse_upgrade_response(pending_.view());
        if (!head) {
            co_return head.error();
        }
        if (*head) {
            pending_.consume(**head);
            co_return std::error_code{};
        }
    }
}

net::awaitable<std::error_code> Transport::read_some(std::span<char>& bytes, std::size_t bytes_max) {
    for (;;) {
        error_code ec;
        co_await socket_.async_wait(tcp::socket::wait_read, net::redirect_error(net::use_awaitable, ec));
        if (ec) {
            co_return ec;
        }
        const std::error_code read = read_once_now(bytes, bytes_max);
        if (read != std::error_code(error_code(net::error::would_block))) {
            co_return read;
        }
    }
}

std::error_code Transport::read_once_now(std::span<char>& bytes, std::size_t bytes_max) {
    auto& buffer = thread_read_buffer();
    error_code ec;
    const std::size_t size = socket_.read_some(net::buffer(buffer.data(), std::min(buffer.size(), bytes_max)), ec);
    if (ec == net::error::try_again) {
        ec = net::error::would_block;
    }
    if (ec) {
        return ec;
    }
    bytes = std::span<char>(buffer.data(), size);
    return {};
}

bool Transport::deliver_carried(TransportSink& sink, std::error_code& ec) {
    if (pending_.empty()) {
        return false;
    }
    std::string carried(pending_.view());
    pending_.consume(pending_.size());
    ec = deliver_bytes(carried, sink);
    return true;
}

net::awaitable<std::error_code> Transport::read(TransportSink& sink, std::size_t bytes_max, std::size_t* bytes_read) {
    std::error_code carried;
    if (deliver_carried(sink, carried)) {
        co_return carried;
    }
    std::span<char> bytes;
    if (const auto ec = co_await read_some(bytes, bytes_max)) {
        co_return ec;
    }
    if (bytes_read != nullptr) {
        *bytes_read += bytes.size();
    }
    co_return deliver_bytes(bytes, sink);
}

std::error_code Transport::read_available(TransportSink& sink) {
    std::error_code ec;
    if (deliver_carried(sink, ec) && ec) {
        return ec;
    }
    std::span<char> bytes;
    ec = read_once_now(bytes);
    if (ec == std::error_code(error_code(net::error::would_block))) {
        return {};
    }
    if (ec) {
        return ec;
    }
    return deliver_bytes(bytes, sink);
}

// Raw TCP bytes go to the sink as they are; WebSocket bytes through the frame reader, which
// parses in place and carries only a frame split across reads.
std::error_code Transport::deliver_bytes(std::span<char> bytes, TransportSink& sink) {
    if (config_.kind == TransportKind::tcp) {
        return sink.on_message(std::string_view(bytes.data(), bytes.size())) ? std::error_code{}
                                                                             : make_error_code(Errc::bad_request);
    }
    FrameEvents events{*this, sink};
    if (auto fed = reader_.feed(bytes, events); !fed) {
        return fed.error();
    }
    if (reader_.closed()) {  // the server's close frame
        return error_code(net::error::eof);
    }
    return {};
}

Status Transport::FrameEvents::on_message(std::string_view payload) {
    return sink.on_message(payload) ? Status{} : Status{make_error_code(Errc::bad_request)};
}

void Transport::FrameEvents::on_ping(std::string_view payload) {
    std::string pong;
    wire::append_websocket_frame(pong, wire::WebSocketOpcode::pong, payload, transport.mask_key_);
    sink.on_transport_reply(pong);
}

void Transport::append_message(std::string& out, std::string_view payload) const {
    if (config_.kind == TransportKind::tcp) {
        out.append(payload);
        return;
    }
    wire::append_websocket_frame(out, config_.text_frames ? wire::WebSocketOpcode::text : wire::WebSocketOpcode::binary,
                                 payload, mask_key_);
}

net::awaitable<std::error_code> Transport::write(std::string_view bytes) {
    error_code ec;
    co_await net::async_write(socket_, net::buffer(bytes.data(), bytes.size()),
                              net::redirect_error(net::use_awaitable, ec));
    co_return ec;
}

void Transport::close() {
    error_code ignored;
    socket_.close(ignored);
}

}  // namespace barrage::loadgen
