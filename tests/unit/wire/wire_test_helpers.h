#pragma once

// Byte builders shared by the wire tests: raw headers with any field value (including the
// invalid ones the encoder refuses to make) and compression bombs built without ever holding
// their inflated size in memory.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#define ZLIB_CONST
#include <brotli/encode.h>
#include <zlib.h>

#include "base/assert.h"
#include "wire/codec.h"

namespace barrage::wire::test {

// Heartbeat reply bodies: a big-endian uint32 popularity (they hold NULs, hence the size).
inline constexpr std::string_view kPopularityOne("\x00\x00\x00\x01", 4);
inline constexpr std::string_view kPopularityTwo("\x00\x00\x00\x02", 4);

inline void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xFFU));
    }
}

inline void put_u16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>((value >> 8) & 0xFFU));
    out.push_back(static_cast<char>(value & 0xFFU));
}

struct RawHeader {
    std::uint32_t packet_length = 16;
    std::uint16_t header_length = 16;
    std::uint16_t version = 0;
    std::uint32_t operation = 5;
    std::uint32_t sequence = 0;
};

// A header with exactly the given fields, whatever they are.
inline std::string raw_header(const RawHeader& header) {
    std::string out;
    put_u32(out, header.packet_length);
    put_u16(out, header.header_length);
    put_u16(out, header.version);
    put_u32(out, header.operation);
    put_u32(out, header.sequence);
    return out;
}

// A packet whose header has any version number, body as given.
inline std::string packet_with_version(std::uint16_t version, std::string_view body) {
    std::string out = raw_header({.packet_length = static_cast<std::uint32_t>(16 + body.size()), .version = version});
    out.append(body);
    return out;
}

inline std::string packet(ProtocolVersion version, Operation operation, std::uint32_t sequence, std::string_view body) {
    std::string out;
    append_packet(out, version, operation, sequence, body);
    return out;
}

// zlib stream of `zero_bytes` zeros, compressed from one reused 1 MiB buffer.
inline std::string zlib_zeros(std::size_t zero_bytes) {
    const std::string zeros(std::size_t{1} << 20, '\0');
    z_stream stream{};
    BARRAGE_ASSERT(deflateInit(&stream, Z_BEST_COMPRESSION) == Z_OK);
    std::string out;
    std::string chunk(64 * 1024, '\0');
    std::size_t left = zero_bytes;
    int result = Z_OK;
    while (result != Z_STREAM_END) {
        const std::size_t piece = std::min(left, zeros.size());
        stream.next_in = reinterpret_cast<const Bytef*>(zeros.data());
        stream.avail_in = static_cast<uInt>(piece);
        left -= piece;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
            stream.avail_out = static_cast<uInt>(chunk.size());
            result = deflate(&stream, flush);
            BARRAGE_ASSERT(result != Z_STREAM_ERROR);
            out.append(chunk.data(), chunk.size() - stream.avail_out);
        } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
    return out;
}

// Brotli stream of `zero_bytes` zeros, compressed from one reused 1 MiB buffer.
inline std::string brotli_zeros(std::size_t zero_bytes) {
    const std::string zeros(std::size_t{1} << 20, '\0');
    BrotliEncoderState* encoder = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
    BARRAGE_ASSERT(encoder != nullptr);
    BrotliEncoderSetParameter(encoder, BROTLI_PARAM_QUALITY, 5);
    std::string out;
    std::size_t left = zero_bytes;
    for (;;) {
        const std::size_t piece = std::min(left, zeros.size());
        left -= piece;
        const BrotliEncoderOperation operation = left == 0 ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS;
        std::size_t available_in = piece;
        const auto* next_in = reinterpret_cast<const std::uint8_t*>(zeros.data());
        do {
            std::size_t available_out = 0;
            BARRAGE_ASSERT(BrotliEncoderCompressStream(encoder, operation, &available_in, &next_in, &available_out,
                                                       nullptr, nullptr) == BROTLI_TRUE);
            std::size_t size = 0;
            const std::uint8_t* output = BrotliEncoderTakeOutput(encoder, &size);
            out.append(reinterpret_cast<const char*>(output), size);
        } while (available_in != 0 || BrotliEncoderHasMoreOutput(encoder) == BROTLI_TRUE);
        if (operation == BROTLI_OPERATION_FINISH && BrotliEncoderIsFinished(encoder)) {
            break;
        }
    }
    BrotliEncoderDestroyInstance(encoder);
    return out;
}

}  // namespace barrage::wire::test
