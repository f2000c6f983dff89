#include "net/websocket_stream.h"

#include <algorithm>

#include <fmt/format.h>

#include "net/socket_stream.h"
#include "wire/websocket_reader.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class WebSocketStream final : public SocketStream {
public:
    WebSocketStream(tcp::socket socket, StreamOrigin origin, wire::DecodeLimits limits, std::size_t message_bytes_max)
        : SocketStream(std::move(socket), true, std::move(origin)),
          limits_(limits),
          reader_({.message_bytes_max = message_bytes_max, .require_masked = true, .whole_messages = true}) {}

    asio::awaitable<void> close() override {
        // Everything queued has been written (the session closes after its last write): the
        // close frame goes next, then the client has a moment to answer it and close.
        send_close(wire::WebSocketClose::normal);
        auto pending = close_after_written();
        co_await std::move(pending);
    }

    const char* transport_name() const override { return "ws"; }

    void fail(std::error_code reason) override {
        auto text =
            fmt::format("{} {}", reason.category() == barrage_category() ? reason.value() : 5000, reason.message());
        send_close(wire::websocket_close_for(reason), text);
    }

private:
    // Unpacks each message's packets into `packets` and answers control frames. A peer's close
    // ends reading with eof; a framing error is answered with a close frame saying why.
    struct Events final : wire::WebSocketReader::Events {
        Events(WebSocketStream& owner, std::vector<wire::Packet>& out, std::size_t budget)
            : stream(owner), packets(out), packets_max(budget) {}

        Status on_message(std::string_view payload) override {
            // The read's packet budget is shared by every message in it.
            auto limits = stream.limits_;
            limits.packets_max = packets_max - std::min(packets_max, packets.size());
            return wire::decode_packets(payload, limits, packets);
        }
        void on_ping(std::string_view payload) override {
            if (stream.close_sent_) {
                return;
            }
            std::string pong;
            wire::append_websocket_frame(pong, wire::WebSocketOpcode::pong, payload);
            if (auto sent = stream.writer_.send_control(pong); !sent && !stream.control_error_) {
                stream.control_error_ = sent.error();  // a ping flood at a client that does not read
            }
        }
        void on_close(std::string_view) override { stream.send_close(wire::WebSocketClose::normal); }

        WebSocketStream& stream;
        std::vector<wire::Packet>& packets;
        std::size_t packets_max;
    };

    // An error is answered by the session with fail(), which sends the close frame naming it.
    Status consume(std::span<char> bytes, std::vector<wire::Packet>& packets, std::size_t packets_max) override {
        Events events{*this, packets, packets_max};
        if (auto fed = reader_.feed(bytes, events); !fed) {
            return fed;
        }
        if (control_error_) {
            return control_error_;
        }
        if (reader_.closed()) {
            return std::error_code(boost::system::error_code(asio::error::eof));
        }
        return {};
    }

    void send_close(wire::WebSocketClose code, std::string_view reason = {}) {
        if (close_sent_) {
            return;
        }
        close_sent_ = true;
        std::string frame;
        wire::append_websocket_frame(frame, wire::WebSocketOpcode::close, wire::websocket_close_payload(code, reason));
        (void)writer_.send_control(frame);
    }

    wire::DecodeLimits limits_;
    wire::WebSocketReader reader_;
    bool close_sent_ = false;
    std::error_code control_error_;  // a pong the writer could not take
};

}  // namespace

std::unique_ptr<PacketStream> make_websocket_stream(tcp::socket socket, StreamOrigin origin, wire::DecodeLimits limits,
                                                    std::size_t message_bytes_max) {
    return std::make_unique<WebSocketStream>(std::move(socket), std::move(origin), limits, message_bytes_max);
}

}  // namespace barrage::net
