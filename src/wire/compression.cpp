// zlib and brotli behind the four functions declared in wire/codec.h.
//
// Both decompressors stream into a fixed chunk and copy each chunk out only after checking
// that it still fits under `output_bytes_max`, so a compression bomb costs at most the limit
// plus one chunk of memory, never its inflated size. The libraries' own working memory (zlib's
// window, brotli's ring buffer, which a stream may size up to 16 MiB) comes from a
// MemoryBudget, so a 30-byte body cannot make the server allocate megabytes either.

#include "wire/codec.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <memory>

#define ZLIB_CONST
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include "base/assert.h"

namespace barrage::wire {

namespace {

// Output is produced into this much stack at a time and copied out only if it fits: 16 KiB
// keeps library calls few and is the only memory a decompression uses beyond its limit.
constexpr std::size_t kChunkBytes = 16 * 1024;

// zlib level 6 (zlib's default). A batch is compressed once for all its receivers, but on the
// room's hot path: on a 50-danmaku batch (~14 KB) level 9 saves ~8% for ~50% more time.
constexpr int kZlibLevel = 6;

// Brotli quality 5, window 2^22 (4 MiB). Measured on such batches: quality 5 takes 0.8-1.6x
// zlib-6's time and comes out ~25% smaller; quality 4 is ~20% faster but ~20% larger; the
// default 11 is ~200x slower for another ~15%. A 4 MiB window covers any batch
// (kPacketBytesMax) while keeping each client's decoder ring buffer small.
constexpr int kBrotliQuality = 5;
constexpr int kBrotliWindowBits = 22;

// Appends `chunk` to `out` if the result stays within `output_bytes_max`. Capacity grows by
// doubling but never past the limit, so the allocation also stays bounded.
bool append_bounded(std::string& out, std::string_view chunk, std::size_t output_bytes_max) {
    if (chunk.size() > output_bytes_max - out.size()) {
        return false;
    }
    const std::size_t needed = out.size() + chunk.size();
    if (needed > out.capacity()) {
        out.reserve(std::min(output_bytes_max, std::max(needed, 2 * out.capacity())));
    }
    out.append(chunk);
    return true;
}

// Working memory handed to zlib or brotli, up to a fixed total: past it an allocation fails and
// the library reports an error, which the caller turns into Errc::decompressed_too_large.
// Each block carries its size in front, since zlib's free does not pass it.
class MemoryBudget {
public:
    explicit MemoryBudget(std::size_t bytes_max) : bytes_max_(bytes_max) {}

    void* allocate(std::size_t bytes) {
        if (bytes > bytes_max_ - used_) {
            exceeded_ = true;
            return nullptr;
        }
        auto* block = static_cast<std::max_align_t*>(std::malloc(sizeof(std::max_align_t) + bytes));
        if (block == nullptr) {
            exceeded_ = true;
            return nullptr;
        }
        *reinterpret_cast<std::size_t*>(block) = bytes;
        used_ += bytes;
        return block + 1;
    }

    void release(void* address) {
        if (address == nullptr) {
            return;
        }
        auto* block = static_cast<std::max_align_t*>(address) - 1;
        used_ -= *reinterpret_cast<std::size_t*>(block);
        std::free(block);
    }

    bool exceeded() const { return exceeded_; }

    static void* zlib_alloc(void* opaque, uInt items, uInt size) {
        const std::size_t bytes = std::size_t{items} * size;
        return static_cast<MemoryBudget*>(opaque)->allocate(bytes);
    }
    static void zlib_free(void* opaque, void* address) { static_cast<MemoryBudget*>(opaque)->release(address); }
    static void* brotli_alloc(void* opaque, std::size_t bytes) {
        return static_cast<MemoryBudget*>(opaque)->allocate(bytes);
    }
    static void brotli_free(void* opaque, void* address) { static_cast<MemoryBudget*>(opaque)->release(address); }

private:
    std::size_t bytes_max_;
    std::size_t used_ = 0;
    bool exceeded_ = false;
};

struct InflateEnd {
    void operator()(z_stream* stream) const { inflateEnd(stream); }
};

struct BrotliDecoderFree {
    void operator()(BrotliDecoderState* state) const { BrotliDecoderDestroyInstance(state); }
};

// Gives zlib the next piece of input; zlib counts input in uInt, which may be narrower
// than size_t.
void refill_zlib_input(z_stream& stream, std::string_view input, std::size_t& offset) {
    if (stream.avail_in != 0 || offset == input.size()) {
        return;
    }
    const std::size_t piece = std::min<std::size_t>(input.size() - offset, UINT_MAX);
    stream.next_in = reinterpret_cast<const Bytef*>(input.data() + offset);
    stream.avail_in = static_cast<uInt>(piece);
    offset += piece;
}

}  // namespace

std::string zlib_compress(std::string_view input) {
    uLongf compressed_bytes = compressBound(input.size());
    std::string out(compressed_bytes, '\0');
    const int result = compress2(reinterpret_cast<Bytef*>(out.data()), &compressed_bytes,
                                 reinterpret_cast<const Bytef*>(input.data()), input.size(), kZlibLevel);
    // compressBound guarantees room, so only an allocation failure can get here.
    BARRAGE_ASSERT(result == Z_OK);
    out.resize(compressed_bytes);
    return out;
}

Result<std::string> zlib_decompress(std::string_view input, std::size_t output_bytes_max,
                                    std::size_t memory_bytes_max) {
    MemoryBudget budget(memory_bytes_max);
    z_stream stream{};
    stream.zalloc = &MemoryBudget::zlib_alloc;
    stream.zfree = &MemoryBudget::zlib_free;
    stream.opaque = &budget;
    if (const int init = inflateInit(&stream); init != Z_OK) {
        return make_error_code(init == Z_MEM_ERROR ? Errc::decompressed_too_large : Errc::decompress_failed);
    }
    const std::unique_ptr<z_stream, InflateEnd> guard(&stream);
    std::size_t input_offset = 0;
    std::array<char, kChunkBytes> chunk{};
    std::string out;
    // Each round either consumes input or produces output (else zlib reports Z_BUF_ERROR
    // and we stop), so the loop ends.
    for (;;) {
        refill_zlib_input(stream, input, input_offset);
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        const int result = inflate(&stream, Z_NO_FLUSH);
        if (result != Z_OK && result != Z_STREAM_END) {
            // Z_BUF_ERROR here means the input ended mid-stream: a truncated body. Z_MEM_ERROR
            // means the stream wanted more working memory than the budget.
            return make_error_code(result == Z_MEM_ERROR || budget.exceeded() ? Errc::decompressed_too_large
                                                                              : Errc::decompress_failed);
        }
        const std::size_t produced = chunk.size() - stream.avail_out;
        if (!append_bounded(out, {chunk.data(), produced}, output_bytes_max)) {
            return make_error_code(Errc::decompressed_too_large);
        }
        if (result == Z_STREAM_END) {
            break;
        }
    }
    // Bytes after the end of the zlib stream are not ours to ignore: the body is corrupt.
    if (stream.avail_in != 0 || input_offset != input.size()) {
        return make_error_code(Errc::decompress_failed);
    }
    return out;
}

std::string brotli_compress(std::string_view input) {
    std::size_t compressed_bytes = BrotliEncoderMaxCompressedSize(input.size());
    BARRAGE_ASSERT(compressed_bytes != 0);
    std::string out(compressed_bytes, '\0');
    const BROTLI_BOOL ok = BrotliEncoderCompress(kBrotliQuality, kBrotliWindowBits, BROTLI_MODE_TEXT, input.size(),
                                                 reinterpret_cast<const std::uint8_t*>(input.data()), &compressed_bytes,
                                                 reinterpret_cast<std::uint8_t*>(out.data()));
    // The buffer is BrotliEncoderMaxCompressedSize, so only an allocation failure can fail.
    BARRAGE_ASSERT(ok == BROTLI_TRUE);
    out.resize(compressed_bytes);
    return out;
}

Result<std::string> brotli_decompress(std::string_view input, std::size_t output_bytes_max,
                                      std::size_t memory_bytes_max) {
    // The decoder's ring buffer follows the stream's declared window (up to 16 MiB), shrunk
    // when the stream says its whole output is small; the budget refuses the rest.
    MemoryBudget budget(memory_bytes_max);
    const std::unique_ptr<BrotliDecoderState, BrotliDecoderFree> decoder(
        BrotliDecoderCreateInstance(&MemoryBudget::brotli_alloc, &MemoryBudget::brotli_free, &budget));
    if (!decoder) {
        return make_error_code(Errc::decompressed_too_large);
    }
    std::size_t available_in = input.size();
    const auto* next_in = reinterpret_cast<const std::uint8_t*>(input.data());
    std::array<std::uint8_t, kChunkBytes> chunk{};
    std::string out;
    // Each round produces output or ends the stream (success, error or needs-more-input).
    for (;;) {
        std::size_t available_out = chunk.size();
        std::uint8_t* next_out = chunk.data();
        const BrotliDecoderResult result =
            BrotliDecoderDecompressStream(decoder.get(), &available_in, &next_in, &available_out, &next_out, nullptr);
        if (result == BROTLI_DECODER_RESULT_ERROR && budget.exceeded()) {
            return make_error_code(Errc::decompressed_too_large);
        }
        if (result == BROTLI_DECODER_RESULT_ERROR || result == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
            // All input was given at once, so needing more means a truncated body.
            return make_error_code(Errc::decompress_failed);
        }
        const std::string_view produced(reinterpret_cast<const char*>(chunk.data()), chunk.size() - available_out);
        if (!append_bounded(out, produced, output_bytes_max)) {
            return make_error_code(Errc::decompressed_too_large);
        }
        if (result == BROTLI_DECODER_RESULT_SUCCESS) {
            break;
        }
    }
    if (available_in != 0) {
        return make_error_code(Errc::decompress_failed);
    }
    return out;
}

}  // namespace barrage::wire
