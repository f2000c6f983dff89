#pragma once

// Packet bytes with any header field, including the invalid values the codec refuses to make:
// for tests that send malformed input to the server.

#include <cstdint>
#include <string>
#include <string_view>

namespace barrage::test {

struct RawHeader {
    std::uint32_t packet_length = 16;
    std::uint16_t header_length = 16;
    std::uint16_t version = 1;
    std::uint32_t operation = 2;
    std::uint32_t sequence = 1;
};

inline void put_big_endian(std::string& out, std::uint64_t value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xFFU));
    }
}

// The 16 header bytes exactly as given, followed by `body`.
inline std::string raw_packet(const RawHeader& header, std::string_view body = {}) {
    std::string out;
    put_big_endian(out, header.packet_length, 4);
    put_big_endian(out, header.header_length, 2);
    put_big_endian(out, header.version, 2);
    put_big_endian(out, header.operation, 4);
    put_big_endian(out, header.sequence, 4);
    out.append(body);
    return out;
}

// A well-formed packet: the length field matches `body`.
inline std::string packet(std::uint16_t version, std::uint32_t operation, std::string_view body,
                          std::uint32_t sequence = 1) {
    RawHeader header;
    header.packet_length = static_cast<std::uint32_t>(16 + body.size());
    header.version = version;
    header.operation = operation;
    header.sequence = sequence;
    return raw_packet(header, body);
}

}  // namespace barrage::test
