// Raw TCP long connections: the same packets as the WebSocket, as a byte stream.

#include <array>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "base/log.h"
#include "net/acceptor.h"
#include "net/listeners.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Gathers at most this many frames into one write: a slow reader catching up gets one
// syscall for many batches.
constexpr std::size_t kFramesPerWriteMax = 64;

// One read buffer per loop thread, shared by every connection on it: reads complete
// synchronously into it and the reassembler copies out only partial packets.
std::array<char, 64 * 1024>& loop_read_buffer() {
    thread_local std::array<char, 64 * 1024> buffer;
    return buffer;
}

class TcpPacketStream final : public PacketStream {
public:
    TcpPacketStream(tcp::socket socket, wire::DecodeLimits limits)
        : socket_(std::move(socket)), reassembler_(limits) {
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
            auto& chunk = loop_read_buffer();
            std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
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

    void start_write(const std::vector<FramePtr>& frames, WriteDone done) override {
        write_from(frames, 0, std::move(done));
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
    // Gathers up to kFramesPerWriteMax frames per write, then continues from where it stopped.
    void write_from(const std::vector<FramePtr>& frames, std::size_t next, WriteDone done) {
        buffers_.clear();
        std::size_t end = std::min(frames.size(), next + kFramesPerWriteMax);
        for (std::size_t i = next; i < end; ++i) {
            buffers_.emplace_back(asio::buffer(frames[i]->bytes));
        }
        asio::async_write(socket_, buffers_,
                          [this, &frames, end, done = std::move(done)](boost::system::error_code ec,
                                                                       std::size_t) mutable {
                              if (ec) {
                                  done(std::error_code(ec));
                                  return;
                              }
                              if (end == frames.size()) {
                                  done(Status{});
                                  return;
                              }
                              write_from(frames, end, std::move(done));
                          });
    }

    tcp::socket socket_;
    wire::StreamReassembler reassembler_;
    std::vector<asio::const_buffer> buffers_;
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
