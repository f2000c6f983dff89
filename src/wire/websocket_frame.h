#pragma once

// RFC 6455 framing, pure: the frame header both ways and a parser that works in place on the
// bytes one socket read returned. The server speaks it after Beast has done the upgrade
// handshake (net/websocket_stream.cpp), the load generator as a client. No extension is ever
// negotiated, so the RSV bits must be clear.
//
//   byte 0: FIN | RSV1-3 | opcode (0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong)
//   byte 1: MASK | length (0-125, 126: 16-bit length follows, 127: 64-bit length follows)
//   then the extended length (big-endian), the 4-byte mask key if MASK, then the payload

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace barrage::wire {

enum class WebSocketOpcode : std::uint8_t {
    continuation = 0,
    text = 1,
    binary = 2,
    close = 8,
    ping = 9,
    pong = 10,
};

inline constexpr bool is_control(WebSocketOpcode opcode) {
    return static_cast<std::uint8_t>(opcode) >= 8;
}

// Close status codes we send (RFC 6455 §7.4.1).
enum class WebSocketClose : std::uint16_t {
    normal = 1000,
    going_away = 1001,        // the server is shutting down
    protocol_error = 1002,    // framing against the RFC
    invalid_payload = 1007,   // data that does not decode: bad packets, a corrupt compressed
                              // body, a text message that is not UTF-8
    policy_violation = 1008,  // a rule of ours: packets too fast, no auth in time, ...
    too_large = 1009,         // a message, packet or inflated body over its limit
    internal_error = 1011,
};

// The close status that tells a client why the server ends its connection for `reason` (one
// of our Errc, or anything else: internal_error).
WebSocketClose websocket_close_for(std::error_code reason);

// Control frames carry at most this much payload and are never fragmented.
inline constexpr std::size_t kWebSocketControlBytesMax = 125;

// The header of one frame with FIN set: 2 to 14 bytes.
struct WebSocketHeader {
    std::array<char, 14> bytes{};
    std::uint8_t size = 0;
    std::string_view view() const { return {bytes.data(), size}; }
};

// The header of an unmasked (server) frame, or of a masked (client) one when `mask_key` is
// given; the caller masks the payload.
WebSocketHeader websocket_header(WebSocketOpcode opcode, std::size_t payload_bytes,
                                 std::optional<std::uint32_t> mask_key = std::nullopt);

// Appends one whole frame (FIN set), masking the payload when `mask_key` is given.
void append_websocket_frame(std::string& out, WebSocketOpcode opcode, std::string_view payload,
                            std::optional<std::uint32_t> mask_key = std::nullopt);

// A close frame's payload: the status code, big-endian, then `reason` (UTF-8), cut to fit the
// 125 bytes of a control frame.
std::string websocket_close_payload(WebSocketClose code, std::string_view reason = {});

struct WebSocketFrame {
    WebSocketOpcode opcode = WebSocketOpcode::binary;
    bool fin = true;
    bool masked = false;
    std::string_view payload;     // unmasked in place when the frame was masked
    std::size_t frame_bytes = 0;  // header + payload
};

// Parses the frame at the start of `bytes`: nullopt while incomplete. A masked frame is
// unmasked in place, hence the mutable buffer. Errors: Errc::websocket_too_large when the
// payload is over `payload_bytes_max` (known from the header alone), Errc::websocket_protocol
// for RSV bits, an unknown opcode, or a control frame that is fragmented or over 125 bytes.
Result<std::optional<WebSocketFrame>> parse_websocket_frame(char* bytes, std::size_t size,
                                                            std::size_t payload_bytes_max);

}  // namespace barrage::wire
