#include "wire/codec.h"

#include <cstdint>
#include <iterator>
#include <limits>

#include "base/assert.h"

namespace barrage::wire {

namespace {

constexpr std::size_t kHeaderBytes = limits::kHeaderBytes;

// Big-endian by hand: the header is not a struct in memory, and the host may be either way.
std::uint32_t read_u32(std::string_view bytes, std::size_t at) {
    return (std::uint32_t{static_cast<std::uint8_t>(bytes[at])} << 24) |
           (std::uint32_t{static_cast<std::uint8_t>(bytes[at + 1])} << 16) |
           (std::uint32_t{static_cast<std::uint8_t>(bytes[at + 2])} << 8) |
           std::uint32_t{static_cast<std::uint8_t>(bytes[at + 3])};
}

std::uint16_t read_u16(std::string_view bytes, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(bytes[at]) << 8) |
                                      static_cast<std::uint8_t>(bytes[at + 1]));
}

void write_u32(std::string& out, std::uint32_t value) {
    out.push_back(static_cast<char>((value >> 24) & 0xFFU));
    out.push_back(static_cast<char>((value >> 16) & 0xFFU));
    out.push_back(static_cast<char>((value >> 8) & 0xFFU));
    out.push_back(static_cast<char>(value & 0xFFU));
}

void write_u16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>((value >> 8) & 0xFFU));
    out.push_back(static_cast<char>(value & 0xFFU));
}

bool is_compressed(std::uint16_t version) {
    return version == static_cast<std::uint16_t>(ProtocolVersion::zlib) ||
           version == static_cast<std::uint16_t>(ProtocolVersion::brotli);
}

// Inflates one compressed body with at most `budget` output bytes.
Result<std::string> inflate_body(std::uint16_t version, std::string_view body, std::size_t budget,
                                 std::size_t memory_bytes_max) {
    if (version == static_cast<std::uint16_t>(ProtocolVersion::zlib)) {
        return zlib_decompress(body, budget, memory_bytes_max);
    }
    return brotli_decompress(body, budget, memory_bytes_max);
}

// State of one decode_packets call. The inflation budget and the packet budget are shared by
// every packet in the call: a 256 KiB message of 30-byte brotli bombs would otherwise inflate
// to thousands of times decompressed_bytes_max, and a 37-byte body of heartbeats would stand
// for half a million replies.
struct DecodeRun {
    const DecodeLimits& limits;
    std::size_t inflate_budget;
    std::vector<Packet>& decoded;
};

Status decode_level(std::string_view bytes, bool nested, DecodeRun& run);

// Appends what one packet stands for: itself, or the inner packets of its inflated body.
Status decode_one(const Header& header, std::string_view body, bool nested, DecodeRun& run) {
    if (!is_compressed(header.version)) {
        if (run.decoded.size() >= run.limits.packets_max) {
            return make_error_code(Errc::packet_flood);
        }
        run.decoded.push_back(Packet{.version = header.version,
                                     .operation = header.operation,
                                     .sequence = header.sequence,
                                     .body = std::string(body)});
        return {};
    }
    if (nested) {
        return make_error_code(Errc::nested_too_deep);
    }
    auto inflated = inflate_body(header.version, body, run.inflate_budget, run.limits.inflate_memory_bytes_max);
    if (!inflated) {
        return inflated.error();
    }
    run.inflate_budget -= inflated->size();
    return decode_level(*inflated, true, run);
}

// Decodes a concatenation of whole packets. Terminates: every iteration consumes at least
// one header, so there are at most bytes.size() / 16 iterations; an inner level stops as
// soon as it holds more than inner_packets_max.
Status decode_level(std::string_view bytes, bool nested, DecodeRun& run) {
    std::size_t offset = 0;
    std::size_t count = 0;
    while (offset < bytes.size()) {
        if (nested && ++count > run.limits.inner_packets_max) {
            return make_error_code(Errc::too_many_inner_packets);
        }
        const std::string_view rest = bytes.substr(offset);
        auto header = decode_header(rest, run.limits);
        if (!header) {
            return header.error();
        }
        if (header->packet_length > rest.size()) {
            return make_error_code(Errc::packet_too_short);
        }
        const std::string_view body = rest.substr(kHeaderBytes, header->packet_length - kHeaderBytes);
        offset += header->packet_length;
        if (auto status = decode_one(*header, body, nested, run); !status) {
            return status;
        }
    }
    return {};
}

}  // namespace

Result<Header> decode_header(std::string_view bytes, const DecodeLimits& limits) {
    if (bytes.size() < kHeaderBytes) {
        return make_error_code(Errc::packet_too_short);
    }
    const Header header{.packet_length = read_u32(bytes, 0),
                        .header_length = read_u16(bytes, 4),
                        .version = read_u16(bytes, 6),
                        .operation = read_u32(bytes, 8),
                        .sequence = read_u32(bytes, 12)};
    if (header.header_length != kHeaderBytes) {
        return make_error_code(Errc::bad_header_length);
    }
    if (header.packet_length < kHeaderBytes) {
        return make_error_code(Errc::bad_packet_length);
    }
    if (header.packet_length > limits.packet_bytes_max) {
        return make_error_code(Errc::packet_too_large);
    }
    if (header.version > static_cast<std::uint16_t>(ProtocolVersion::brotli)) {
        return make_error_code(Errc::bad_protocol_version);
    }
    return header;
}

void append_packet(std::string& out, ProtocolVersion version, Operation operation, std::uint32_t sequence,
                   std::string_view body) {
    // A body this large is our bug: every producer is bounded far below 4 GiB.
    BARRAGE_ASSERT(body.size() <= std::numeric_limits<std::uint32_t>::max() - kHeaderBytes);
    out.reserve(out.size() + kHeaderBytes + body.size());
    write_u32(out, static_cast<std::uint32_t>(kHeaderBytes + body.size()));
    write_u16(out, static_cast<std::uint16_t>(kHeaderBytes));
    write_u16(out, static_cast<std::uint16_t>(version));
    write_u32(out, static_cast<std::uint32_t>(operation));
    write_u32(out, sequence);
    out.append(body);
}

Status decode_packets(std::string_view bytes, const DecodeLimits& limits, std::vector<Packet>& out) {
    // Decode aside and append only on success, so a caller never sees half a message.
    std::vector<Packet> decoded;
    DecodeRun run{.limits = limits, .inflate_budget = limits.decompressed_bytes_max, .decoded = decoded};
    if (auto status = decode_level(bytes, false, run); !status) {
        return status;
    }
    out.insert(out.end(), std::make_move_iterator(decoded.begin()), std::make_move_iterator(decoded.end()));
    return {};
}

DecodeLimits push_decode_limits() {
    return {.packet_bytes_max = limits::kPacketBytesMax,
            .decompressed_bytes_max = limits::kDecompressedBytesMax,
            .inner_packets_max = limits::kPushInnerPacketsMax,
            .packets_max = SIZE_MAX,
            .inflate_memory_bytes_max = limits::kPushInflateMemoryBytesMax};
}

std::string encode_push_batch(std::span<const std::string> json_bodies, ProtocolVersion protover) {
    std::size_t plain_bytes = 0;
    for (const std::string& body : json_bodies) {
        plain_bytes += kHeaderBytes + body.size();
    }
    std::string plain;
    plain.reserve(plain_bytes);
    for (const std::string& body : json_bodies) {
        append_packet(plain, ProtocolVersion::json, Operation::message, 0, body);
    }

    std::string out;
    switch (protover) {
        case ProtocolVersion::json:
        case ProtocolVersion::control: return plain;
        case ProtocolVersion::zlib:
            append_packet(out, ProtocolVersion::zlib, Operation::message, 0, zlib_compress(plain));
            return out;
        case ProtocolVersion::brotli:
            append_packet(out, ProtocolVersion::brotli, Operation::message, 0, brotli_compress(plain));
            return out;
    }
    // The caller maps the client's protover number to the enum; an unmapped value is our bug.
    BARRAGE_ASSERT(false && "unknown ProtocolVersion");
    return out;
}

}  // namespace barrage::wire
