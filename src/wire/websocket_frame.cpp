#include "wire/websocket_frame.h"

#include <cstring>

#include "base/errc.h"

namespace barrage::wire {
namespace {

bool is_known_opcode(std::uint8_t opcode) {
    return opcode <= 2 || (opcode >= 8 && opcode <= 10);
}

std::array<std::uint8_t, 4> mask_bytes(std::uint32_t key) {
    return {static_cast<std::uint8_t>(key >> 24), static_cast<std::uint8_t>(key >> 16),
            static_cast<std::uint8_t>(key >> 8), static_cast<std::uint8_t>(key)};
}

void apply_mask(char* data, std::size_t size, const std::array<std::uint8_t, 4>& mask) {
    for (std::size_t i = 0; i < size; ++i) {
        data[i] = static_cast<char>(static_cast<std::uint8_t>(data[i]) ^ mask[i % 4]);
    }
}

}  // namespace

WebSocketHeader websocket_header(WebSocketOpcode opcode, std::size_t payload_bytes,
                                 std::optional<std::uint32_t> mask_key) {
    WebSocketHeader header;
    auto put = [&header](std::uint8_t byte) { header.bytes[header.size++] = static_cast<char>(byte); };
    put(static_cast<std::uint8_t>(0x80 | static_cast<std::uint8_t>(opcode)));
    const std::uint8_t mask_bit = mask_key ? 0x80 : 0x00;
    if (payload_bytes < 126) {
        put(static_cast<std::uint8_t>(mask_bit | payload_bytes));
    } else if (payload_bytes <= 0xFFFF) {
        put(mask_bit | 126);
        put(static_cast<std::uint8_t>(payload_bytes >> 8));
        put(static_cast<std::uint8_t>(payload_bytes));
    } else {
        put(mask_bit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            put(static_cast<std::uint8_t>(static_cast<std::uint64_t>(payload_bytes) >> shift));
        }
    }
    if (mask_key) {
        for (std::uint8_t byte : mask_bytes(*mask_key)) {
            put(byte);
        }
    }
    return header;
}

void append_websocket_frame(std::string& out, WebSocketOpcode opcode, std::string_view payload,
                            std::optional<std::uint32_t> mask_key) {
    out.append(websocket_header(opcode, payload.size(), mask_key).view());
    const std::size_t start = out.size();
    out.append(payload);
    if (mask_key) {
        apply_mask(out.data() + start, payload.size(), mask_bytes(*mask_key));
    }
}

std::string websocket_close_payload(WebSocketClose code, std::string_view reason) {
    const auto value = static_cast<std::uint16_t>(code);
    std::string payload{static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
    // Our reasons are ASCII, so cutting at a byte never splits a character.
    payload.append(reason.substr(0, kWebSocketControlBytesMax - payload.size()));
    return payload;
}

WebSocketClose websocket_close_for(std::error_code reason) {
    if (reason.category() != barrage_category()) {
        return WebSocketClose::internal_error;
    }
    switch (static_cast<Errc>(reason.value())) {
        case Errc::websocket_protocol: return WebSocketClose::protocol_error;
        case Errc::websocket_too_large:
        case Errc::packet_too_large:
        case Errc::decompressed_too_large:
        case Errc::too_many_inner_packets: return WebSocketClose::too_large;
        case Errc::packet_too_short:
        case Errc::bad_header_length:
        case Errc::bad_packet_length:
        case Errc::bad_protocol_version:
        case Errc::decompress_failed:
        case Errc::nested_too_deep:
        case Errc::bad_utf8: return WebSocketClose::invalid_payload;
        case Errc::shutting_down: return WebSocketClose::going_away;
        case Errc::internal: return WebSocketClose::internal_error;
        default: return WebSocketClose::policy_violation;
    }
}

Result<std::optional<WebSocketFrame>> parse_websocket_frame(char* bytes, std::size_t size,
                                                            std::size_t payload_bytes_max) {
    if (size < 2) {
        return std::optional<WebSocketFrame>{};
    }
    const auto first = static_cast<std::uint8_t>(bytes[0]);
    const auto second = static_cast<std::uint8_t>(bytes[1]);
    const auto opcode = static_cast<std::uint8_t>(first & 0x0F);
    const bool fin = (first & 0x80) != 0;
    if ((first & 0x70) != 0 || !is_known_opcode(opcode)) {
        return make_error_code(Errc::websocket_protocol);
    }
    std::uint64_t length = second & 0x7F;
    if (is_control(static_cast<WebSocketOpcode>(opcode)) && (!fin || length > kWebSocketControlBytesMax)) {
        return make_error_code(Errc::websocket_protocol);
    }
    std::size_t header = 2;
    const std::size_t extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (size < header + extended) {
        return std::optional<WebSocketFrame>{};
    }
    if (extended != 0) {
        length = 0;
        for (std::size_t i = 0; i < extended; ++i) {
            length = (length << 8) | static_cast<std::uint8_t>(bytes[header + i]);
        }
        header += extended;
    }
    if (length > payload_bytes_max) {
        return make_error_code(Errc::websocket_too_large);
    }
    const bool masked = (second & 0x80) != 0;
    const std::size_t mask_size = masked ? 4 : 0;
    if (size - header < mask_size || size - header - mask_size < length) {
        return std::optional<WebSocketFrame>{};
    }
    char* payload = bytes + header + mask_size;
    if (masked) {
        std::array<std::uint8_t, 4> mask{};
        std::memcpy(mask.data(), bytes + header, mask.size());
        apply_mask(payload, static_cast<std::size_t>(length), mask);
    }
    return std::optional<WebSocketFrame>{WebSocketFrame{
        .opcode = static_cast<WebSocketOpcode>(opcode),
        .fin = fin,
        .masked = masked,
        .payload = std::string_view(payload, static_cast<std::size_t>(length)),
        .frame_bytes = header + mask_size + static_cast<std::size_t>(length),
    }};
}

}  // namespace barrage::wire
