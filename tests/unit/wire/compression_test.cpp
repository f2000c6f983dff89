// Tests of zlib_* and brotli_* in wire/compression.cpp (declared in wire/codec.h).

#include "wire/codec.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <tuple>

#include <brotli/encode.h>

#include "unit/wire/wire_test_helpers.h"

// This binary counts every operator new so a test can prove that a bomb is refused without
// allocating its inflated size. (The libraries' own working memory comes from a budget of its
// own: see StreamsDeclaringLargeWindowsNeedTheMemoryBudget.)
namespace {
std::atomic<std::size_t> g_allocated_bytes{0};
}  // namespace

void* operator new(std::size_t size) {
    g_allocated_bytes.fetch_add(size, std::memory_order_relaxed);
    if (void* pointer = std::malloc(size == 0 ? 1 : size)) {
        return pointer;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    return operator new(size);
}
void operator delete(void* pointer) noexcept {
    std::free(pointer);
}
void operator delete[](void* pointer) noexcept {
    std::free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
    std::free(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
    std::free(pointer);
}

namespace barrage::wire {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

using Decompress = Result<std::string> (*)(std::string_view, std::size_t, std::size_t);
using Compress = std::string (*)(std::string_view);

struct Codec {
    const char* name;
    Compress compress;
    Decompress decompress;
};

const Codec kCodecs[] = {
    {"zlib", &zlib_compress, &zlib_decompress},
    {"brotli", &brotli_compress, &brotli_decompress},
};

std::string pseudo_random_text(std::size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> letter('a', 'z');
    std::string text;
    for (std::size_t i = 0; i < size; ++i) {
        text.push_back(static_cast<char>(letter(random)));
    }
    return text;
}

TEST(WireCompression, RoundTripsEmptySmallAndLargeInputs) {
    for (const Codec& codec : kCodecs) {
        for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{300}, std::size_t{100'000}}) {
            const std::string input = pseudo_random_text(size, 7);
            auto output = codec.decompress(codec.compress(input), size, limits::kInflateMemoryBytesMax);
            ASSERT_TRUE(output) << codec.name << " " << size;
            EXPECT_EQ(*output, input) << codec.name << " " << size;
        }
    }
}

TEST(WireCompression, OutputAtLimitPassesAndOneMoreIsTooLarge) {
    for (const Codec& codec : kCodecs) {
        const std::string input = pseudo_random_text(50'000, 3);
        const std::string compressed = codec.compress(input);
        EXPECT_TRUE(codec.decompress(compressed, input.size(), limits::kPushInflateMemoryBytesMax)) << codec.name;
        EXPECT_EQ(codec.decompress(compressed, input.size() - 1, limits::kPushInflateMemoryBytesMax).error(),
                  Errc::decompressed_too_large)
            << codec.name;
    }
}

TEST(WireCompression, ZeroLimitAcceptsOnlyEmptyOutput) {
    for (const Codec& codec : kCodecs) {
        EXPECT_TRUE(codec.decompress(codec.compress(""), 0, limits::kInflateMemoryBytesMax)) << codec.name;
        EXPECT_EQ(codec.decompress(codec.compress("a"), 0, limits::kInflateMemoryBytesMax).error(),
                  Errc::decompressed_too_large)
            << codec.name;
    }
}

TEST(WireCompression, BombsStopAtTheLimitWithoutAllocatingTheirSize) {
    const std::size_t bomb_bytes = 64 * kMiB;
    const std::size_t limit = limits::kDecompressedBytesMax;
    const std::string zlib_bomb = test::zlib_zeros(bomb_bytes);
    const std::string brotli_bomb = test::brotli_zeros(bomb_bytes);
    for (const auto& [name, decompress, bomb] :
         {std::tuple{"zlib", &zlib_decompress, &zlib_bomb}, std::tuple{"brotli", &brotli_decompress, &brotli_bomb}}) {
        const std::size_t before = g_allocated_bytes.load();
        auto output = decompress(*bomb, limit, limits::kPushInflateMemoryBytesMax);
        const std::size_t allocated = g_allocated_bytes.load() - before;
        ASSERT_FALSE(output) << name;
        EXPECT_EQ(output.error(), Errc::decompressed_too_large) << name;
        // Capacity grows by doubling up to the limit: at most ~2x the limit in all, far from
        // the 64 MiB a decompress-then-check would need.
        EXPECT_LE(allocated, 2 * limit + kMiB) << name;
    }
}

// A brotli stream of `input` that declares a window of 2^window_bits bytes.
std::string brotli_with_window(std::string_view input, int window_bits) {
    std::size_t size = BrotliEncoderMaxCompressedSize(input.size());
    std::string out(size, '\0');
    EXPECT_EQ(BrotliEncoderCompress(5, window_bits, BROTLI_MODE_GENERIC, input.size(),
                                    reinterpret_cast<const std::uint8_t*>(input.data()), &size,
                                    reinterpret_cast<std::uint8_t*>(out.data())),
              BROTLI_TRUE);
    out.resize(size);
    return out;
}

// The decoder's ring buffer follows the window a stream declares unless the stream says its
// output is small: a client body must not make the server allocate a 16 MiB window.
TEST(WireCompression, StreamsDeclaringLargeWindowsNeedTheMemoryBudget) {
    const std::string input = pseudo_random_text(3 * kMiB, 13);
    const std::string compressed = brotli_with_window(input, 24);
    EXPECT_EQ(brotli_decompress(compressed, 4 * kMiB, limits::kInflateMemoryBytesMax).error(),
              Errc::decompressed_too_large);
    auto output = brotli_decompress(compressed, 4 * kMiB, limits::kPushInflateMemoryBytesMax);
    ASSERT_TRUE(output);
    EXPECT_EQ(*output, input);
}

TEST(WireCompression, SmallClientBodiesFitTheMemoryBudgetWhateverTheirWindow) {
    // What a client sends: under the 64 KiB packet limit, with the encoders' largest windows.
    const std::string body = pseudo_random_text(limits::kClientPacketBytesMax - 16, 17);
    for (int window_bits : {10, 16, 22, 24}) {
        auto output =
            brotli_decompress(brotli_with_window(body, window_bits), body.size(), limits::kInflateMemoryBytesMax);
        ASSERT_TRUE(output) << "window 2^" << window_bits;
        EXPECT_EQ(*output, body);
    }
    auto zlib = zlib_decompress(zlib_compress(body), body.size(), limits::kInflateMemoryBytesMax);
    ASSERT_TRUE(zlib);
    EXPECT_EQ(*zlib, body);
}

TEST(WireCompression, ZlibBelowItsWorkingMemoryIsRefusedAsTooLarge) {
    const std::string compressed = zlib_compress(pseudo_random_text(1000, 19));
    EXPECT_EQ(zlib_decompress(compressed, kMiB, 1024).error(), Errc::decompressed_too_large);
}

TEST(WireCompression, ZlibCorruptionFails) {
    const std::string compressed = zlib_compress(pseudo_random_text(2000, 5));
    std::string bad_checksum = compressed;
    bad_checksum.back() = static_cast<char>(bad_checksum.back() ^ 0x01);
    EXPECT_EQ(zlib_decompress(bad_checksum, kMiB).error(), Errc::decompress_failed);

    std::string bad_header = compressed;
    bad_header[1] = '\0';
    EXPECT_EQ(zlib_decompress(bad_header, kMiB).error(), Errc::decompress_failed);

    // Raw deflate and gzip are not what protocol version 2 means.
    EXPECT_EQ(zlib_decompress(compressed.substr(2), kMiB).error(), Errc::decompress_failed);
    EXPECT_EQ(zlib_decompress("\x1f\x8b\x08\x00junk", kMiB).error(), Errc::decompress_failed);
}

TEST(WireCompression, BrotliGarbageFails) {
    // Brotli has no checksum, so only malformed structure is detectable: here an empty last
    // meta-block with non-zero padding bits, followed by bytes past the end of the stream.
    EXPECT_EQ(brotli_decompress(std::string(16, '\xff'), kMiB).error(), Errc::decompress_failed);
}

TEST(WireCompression, TruncationAtEveryLengthFails) {
    for (const Codec& codec : kCodecs) {
        const std::string compressed = codec.compress(pseudo_random_text(3000, 11));
        for (std::size_t size = 0; size < compressed.size(); ++size) {
            EXPECT_EQ(codec.decompress(compressed.substr(0, size), kMiB, limits::kInflateMemoryBytesMax).error(),
                      Errc::decompress_failed)
                << codec.name << " cut at " << size;
        }
    }
}

TEST(WireCompression, TrailingBytesAfterTheStreamFail) {
    for (const Codec& codec : kCodecs) {
        const std::string compressed = codec.compress("{\"cmd\":\"DANMU_MSG\"}");
        EXPECT_EQ(codec.decompress(compressed + '\0', kMiB, limits::kInflateMemoryBytesMax).error(),
                  Errc::decompress_failed)
            << codec.name;
    }
}

TEST(WireCompression, CompressesRepetitiveJson) {
    std::string json;
    for (int i = 0; i < 50; ++i) {
        json += R"({"cmd":"DANMU_MSG","data":{"uname":"viewer","msg":"hello"}})";
    }
    for (const Codec& codec : kCodecs) {
        EXPECT_LT(codec.compress(json).size(), json.size() / 4) << codec.name;
    }
}

}  // namespace
}  // namespace barrage::wire
