#pragma once

// The client side of RFC 6455 that a load generator needs: the upgrade request and response,
// masked client frames, and a parser for server frames that works in place on whatever bytes
// one socket read returned (no copy, no allocation unless a frame is split across reads).
// No extensions (permessage-deflate is never offered), so RSV bits must be clear.
//
//   byte 0: FIN | RSV1-3 | opcode (0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong)
//   byte 1: MASK | length (0-125, 126: 16-bit length follows, 127: 64-bit length follows)
//   then the extended length (big-endian), the 4-byte mask key if MASK, then the payload

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace barrage::loadgen {

enum class WebSocketOpcode : std::uint8_t {
    continuation = 0,
    text = 1,
    binary = 2,
    close = 8,
    ping = 9,
    pong = 10,
};

// GET <path> with the upgrade headers; the key is fixed, as the server only echoes its hash.
std::string make_upgrade_request(std::string_view host, std::string_view path);

// Looks for the end of the response head. nullopt while incomplete; the head's length when
// it is a 101; Errc::bad_request when the server answered anything else.
Result<std::optional<std::size_t>> parse_upgrade_response(std::string_view bytes);

// Appends `payload` as one masked client frame (FIN set).
void append_client_frame(std::string& out, WebSocketOpcode opcode, std::string_view payload,
                         std::uint32_t mask_key);

struct WebSocketFrame {
    WebSocketOpcode opcode = WebSocketOpcode::binary;
    bool fin = true;
    std::string_view payload;     // unmasked in place when the frame was masked
    std::size_t frame_bytes = 0;  // header + payload
};

// Parses the frame at the start of `bytes`: nullopt when incomplete. A masked frame is
// unmasked in place, hence the mutable buffer. Errc::packet_too_large past payload_bytes_max,
// Errc::bad_request for RSV bits or an unknown opcode.
Result<std::optional<WebSocketFrame>> parse_server_frame(char* bytes, std::size_t size,
                                                         std::size_t payload_bytes_max);

}  // namespace barrage::loadgen
