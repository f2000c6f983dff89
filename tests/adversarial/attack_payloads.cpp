// attack_payloads: writes to stdout the brotli bodies the adversarial suite sends
// (adversarial_test.py). Python's standard library has zlib but no brotli, and Debian's
// python3-brotli is not part of the build environment, so the C++ side, which links libbrotli
// for the server anyway, makes them.
//
//   attack_payloads zeros COUNT [QUALITY [WINDOW_BITS]]
//       brotli of COUNT zero bytes (a compression bomb)
//   attack_payloads heartbeats COUNT [QUALITY [WINDOW_BITS]]
//       brotli of COUNT empty op 2 (heartbeat) packets of version 1, back to back: what a
//       protover-3 packet holding a heartbeat flood inflates to
//
// QUALITY defaults to 11 and WINDOW_BITS to 24: an attacker picks the smallest output, not
// the server's push settings (wire::brotli_compress, quality 5). The input is streamed from
// one repeated block, so COUNT may be far larger than memory.

#include <brotli/encode.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "wire/codec.h"

namespace {

// Brotli of `block` repeated until `total_bytes` have been fed; empty on an encoder failure.
std::string brotli_repeated(std::string_view block, std::size_t total_bytes, int quality, int window_bits) {
    BrotliEncoderState* encoder = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
    if (encoder == nullptr) {
        return {};
    }
    BrotliEncoderSetParameter(encoder, BROTLI_PARAM_QUALITY, static_cast<std::uint32_t>(quality));
    BrotliEncoderSetParameter(encoder, BROTLI_PARAM_LGWIN, static_cast<std::uint32_t>(window_bits));
    std::string out;
    std::size_t left = total_bytes;
    for (;;) {
        const std::size_t piece = std::min(left, block.size());
        left -= piece;
        const auto operation = left == 0 ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS;
        std::size_t available_in = piece;
        const auto* next_in = reinterpret_cast<const std::uint8_t*>(block.data());
        do {
            std::size_t available_out = 0;
            if (BrotliEncoderCompressStream(encoder, operation, &available_in, &next_in, &available_out, nullptr,
                                            nullptr) != BROTLI_TRUE) {
                BrotliEncoderDestroyInstance(encoder);
                return {};
            }
            std::size_t size = 0;
            const std::uint8_t* output = BrotliEncoderTakeOutput(encoder, &size);
            out.append(reinterpret_cast<const char*>(output), size);
        } while (available_in != 0 || BrotliEncoderHasMoreOutput(encoder) == BROTLI_TRUE);
        if (operation == BROTLI_OPERATION_FINISH && BrotliEncoderIsFinished(encoder) == BROTLI_TRUE) {
            break;
        }
    }
    BrotliEncoderDestroyInstance(encoder);
    return out;
}

bool parse(const char* text, long long min, long long max, long long& out) {
    std::string_view view(text);
    auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), out);
    return ec == std::errc{} && end == view.data() + view.size() && out >= min && out <= max;
}

int usage() {
    std::fputs("usage: attack_payloads zeros|heartbeats COUNT [QUALITY [WINDOW_BITS]]\n", stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 5) {
        return usage();
    }
    const std::string_view kind(argv[1]);
    long long count = 0;
    long long quality = 11;
    long long window_bits = 24;
    if (!parse(argv[2], 1, 1LL << 40, count) || (argc > 3 && !parse(argv[3], 0, 11, quality)) ||
        (argc > 4 && !parse(argv[4], 10, 24, window_bits))) {
        return usage();
    }
    std::string block;
    std::size_t total = 0;
    if (kind == "zeros") {
        block.assign(std::size_t{1} << 20, '\0');
        total = static_cast<std::size_t>(count);
    } else if (kind == "heartbeats") {
        std::string heartbeat;
        barrage::wire::append_packet(heartbeat, barrage::wire::ProtocolVersion::control,
                                     barrage::wire::Operation::heartbeat, 1, {});
        for (int i = 0; i < 64 * 1024; ++i) {
            block += heartbeat;
        }
        total = static_cast<std::size_t>(count) * heartbeat.size();
    } else {
        return usage();
    }
    const std::string out = brotli_repeated(block, total, static_cast<int>(quality), static_cast<int>(window_bits));
    if (out.empty()) {
        std::fputs("attack_payloads: the brotli encoder failed\n", stderr);
        return 1;
    }
    return std::fwrite(out.data(), 1, out.size(), stdout) == out.size() ? 0 : 1;
}
