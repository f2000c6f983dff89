// Micro-benchmark of the room's fan-out encode: one batch of 50 danmaku encoded once per
// encoding key in use (dialect x protover), as a room does every batch interval. The cost per
// batch grows with the keys in use, not with the receivers; this shows by how much.

#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "message/room_message.h"
#include "room/batch_frames.h"
#include "room/encoding.h"
#include "room/shed_levels.h"

namespace {

using barrage::RoomId;
using barrage::UserId;
using barrage::message::Danmaku;
using barrage::message::Dialect;
using barrage::message::MessagePtr;
using barrage::message::Role;
using barrage::message::RoomMessage;
using barrage::message::Sender;
using barrage::room::EncodingKey;
using barrage::room::kEncodingKeyCount;
using barrage::wire::ProtocolVersion;

constexpr std::size_t kBatchMessages = 50;

// Fifty danmaku from a handful of viewers, texts varied so compression sees realistic
// repetition rather than identical messages.
std::vector<MessagePtr> danmaku_batch() {
    std::vector<MessagePtr> batch;
    for (std::size_t i = 0; i < kBatchMessages; ++i) {
        const std::string name = "viewer_" + std::to_string(i % 17);
        batch.push_back(std::make_shared<const RoomMessage>(RoomMessage{
            .room = RoomId{1},
            .sequence = 1000 + i,
            .time_ms = 1'700'000'000'000 + static_cast<std::int64_t>(i) * 37,
            .sender = Sender{.uid = UserId{10'000 + i * 13},
                             .name = name,
                             .face = "https://i0.example/face/" + name + ".jpg",
                             .role = Role::viewer},
            .body = Danmaku{.text = "comment " + std::to_string(i * 7919 % 100'003) +
                                    ": great stream, hello from room " + std::to_string(i % 23)},
        }));
    }
    return batch;
}

// The keys a room would have in use with `count` receiver kinds: browsers first (web dialect,
// brotli), then open-platform style zlib and native plain JSON; 9 is every key.
std::array<bool, kEncodingKeyCount> keys_in_use(std::int64_t count) {
    std::array<bool, kEncodingKeyCount> in_use{};
    if (count >= static_cast<std::int64_t>(kEncodingKeyCount)) {
        in_use.fill(true);
        return in_use;
    }
    const std::array<EncodingKey, 3> common{
        EncodingKey{.dialect = Dialect::web, .protover = ProtocolVersion::brotli},
        EncodingKey{.dialect = Dialect::web, .protover = ProtocolVersion::zlib},
        EncodingKey{.dialect = Dialect::native, .protover = ProtocolVersion::json},
    };
    for (std::int64_t i = 0; i < count && i < 3; ++i) {
        in_use[common[static_cast<std::size_t>(i)].index()] = true;
    }
    return in_use;
}

void BM_EncodeForKeys(benchmark::State& state) {
    const std::vector<MessagePtr> batch = danmaku_batch();
    const auto in_use = keys_in_use(state.range(0));
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto frames = barrage::room::encode_for_keys(batch, in_use);
        benchmark::DoNotOptimize(frames);
        bytes = 0;
        for (const auto& frame : frames) {
            bytes += frame ? frame->bytes.size() : 0;
        }
    }
    state.counters["frame_bytes"] = static_cast<double>(bytes);
    state.counters["messages/s"] = benchmark::Counter(
        static_cast<double>(kBatchMessages) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeForKeys)->Arg(1)->Arg(3)->Arg(9)->Unit(benchmark::kMicrosecond);

// What shedding adds to a batch (docs/architecture.md, "Shedding"): marking each message's
// level on the home loop (shed_levels), and one more encoding per level some receiver is at,
// made on first need and shared (BatchFrames::frame). Arg: the level asked for (0 = the full
// frame the home loop made anyway).
void BM_ShedLevels(benchmark::State& state) {
    const std::vector<MessagePtr> batch = danmaku_batch();
    std::uint64_t batches = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(barrage::room::shed_levels(batch, batches));
    }
    state.counters["messages/s"] = benchmark::Counter(
        static_cast<double>(kBatchMessages) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ShedLevels)->Unit(benchmark::kMicrosecond);

void BM_ShedLevelFrame(benchmark::State& state) {
    const auto level = static_cast<std::size_t>(state.range(0));
    const EncodingKey key{.dialect = Dialect::web, .protover = ProtocolVersion::brotli};
    std::size_t bytes = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto batch = danmaku_batch();
        std::uint64_t batches = 1;
        auto levels = barrage::room::shed_levels(batch, batches);
        auto full = barrage::room::encode_for_keys(batch, keys_in_use(1));
        barrage::room::BatchFrames frames(std::move(batch), std::move(full), std::move(levels), nullptr, 0);
        state.ResumeTiming();
        const auto frame = frames.frame(level, key);
        bytes = frame ? frame->bytes.size() : 0;
        benchmark::DoNotOptimize(frame);
    }
    state.counters["frame_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ShedLevelFrame)->Arg(0)->Arg(1)->Arg(3)->Arg(7)->Unit(benchmark::kMicrosecond);

}  // namespace
