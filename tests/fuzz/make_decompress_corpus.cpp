// Writes the seed corpus of decompress_fuzz: four header bytes (mode and repeats, memory
// budget, output limit; see decompress_fuzz.cpp), then a compressed body (raw mode) or the
// data to compress (round-trip mode).
// Usage: make_decompress_corpus <directory>   (the files in tests/fuzz/corpus/decompress came
// from `cmake --build build/fuzz --target make_decompress_corpus` and running it there).

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include <brotli/encode.h>
#include <zlib.h>

#include "wire/codec.h"

namespace {

using barrage::wire::Operation;
using barrage::wire::ProtocolVersion;

// Indexes into decompress_fuzz's memory budgets.
constexpr std::uint8_t kServerBudget = 0;
constexpr std::uint8_t kBudget16KiB = 2;
constexpr std::uint8_t kBudget2KiB = 3;

// The fuzz target doubles the 16-bit limit it reads.
constexpr std::uint16_t kLimit64KiB = 32 * 1024;

struct Header {
    bool round_trip = false;
    std::uint8_t repeats = 1;  // 1..32, round trip only
    std::uint8_t budget = kServerBudget;
    std::uint16_t half_limit = kLimit64KiB;
};

void write(const std::string& directory, const std::string& name, Header header, std::string_view data) {
    std::string bytes;
    bytes += static_cast<char>((header.repeats - 1) << 1 | (header.round_trip ? 1 : 0));
    bytes += static_cast<char>(header.budget);
    bytes += static_cast<char>(header.half_limit >> 8);
    bytes += static_cast<char>(header.half_limit & 0xFF);
    bytes += data;
    std::ofstream file(directory + "/" + name, std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// What a client compresses: an auth, a heartbeat and a danmaku send, as packets.
std::string client_packets() {
    std::string out;
    barrage::wire::append_packet(out, ProtocolVersion::control, Operation::auth, 1,
                                 R"({"uid":0,"roomid":1,"protover":3,"platform":"web","type":2})");
    barrage::wire::append_packet(out, ProtocolVersion::control, Operation::heartbeat, 2, "{}");
    barrage::wire::append_packet(out, ProtocolVersion::control, Operation::send_message, 3,
                                 R"({"msg":"hello, room","color":16777215,"mode":1})");
    return out;
}

// Danmaku push bodies, `count` of them, as the text a batch holds.
std::string danmaku_text(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += R"({"cmd":"DANMU_MSG","info":[[0,1,25,16777215],"hi )" + std::to_string(i) + R"(",[42,"viewer"]]})";
    }
    return out;
}

std::string zlib_with(std::string_view data, int window_bits, std::string_view dictionary) {
    z_stream stream{};
    deflateInit2(&stream, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
    if (!dictionary.empty()) {
        deflateSetDictionary(&stream, reinterpret_cast<const Bytef*>(dictionary.data()),
                             static_cast<uInt>(dictionary.size()));
    }
    std::string out(deflateBound(&stream, data.size()), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

// Brotli with the largest standard window (16 MiB), as a hostile client may declare it.
std::string brotli_window_24(std::string_view data) {
    std::size_t size = BrotliEncoderMaxCompressedSize(data.size());
    std::string out(size, '\0');
    BrotliEncoderCompress(5, 24, BROTLI_MODE_TEXT, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()),
                          &size, reinterpret_cast<std::uint8_t*>(out.data()));
    out.resize(size);
    return out;
}

void write_raw(const std::string& dir) {
    const std::string packets = client_packets();
    const std::string zeros(1 << 20, '\0');
    const std::string text = danmaku_text(40);
    const std::string zlib_text = barrage::wire::zlib_compress(text);
    write(dir, "zlib_client_packets", {}, barrage::wire::zlib_compress(packets));
    write(dir, "brotli_client_packets", {}, barrage::wire::brotli_compress(packets));
    write(dir, "zlib_bomb", {}, barrage::wire::zlib_compress(zeros));
    write(dir, "brotli_bomb", {}, barrage::wire::brotli_compress(zeros));
    write(dir, "brotli_window_24", {}, brotli_window_24(danmaku_text(1500)));
    write(dir, "zlib_truncated", {}, zlib_text.substr(0, zlib_text.size() / 2));
    write(dir, "zlib_trailing_bytes", {}, zlib_text + "junk");
    write(dir, "zlib_preset_dictionary", {}, zlib_with(text, 15, "DANMU_MSG viewer"));
    write(dir, "zlib_small_window", {.budget = kBudget16KiB}, zlib_with(text, 9, ""));
    write(dir, "zlib_window_over_budget", {.budget = kBudget16KiB}, zlib_text);
    write(dir, "empty", {}, "");
}

void write_round_trips(const std::string& dir) {
    write(dir, "round_trip_batch", {.round_trip = true}, danmaku_text(20));
    // 2 KiB repeated 32 times: exactly the 64 KiB client packet limit.
    write(dir, "round_trip_at_limit", {.round_trip = true, .repeats = 32}, danmaku_text(40).substr(0, 2048));
    write(dir, "round_trip_over_limit", {.round_trip = true, .half_limit = 500}, danmaku_text(20));
    write(dir, "round_trip_tiny_budget", {.round_trip = true, .budget = kBudget2KiB}, client_packets());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
        return 2;
    }
    write_raw(argv[1]);
    write_round_trips(argv[1]);
    return 0;
}
