// Raw TCP long connections: the same packets as the WebSocket, as a byte stream.

#include "net/acceptor.h"
#include "net/listeners.h"
#include "net/socket_stream.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class TcpPacketStream final : public SocketStream {
public:
    TcpPacketStream(tcp::socket socket, wire::DecodeLimits limits)
        : SocketStream(std::move(socket), false), reassembler_(limits) {}

    asio::awaitable<void> close() override {
        auto pending = close_after_written();
        co_await std::move(pending);
    }

    const char* transport_name() const override { return "tcp"; }

private:
    Status consume(std::span<char> bytes, std::vector<wire::Packet>& packets) override {
        return reassembler_.feed(std::string_view(bytes.data(), bytes.size()), packets);
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
        loops, options.address, options.port,
        [limits, streams = std::move(streams)](tcp::socket socket, std::size_t loop) {
            streams(std::make_unique<TcpPacketStream>(std::move(socket), limits), loop);
        });
    impl_->acceptor->start();
}

TcpListener::~TcpListener() { stop(); }

std::uint16_t TcpListener::port() const { return impl_->acceptor->port(); }

void TcpListener::stop() { impl_->acceptor->stop(); }

}  // namespace barrage::net
