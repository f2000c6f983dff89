#pragma once

// The live-room packet: a 16-byte big-endian header followed by a body.
//
//   offset  size  field
//   ------  ----  ---------------------------------------------------------------
//        0     4  packet length = 16 + body length
//        4     2  header length, always 16
//        6     2  protocol version (0 JSON, 1 control/int, 2 zlib, 3 brotli)
//        8     4  operation (see Operation)
//       12     4  sequence (clients send 1; server: 1 on op 8, 0 on pushes,
//                 the client's own sequence echoed on op 1000 send replies)
//
// A version 2 or 3 packet's body inflates to a concatenation of complete inner packets
// (normally version 0, op 5). Only one level of nesting is allowed.

#include <cstdint>
#include <string>
#include <string_view>

namespace barrage::wire {

enum class Operation : std::uint32_t {
    handshake = 0,
    handshake_reply = 1,
    heartbeat = 2,        // client → server, any body
    heartbeat_reply = 3,  // server → client, 4-byte big-endian online count
    send_message = 4,     // client → server, a danmaku or custom message (JSON)
    message = 5,          // server → client push, JSON with "cmd"
    disconnect_reply = 6,
    auth = 7,           // client → server, JSON auth body
    auth_reply = 8,     // server → client, {"code":0} or {"code":-101}
    send_reply = 1000,  // server → client, answer to op 4: {"code","message","data"}
};

enum class ProtocolVersion : std::uint16_t {
    json = 0,     // plain JSON body
    control = 1,  // heartbeat / auth / replies
    zlib = 2,     // RFC 1950 zlib stream of inner packets
    brotli = 3,   // brotli stream of inner packets
};

struct Header {
    std::uint32_t packet_length = 0;
    std::uint16_t header_length = 16;
    std::uint16_t version = 0;
    std::uint32_t operation = 0;
    std::uint32_t sequence = 0;
};

// One decoded (and, where compressed, already inflated) packet. Owns its body.
struct Packet {
    std::uint16_t version = 0;
    std::uint32_t operation = 0;
    std::uint32_t sequence = 0;
    std::string body;
};

}  // namespace barrage::wire
