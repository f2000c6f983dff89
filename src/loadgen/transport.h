#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "loadgen/bench_command.h"
#include "wire/carry_buffer.h"
#include "loadgen/websocket_upgrade.h"
#include "wire/websocket_reader.h"

namespace barrage::loadgen {

namespace net = boost::asio;

struct TransportConfig {
    TransportKind kind = TransportKind::websocket;
    net::ip::address host;
    std::uint16_t port = 0;
    std::string path = "/sub";  // WebSocket request target
    bool text_frames = false;   // WebSocket: send text (ws peer) instead of binary frames
    // WebSocket: the dialogue needs whole messages. When false (the dialogue parses a stream)
    // each fragment is handed on as it arrives, so a server that sends a long backlog as one
    // fragmented message costs no buffer of that size on every connection.
    bool whole_messages = true;
    bool bind_source = false;  // bind to the source address given to connect()
    // SO_RCVBUF before connecting, which also bounds the window the server may fill (0: the
    // kernel's autotuning, megabytes on loopback).
    std::size_t receive_buffer_bytes = 0;
};

// Receives what one read produced.
class TransportSink {
public:
    // One whole WebSocket message (or fragment, see TransportConfig::whole_messages), or
    // whatever TCP bytes arrived. Valid during the call only.
    // Returning false stops delivery; the read then reports an error.
    virtual bool on_message(std::string_view bytes) = 0;
    // Bytes the transport owes the server (a pong), already framed: write them as they are.
    virtual void on_transport_reply(std::string_view framed) = 0;

protected:
    ~TransportSink() = default;
};

// One client connection's byte pipe: raw TCP, or a WebSocket with our own minimal client
// framing (wire/websocket_frame.h). Reads wait for readability and then read into one buffer per
// thread, so an idle connection holds no read buffer; frames are parsed in place and only a
// frame split across reads is copied. At most one read and one write may be in flight.
// Owner thread only: the thread running the executor it was made with.
class Transport {
public:
    static constexpr std::size_t kReadAll = static_cast<std::size_t>(-1);

    Transport(net::any_io_executor executor, const TransportConfig& config);

    // Opens a TCP connection (from `source` when config.bind_source).
    net::awaitable<std::error_code> connect(net::ip::address source);
    // The WebSocket upgrade; nothing for raw TCP.
    net::awaitable<std::error_code> handshake();
    // Waits for bytes, reads what is there (at most `bytes_max` of it) and hands every whole
    // message to `sink`. Adds the socket bytes read to `*bytes_read` when given (slow readers
    // pace themselves by it).
    net::awaitable<std::error_code> read(TransportSink& sink, std::size_t bytes_max = kReadAll,
                                         std::size_t* bytes_read = nullptr);
    // The same without waiting, for a socket known to be readable: what one read returns
    // (nothing when it would block). eof when the server closed.
    std::error_code read_available(TransportSink& sink);
    int native_handle() { return socket_.native_handle(); }
    // Appends `payload` as one message: a masked WebSocket frame, or the bytes as they are.
    void append_message(std::string& out, std::string_view payload) const;
    // Writes bytes already framed by append_message.
    net::awaitable<std::error_code> write(std::string_view bytes);
    // Closes the socket now; operations in flight complete with an error. Idempotent.
    void close();

private:
    // Reads once into the thread's buffer; the view is valid until the caller suspends.
    net::awaitable<std::error_code> read_some(std::span<char>& bytes, std::size_t bytes_max = kReadAll);
    // One non-blocking read into the thread's buffer: would_block when there is nothing.
    std::error_code read_once_now(std::span<char>& bytes, std::size_t bytes_max = kReadAll);
    // Hands over frames that came in the same read as the upgrade response; false if none.
    bool deliver_carried(TransportSink& sink, std::error_code& ec);
    std::error_code deliver_bytes(std::span<char> bytes, TransportSink& sink);

    // What the frame reader finds, passed on to one read's sink.
    struct FrameEvents final : wire::WebSocketReader::Events {
        FrameEvents(Transport& owner, TransportSink& to) : transport(owner), sink(to) {}
        Status on_message(std::string_view payload) override;
        void on_ping(std::string_view payload) override;
        void on_close(std::string_view) override {}
        Transport& transport;
        TransportSink& sink;
    };

    TransportConfig config_;
    net::ip::tcp::socket socket_;
    wire::CarryBuffer pending_;  // the upgrade response while incomplete, then what followed it
    wire::WebSocketReader reader_;
    std::uint32_t mask_key_;  // client frames must be masked; any key will do
};

}  // namespace barrage::loadgen
