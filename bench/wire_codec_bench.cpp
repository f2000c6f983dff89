// Micro-benchmarks of the wire codec: the per-push encode, the per-batch encode at each
// protover, and the client-side decodes (what our test clients and the fuzz target run).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wire/codec.h"

namespace {

using barrage::wire::Operation;
using barrage::wire::Packet;
using barrage::wire::ProtocolVersion;

constexpr std::size_t kBatchMessages = 50;

// A danmaku push of about 300 bytes, varied per index so compression sees realistic
// repetition (shared keys and structure) rather than identical messages.
std::string danmaku_json(std::size_t index) {
    const std::string text = "viewer comment " + std::to_string(index * 7919 % 100'003) +
                             ": this stream is great, hello to the anchor from room " + std::to_string(index % 23) +
                             "!";
    std::string json = R"({"cmd":"DANMU_MSG","info":[[0,1,25,16777215,)" +
                       std::to_string(1'700'000'000'000 + index * 37) + R"(,0,0,"",0,0,0,"",0,"{}","{}"],")" + text +
                       R"(",[)" + std::to_string(10'000 + index * 13) + R"(,"viewer_)" + std::to_string(index % 17) +
                       R"(",0,0,0,10000,1,""],[12,"medal","anchor",)" + std::to_string(index % 9) +
                       R"(,6126494,"",0],[)" + std::to_string(index % 40) + R"(,0,9868950,">50000",0],["",""],0,0]})";
    return json;
}

std::vector<std::string> danmaku_batch() {
    std::vector<std::string> bodies;
    for (std::size_t i = 0; i < kBatchMessages; ++i) {
        bodies.push_back(danmaku_json(i));
    }
    return bodies;
}

std::size_t total_bytes(const std::vector<std::string>& bodies) {
    std::size_t bytes = 0;
    for (const auto& body : bodies) {
        bytes += body.size();
    }
    return bytes;
}

void BM_EncodeOnePushPacket(benchmark::State& state) {
    const std::string body = danmaku_json(1);
    std::string out;
    for (auto _ : state) {
        out.clear();
        barrage::wire::append_packet(out, ProtocolVersion::json, Operation::message, 0, body);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_EncodeOnePushPacket);

void BM_DecodeMultiPacketBuffer(benchmark::State& state) {
    const std::string bytes = encode_push_batch(danmaku_batch(), ProtocolVersion::json);
    const barrage::wire::DecodeLimits limits{.packet_bytes_max = 1 << 20};
    std::vector<Packet> packets;
    for (auto _ : state) {
        packets.clear();
        auto status = barrage::wire::decode_packets(bytes, limits, packets);
        benchmark::DoNotOptimize(status);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatchMessages));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_DecodeMultiPacketBuffer);

// Arg: protover 0, 2 (zlib) or 3 (brotli). Bytes processed = JSON bytes in; the
// "wire_bytes" counter is what goes out, so the compression ratio is visible too.
void BM_EncodePushBatch(benchmark::State& state) {
    const auto protover = static_cast<ProtocolVersion>(state.range(0));
    const auto bodies = danmaku_batch();
    std::size_t wire_bytes = 0;
    for (auto _ : state) {
        const std::string out = encode_push_batch(bodies, protover);
        wire_bytes = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatchMessages));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes(bodies)));
    state.counters["wire_bytes"] = static_cast<double>(wire_bytes);
    state.counters["json_bytes"] = static_cast<double>(total_bytes(bodies));
}
BENCHMARK(BM_EncodePushBatch)->Arg(0)->Arg(2)->Arg(3)->ArgName("protover");

// Arg: 2 (zlib) or 3 (brotli). Bytes processed = inflated bytes out.
void BM_DecompressBatch(benchmark::State& state) {
    const std::string plain = encode_push_batch(danmaku_batch(), ProtocolVersion::json);
    const bool zlib = state.range(0) == 2;
    const std::string compressed = zlib ? barrage::wire::zlib_compress(plain) : barrage::wire::brotli_compress(plain);
    const std::size_t limit = barrage::limits::kDecompressedBytesMax;
    for (auto _ : state) {
        auto out = zlib ? barrage::wire::zlib_decompress(compressed, limit)
                        : barrage::wire::brotli_decompress(compressed, limit);
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatchMessages));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(plain.size()));
    state.counters["compressed_bytes"] = static_cast<double>(compressed.size());
}
BENCHMARK(BM_DecompressBatch)->Arg(2)->Arg(3)->ArgName("protover");

}  // namespace
