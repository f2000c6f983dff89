#include "room/replay_frames.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "room/history_ring.h"
#include "wire/codec.h"

namespace barrage::room {
namespace {

using message::Dialect;
using wire::ProtocolVersion;

constexpr EncodingKey kNativeBrotli{.dialect = Dialect::native, .protover = ProtocolVersion::brotli};
constexpr EncodingKey kWebPlain{.dialect = Dialect::web, .protover = ProtocolVersion::json};

message::MessagePtr danmaku(Sequence sequence) {
    message::RoomMessage stored;
    stored.room = RoomId{5};
    stored.sequence = sequence;
    stored.time_ms = 1'700'000'000'000;
    stored.sender.uid = UserId{77};
    stored.body = message::Danmaku{.text = "m" + std::to_string(sequence)};
    return std::make_shared<const message::RoomMessage>(std::move(stored));
}

// A ring holding sequences 1..last (capacity `kept`).
HistoryRing ring(Sequence last, std::size_t kept = 1000) {
    HistoryRing history(kept);
    for (Sequence s = 1; s <= last; ++s) {
        history.push(danmaku(s));
    }
    return history;
}

// The sequences the frames replay, in order (native dialect: root "seq").
std::vector<Sequence> sequences_in(const std::vector<wire::FramePtr>& frames) {
    std::vector<Sequence> out;
    for (const auto& frame : frames) {
        std::vector<wire::Packet> packets;
        EXPECT_TRUE(wire::decode_packets(frame->bytes, wire::push_decode_limits(), packets));
        for (const auto& packet : packets) {
            out.push_back(boost::json::parse(packet.body).at("seq").to_number<Sequence>());
        }
    }
    return out;
}

std::vector<Sequence> range(Sequence first, Sequence last) {
    std::vector<Sequence> out;
    for (Sequence s = first; s <= last; ++s) {
        out.push_back(s);
    }
    return out;
}

TEST(ReplayFrames, ReplaysExactlyTheMissedMessagesInOrderFromAnyResumePoint) {
    const auto history = ring(300);
    ReplayFrames replay;
    for (Sequence after : {Sequence{0}, Sequence{1}, Sequence{63}, Sequence{64}, Sequence{65}, Sequence{200},
                           Sequence{255}, Sequence{256}, Sequence{299}}) {
        auto missed = history.after(after, 1000);
        EXPECT_EQ(sequences_in(replay.frames(missed.messages, kNativeBrotli)), range(after + 1, 300))
            << "after " << after;
    }
}

TEST(ReplayFrames, WholeBlocksAreEncodedOnceForEveryJoiner) {
    const auto history = ring(300);  // blocks 1-64 ... 193-256 whole, 257-300 the newest
    ReplayFrames replay;
    auto everything = history.after(0, 1000);
    (void)replay.frames(everything.messages, kNativeBrotli);
    const auto first_join = replay.encodings();
    EXPECT_EQ(first_join, 5U) << "four whole blocks and the newest";
    for (int joiner = 0; joiner < 100; ++joiner) {
        (void)replay.frames(everything.messages, kNativeBrotli);
    }
    EXPECT_EQ(replay.encodings(), first_join) << "a join storm re-encodes nothing";
    (void)replay.frames(everything.messages, kWebPlain);
    EXPECT_EQ(replay.encodings(), first_join + 5) << "another key is encoded once too";
}

TEST(ReplayFrames, OnlyTheJoinersOwnPartialBlockIsEncodedForIt) {
    const auto history = ring(300);
    ReplayFrames replay;
    (void)replay.frames(history.after(0, 1000).messages, kNativeBrotli);
    const auto before = replay.encodings();
    auto resumed = history.after(100, 1000);  // 101..128 is its own, the rest is shared
    EXPECT_EQ(sequences_in(replay.frames(resumed.messages, kNativeBrotli)), range(101, 300));
    EXPECT_EQ(replay.encodings(), before + 1);
}

TEST(ReplayFrames, TheNewestBlockIsKeptUntilAMessageJoinsIt) {
    auto history = ring(70);
    ReplayFrames replay;
    (void)replay.frames(history.after(0, 1000).messages, kNativeBrotli);
    const auto before = replay.encodings();
    (void)replay.frames(history.after(0, 1000).messages, kNativeBrotli);
    EXPECT_EQ(replay.encodings(), before);
    history.push(danmaku(71));
    auto grown = history.after(0, 1000);
    EXPECT_EQ(sequences_in(replay.frames(grown.messages, kNativeBrotli)), range(1, 71));
    EXPECT_EQ(replay.encodings(), before + 1) << "only the newest block again";
}

TEST(ReplayFrames, BlocksTheRingDroppedAreForgotten) {
    auto history = ring(200, 100);  // keeps 101..200
    ReplayFrames replay;
    replay.forget_before(history.oldest_sequence());
    auto kept = history.after(0, 1000);
    EXPECT_TRUE(kept.gap);
    EXPECT_EQ(sequences_in(replay.frames(kept.messages, kNativeBrotli)), range(101, 200));
    EXPECT_EQ(replay.blocks_kept(), 1U) << "129..192 whole; 101..128 partial, 193..200 newest";
    for (Sequence s = 201; s <= 300; ++s) {
        history.push(danmaku(s));
    }
    replay.forget_before(history.oldest_sequence());
    EXPECT_EQ(replay.blocks_kept(), 0U);
}

}  // namespace
}  // namespace barrage::room
