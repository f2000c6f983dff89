#include "loadgen/websocket_frames.h"

#include <array>
#include <cstring>

#include "base/errc.h"

namespace barrage::loadgen {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";
// An upgrade response head is a few hundred bytes; past this it is not one.
constexpr std::size_t kResponseHeadBytesMax = 16 * 1024;

bool is_known_opcode(std::uint8_t opcode) {
    return opcode <= 2 || (opcode >= 8 && opcode <= 10);
}

void apply_mask(char* data, std::size_t size, std::array<std::uint8_t, 4> mask) {
    for (std::size_t i = 0; i < size; ++i) {
        data[i] = static_cast<char>(static_cast<std::uint8_t>(data[i]) ^ mask[i % 4]);
    }
}

}  // namespace

std::string make_upgrade_request(std::string_view host, std::string_view path) {
    std::string request;
    request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    request.append(
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "User-Agent: barrage-bench\r\n\r\n");
    return request;
}

Result<std::optional<std::size_t>> parse_upgrade_response(std::string_view bytes) {
    const std::size_t end = bytes.find(kHeadEnd);
    if (end == std::string_view::npos) {
        if (bytes.size() > kResponseHeadBytesMax) {
            return make_error_code(Errc::bad_request);
        }
        return std::optional<std::size_t>{};
    }
    // "HTTP/1.1 101 Switching Protocols"
    const std::string_view status = bytes.substr(0, bytes.find("\r\n"));
    if (!status.starts_with("HTTP/1.1 101")) {
        return make_error_code(Errc::bad_request);
    }
    return std::optional<std::size_t>{end + kHeadEnd.size()};
}

void append_client_frame(std::string& out, WebSocketOpcode opcode, std::string_view payload,
                         std::uint32_t mask_key) {
    out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
    const std::size_t size = payload.size();
    if (size < 126) {
        out.push_back(static_cast<char>(0x80 | size));
    } else if (size <= 0xFFFF) {
        out.push_back(static_cast<char>(0x80 | 126));
        out.push_back(static_cast<char>(size >> 8));
        out.push_back(static_cast<char>(size & 0xFF));
    } else {
        out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.push_back(static_cast<char>((size >> shift) & 0xFF));
        }
    }
    const std::array<std::uint8_t, 4> mask{
        static_cast<std::uint8_t>(mask_key >> 24), static_cast<std::uint8_t>(mask_key >> 16),
        static_cast<std::uint8_t>(mask_key >> 8), static_cast<std::uint8_t>(mask_key)};
    out.append(reinterpret_cast<const char*>(mask.data()), mask.size());
    const std::size_t start = out.size();
    out.append(payload);
    apply_mask(out.data() + start, size, mask);
}

Result<std::optional<WebSocketFrame>> parse_server_frame(char* bytes, std::size_t size,
                                                         std::size_t payload_bytes_max) {
    if (size < 2) {
        return std::optional<WebSocketFrame>{};
    }
    const auto first = static_cast<std::uint8_t>(bytes[0]);
    const auto second = static_cast<std::uint8_t>(bytes[1]);
    const auto opcode = static_cast<std::uint8_t>(first & 0x0F);
    if ((first & 0x70) != 0 || !is_known_opcode(opcode)) {
        return make_error_code(Errc::bad_request);
    }
    const bool masked = (second & 0x80) != 0;
    std::size_t header = 2;
    std::uint64_t length = second & 0x7F;
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
        return make_error_code(Errc::packet_too_large);
    }
    const std::size_t mask_bytes = masked ? 4 : 0;
    if (size < header + mask_bytes + length) {
        return std::optional<WebSocketFrame>{};
    }
    char* payload = bytes + header + mask_bytes;
    if (masked) {
        std::array<std::uint8_t, 4> mask{};
        std::memcpy(mask.data(), bytes + header, 4);
        apply_mask(payload, static_cast<std::size_t>(length), mask);
    }
    return std::optional<WebSocketFrame>{WebSocketFrame{
        .opcode = static_cast<WebSocketOpcode>(opcode),
        .fin = (first & 0x80) != 0,
        .payload = std::string_view(payload, static_cast<std::size_t>(length)),
        .frame_bytes = header + mask_bytes + static_cast<std::size_t>(length),
    }};
}

}  // namespace barrage::loadgen
