#include "net/websocket_stream.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/frame_writer.h"
#include "net/loop_read_buffer.h"
#include "wire/websocket_reader.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class WebSocketStream final : public PacketStream {
public:
    WebSocketStream(tcp::socket socket, std::string early_bytes, wire::DecodeLimits limits,
                    std::size_t message_bytes_max, std::string remote)
        : socket_(std::move(socket)),
          early_bytes_(std::move(early_bytes)),
          limits_(limits),
          reader_({.message_bytes_max = message_bytes_max, .require_masked = true, .whole_messages = true}),
          writer_(socket_, true),
          remote_(std::move(remote)) {
        boost::system::error_code ignored;
        socket_.non_blocking(true, ignored);
    }

    asio::any_io_executor executor() override { return socket_.get_executor(); }

    asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets) override {
        if (!early_bytes_.empty()) {
            std::string early = std::move(early_bytes_);
            early_bytes_ = std::string();
            if (auto fed = feed(early, packets); !fed || !packets.empty()) {
                co_return fed;
            }
        }
        for (;;) {
            // As for raw TCP: wait holding no buffer, then read into the loop's shared one.
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
            if (auto fed = feed(chunk.first(n), packets); !fed || !packets.empty()) {
                co_return fed;
            }
        }
    }

    Result<WriteProgress> start_write(const std::vector<FramePtr>& frames, WriteListener& listener) override {
        return writer_.start(frames, listener);
    }

    asio::awaitable<void> close() override {
        // Everything queued has been written (the session closes after its last write), so
        // the close frame goes out now; we do not wait for the client's answer.
        send_close(wire::WebSocketClose::normal);
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
    const char* transport_name() const override { return "ws"; }

private:
    // Unpacks each message's packets into `packets` and answers control frames. A peer's close
    // ends reading with eof; a framing error is answered with a close frame saying why.
    struct Events final : wire::WebSocketReader::Events {
        Events(WebSocketStream& owner, std::vector<wire::Packet>& out) : stream(owner), packets(out) {}

        Status on_message(std::string_view payload) override {
            return wire::decode_packets(payload, stream.limits_, packets);
        }
        void on_ping(std::string_view payload) override {
            std::string pong;
            wire::append_websocket_frame(pong, wire::WebSocketOpcode::pong, payload);
            (void)stream.writer_.send_control(pong);
        }
        void on_close(std::string_view) override { stream.send_close(wire::WebSocketClose::normal); }

        WebSocketStream& stream;
        std::vector<wire::Packet>& packets;
    };

    Status feed(std::span<char> bytes, std::vector<wire::Packet>& packets) {
        Events events{*this, packets};
        if (auto fed = reader_.feed(bytes, events); !fed) {
            send_close(reader_.close_code());
            return fed;
        }
        if (reader_.closed()) {
            return std::error_code(boost::system::error_code(asio::error::eof));
        }
        return {};
    }

    void send_close(wire::WebSocketClose code) {
        if (close_sent_) {
            return;
        }
        close_sent_ = true;
        std::string frame;
        wire::append_websocket_frame(frame, wire::WebSocketOpcode::close, wire::websocket_close_payload(code));
        (void)writer_.send_control(frame);
    }

    tcp::socket socket_;
    std::string early_bytes_;
    wire::DecodeLimits limits_;
    wire::WebSocketReader reader_;
    FrameWriter writer_;
    std::string remote_;
    bool close_sent_ = false;
};

}  // namespace

std::unique_ptr<PacketStream> make_websocket_stream(tcp::socket socket, std::string early_bytes,
                                                    wire::DecodeLimits limits,
                                                    std::size_t message_bytes_max,
                                                    std::string remote) {
    return std::make_unique<WebSocketStream>(std::move(socket), std::move(early_bytes), limits,
                                             message_bytes_max, std::move(remote));
}

}  // namespace barrage::net
