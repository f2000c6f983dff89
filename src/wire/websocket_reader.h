#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "wire/carry_buffer.h"
#include "wire/websocket_frame.h"

namespace barrage::wire {

// Turns the bytes of a WebSocket connection, read by read, into messages and control events.
// Frames are parsed in place in the caller's buffer; only a frame split across reads is
// copied (into a carry that gives its memory back), and only a fragmented message is
// assembled. An idle reader holds no buffer at all.
// Not thread-safe: one connection's reader.
class WebSocketReader {
public:
    struct Options {
        std::size_t message_bytes_max = 256 * 1024;
        // Server side: every frame from the client must be masked (RFC 6455 §5.1).
        bool require_masked = true;
        // false: each data frame's payload goes to on_message as it arrives, for callers that
        // treat messages as a stream anyway (the load generator's packet and NATS parsers).
        bool whole_messages = true;
        // A text message must be UTF-8 (RFC 6455 §8.1): Errc::bad_utf8 otherwise, closed with
        // 1007. Checked on whole messages only.
        bool validate_text = true;
    };

    class Events {
    public:
        // A data message (text or binary). An error stops reading and is returned by feed.
        virtual Status on_message(std::string_view payload) = 0;
        // The caller owes a pong with the same payload.
        virtual void on_ping(std::string_view payload) = 0;
        // The peer sent a close frame; nothing after it is read.
        virtual void on_close(std::string_view payload) = 0;

    protected:
        ~Events() = default;
    };

    explicit WebSocketReader(Options options) : options_(options) {}

    // Handles every whole frame in `bytes` (unmasked in place). After an error (an Errc from
    // parse_websocket_frame, Errc::websocket_protocol for a continuation without a start or a
    // new message inside a fragmented one, Errc::bad_utf8 for a text message that is not
    // UTF-8, or the events' own) the connection is unusable; close_code() says how to close it
    // (websocket_close_for the error).
    Status feed(std::span<char> bytes, Events& events);

    bool closed() const { return closed_; }
    // The close status to send after feed failed.
    WebSocketClose close_code() const { return close_code_; }

private:
    Status handle_frames(char* data, std::size_t size, Events& events, std::size_t& used);
    Status handle_frame(const WebSocketFrame& frame, Events& events);
    // Checks a whole message (text must be UTF-8) and hands it to the events.
    Status deliver(std::string_view payload, Events& events);
    Status fail(std::error_code error);

    Options options_;
    CarryBuffer carry_;        // the start of a frame split across reads
    std::string fragments_;    // a fragmented message being assembled (whole_messages)
    bool in_message_ = false;  // a data frame without FIN was seen
    bool text_ = false;        // the message being assembled is text
    bool closed_ = false;
    WebSocketClose close_code_ = WebSocketClose::normal;
};

}  // namespace barrage::wire
