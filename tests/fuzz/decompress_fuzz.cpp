// libFuzzer target for zlib_decompress and brotli_decompress (wire/codec.h) under their two
// limits: output bytes and the libraries' working memory.
//
// Input: byte 0 picks the mode (bit 0) and, for a round trip, how often the data repeats
// (bits 1-5, 1..32 times, so small inputs reach the packet limit); byte 1 picks the memory
// budget; bytes 2-3 (big-endian, doubled) the output limit, 0..128 KiB; the rest is the data.
//   raw         the data is a compressed body as a client would send it, hostile or corrupt;
//   round trip  the data is compressed here first, as an honest client would.
//
// Properties checked besides "no crash, no sanitizer report":
//   - errors are only Errc::decompress_failed and Errc::decompressed_too_large;
//   - output never exceeds the limit, and the limit only cuts: an output of n bytes comes back
//     the same with a limit of n, and is too large with a limit of n - 1;
//   - compress then decompress gives the data back or (limits too small) too large, never
//     failed; with the server's memory budget a body within the client packet limit and the
//     output limit always comes back.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "base/limits.h"
#include "wire/codec.h"

namespace {

using barrage::Errc;
using barrage::Result;
namespace limits = barrage::limits;

using Compress = std::string (*)(std::string_view);
using Decompress = Result<std::string> (*)(std::string_view, std::size_t, std::size_t);

struct Codec {
    Compress compress;
    Decompress decompress;
};

constexpr std::array<Codec, 2> kCodecs{{
    {&barrage::wire::zlib_compress, &barrage::wire::zlib_decompress},
    {&barrage::wire::brotli_compress, &barrage::wire::brotli_decompress},
}};

// The server's budget first; the smaller ones reach the refusals inside each library's
// set-up, window and ring-buffer allocations.
constexpr std::array<std::size_t, 4> kMemoryBudgets{limits::kInflateMemoryBytesMax, 64 * 1024, 16 * 1024, 2 * 1024};

constexpr std::size_t kHeaderBytes = 4;
constexpr std::size_t kRepeatsMax = 32;

bool expected_error(const std::error_code& error) {
    return error == Errc::decompress_failed || error == Errc::decompressed_too_large;
}

// Decompresses `body` and checks the output limit, and that the limit only cuts.
Result<std::string> decompress_checked(const Codec& codec, std::string_view body, std::size_t output_bytes_max,
                                       std::size_t memory_bytes_max) {
    Result<std::string> out = codec.decompress(body, output_bytes_max, memory_bytes_max);
    if (!out) {
        BARRAGE_ASSERT(expected_error(out.error()));
        return out;
    }
    BARRAGE_ASSERT(out->size() <= output_bytes_max);
    const Result<std::string> exact = codec.decompress(body, out->size(), memory_bytes_max);
    BARRAGE_ASSERT(exact && *exact == *out);
    if (!out->empty()) {
        const Result<std::string> short_by_one = codec.decompress(body, out->size() - 1, memory_bytes_max);
        BARRAGE_ASSERT(!short_by_one && short_by_one.error() == Errc::decompressed_too_large);
    }
    return out;
}

void round_trip(const Codec& codec, std::string_view data, std::size_t output_bytes_max, std::size_t memory_bytes_max) {
    const std::string body = codec.compress(data);
    const Result<std::string> out = decompress_checked(codec, body, output_bytes_max, memory_bytes_max);
    if (out) {
        BARRAGE_ASSERT(*out == data);
        return;
    }
    BARRAGE_ASSERT(out.error() == Errc::decompressed_too_large);
    const bool fits = data.size() <= output_bytes_max && data.size() <= limits::kClientPacketBytesMax;
    BARRAGE_ASSERT(!fits || memory_bytes_max < limits::kInflateMemoryBytesMax);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < kHeaderBytes) {
        return 0;
    }
    const bool raw = (data[0] & 1U) == 0;
    const std::size_t repeats = (data[0] >> 1U) % kRepeatsMax + 1;
    const std::size_t memory_bytes_max = kMemoryBudgets[data[1] % kMemoryBudgets.size()];
    const std::size_t output_bytes_max = (std::size_t{data[2]} << 8 | data[3]) * 2;
    const std::string_view rest(reinterpret_cast<const char*>(data) + kHeaderBytes, size - kHeaderBytes);
    for (const Codec& codec : kCodecs) {
        if (raw) {
            decompress_checked(codec, rest, output_bytes_max, memory_bytes_max);
            continue;
        }
        std::string repeated;
        for (std::size_t i = 0; i < repeats; ++i) {
            repeated += rest;
        }
        round_trip(codec, repeated, output_bytes_max, memory_bytes_max);
    }
    return 0;
}
