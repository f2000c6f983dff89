// Raw TCP long connections: the same packets as the WebSocket, as a byte stream.

#include "net/acceptor.h"
#include "net/listeners.h"
#include "net/send_buffer.h"
#include "net/socket_stream.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class TcpPacketStream final : public SocketStream {
public:
    TcpPacketStream(tcp::socket socket, StreamOrigin origin, wire::DecodeLimits limits)
        : SocketStream(std::move(socket), false, std::move(origin)), reassembler_(limits) {}

    asio::awaitable<void> close() override {
        auto pending = close_after_written();
        co_await std::move(pending);
    }

    const char* transport_name() const override { return "tcp"; }
    // A raw stream has no way to say why; the log line does.
    void fail(std::error_code) override {}

private:
    Status consume(std::span<char> bytes, std::vector<wire::Packet>& packets, std::size_t packets_max) override {
        return reassembler_.feed(std::string_view(bytes.data(), bytes.size()), packets, packets_max);
    }

    wire::StreamReassembler reassembler_;
};

}  // namespace

struct TcpListener::Impl {
    std::shared_ptr<Acceptor> acceptor;
};

TcpListener::TcpListener(IoThreads& loops, ListenerOptions options, StreamHandler streams)
    : impl_(std::make_shared<Impl>()) {
    auto limits = options.decode_limits;
    impl_->acceptor = std::make_shared<Acceptor>(
        loops,
        Acceptor::Options{
            .address = options.address, .port = options.port, .caps = options.caps, .on_pressure = options.on_pressure},
        [limits, send_buffer = options.stream_send_buffer_bytes, streams = std::move(streams)](
            tcp::socket socket, std::size_t loop, security::ConnectionCaps::Lease lease) {
            cap_send_buffer(socket, send_buffer);
            StreamOrigin origin{.remote = {}, .early_bytes = {}, .lease = std::move(lease)};
            streams(std::make_unique<TcpPacketStream>(std::move(socket), std::move(origin), limits), loop);
        });
    impl_->acceptor->start();
}

TcpListener::~TcpListener() {
    stop();
}

std::uint16_t TcpListener::port() const {
    return impl_->acceptor->port();
}

void TcpListener::stop() {
    impl_->acceptor->stop();
}

}  // namespace barrage::net
