// Raw TCP long connections: the same packets as the WebSocket, as a byte stream.

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/acceptor.h"
#include "net/frame_writer.h"
#include "net/listeners.h"
#include "net/loop_read_buffer.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class TcpPacketStream final : public PacketStream {
public:
    TcpPacketStream(tcp::socket socket, wire::DecodeLimits limits)
        : socket_(std::move(socket)), reassembler_(limits), writer_(socket_, false) {
        boost::system::error_code ec;
        socket_.non_blocking(true, ec);
        auto endpoint = socket_.remote_endpoint(ec);
        remote_ = ec ? "?" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    }

    asio::any_io_executor executor() override { return socket_.get_executor(); }

    asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets) override {
        for (;;) {
            // Wait for bytes without holding a buffer, then read into the loop's shared one:
            // an idle connection owns no read buffer at all.
            boost::system::error_code ec;
            co_await socket_.async_wait(tcp::socket::wait_read,
                                        asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return std::error_code(ec);
            }
            auto chunk = loop_read_buffer();
            std::size_t n = socket_.read_some(asio::buffer(chunk.data(), chunk.size()), ec);
            if (ec == asio::error::would_block || ec == asio::error::try_again) {
                continue;
            }
            if (ec) {
                co_return std::error_code(ec);
            }
            std::string_view bytes(chunk.data(), n);
            if (auto fed = reassembler_.feed(bytes, packets); !fed) {
                co_return fed.error();
            }
            if (!packets.empty()) {
                co_return Status{};
            }
        }
    }

    Result<WriteProgress> start_write(const std::vector<FramePtr>& frames, WriteListener& listener) override {
        return writer_.start(frames, listener);
    }

    asio::awaitable<void> close() override {
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        abort();
        co_return;
    }

    void abort() override {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    std::string remote() const override { return remote_; }
    const char* transport_name() const override { return "tcp"; }

private:
    tcp::socket socket_;
    wire::StreamReassembler reassembler_;
    FrameWriter writer_;
    std::string remote_;
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
