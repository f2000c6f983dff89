#include "net/websocket_stream.h"

#include "net/socket_stream.h"
#include "wire/websocket_reader.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class WebSocketStream final : public SocketStream {
public:
    WebSocketStream(tcp::socket socket, std::string early_bytes, wire::DecodeLimits limits,
                    std::size_t message_bytes_max)
        : SocketStream(std::move(socket), true, std::move(early_bytes)),
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

private:
    // Unpacks each message's packets into `packets` and answers control frames. A peer's close
    // ends reading with eof; a framing error is answered with a close frame saying why.
    struct Events final : wire::WebSocketReader::Events {
        Events(WebSocketStream& owner, std::vector<wire::Packet>& out) : stream(owner), packets(out) {}

        Status on_message(std::string_view payload) override {
            return wire::decode_packets(payload, stream.limits_, packets);
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
    };

    Status consume(std::span<char> bytes, std::vector<wire::Packet>& packets) override {
        Events events{*this, packets};
        if (auto fed = reader_.feed(bytes, events); !fed) {
            send_close(reader_.close_code());
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

    void send_close(wire::WebSocketClose code) {
        if (close_sent_) {
            return;
        }
        close_sent_ = true;
        std::string frame;
        wire::append_websocket_frame(frame, wire::WebSocketOpcode::close, wire::websocket_close_payload(code));
        (void)writer_.send_control(frame);
    }

    wire::DecodeLimits limits_;
    wire::WebSocketReader reader_;
    bool close_sent_ = false;
    std::error_code control_error_;  // a pong the writer could not take
};

}  // namespace

std::unique_ptr<PacketStream> make_websocket_stream(tcp::socket socket, std::string early_bytes,
                                                    wire::DecodeLimits limits,
                                                    std::size_t message_bytes_max) {
    return std::make_unique<WebSocketStream>(std::move(socket), std::move(early_bytes), limits,
                                             message_bytes_max);
}

}  // namespace barrage::net
