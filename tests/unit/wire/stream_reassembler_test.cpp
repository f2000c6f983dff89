// Tests of StreamReassembler in wire/stream_reassembler.cpp (declared in wire/codec.h).

#include "wire/codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "unit/wire/wire_test_helpers.h"

namespace barrage::wire {
namespace {

using test::packet;
using test::raw_header;

// A stream mixing every shape: control, plain JSON, zlib and brotli batches, empty body.
std::string sample_stream() {
    std::vector<std::string> bodies;
    for (int i = 0; i < 6; ++i) {
        bodies.push_back(R"({"cmd":"DANMU_MSG","info":[)" + std::to_string(i) + "]}");
    }
    std::string stream = packet(ProtocolVersion::control, Operation::auth_reply, 1, "{\"code\":0}");
    stream += encode_push_batch(bodies, ProtocolVersion::zlib);
    stream += packet(ProtocolVersion::control, Operation::heartbeat_reply, 0, test::kPopularityOne);
    stream += encode_push_batch(bodies, ProtocolVersion::brotli);
    stream += packet(ProtocolVersion::json, Operation::message, 0, "");
    stream += encode_push_batch(bodies, ProtocolVersion::json);
    return stream;
}

std::vector<Packet> decode_whole(std::string_view bytes) {
    std::vector<Packet> packets;
    EXPECT_TRUE(decode_packets(bytes, {}, packets));
    return packets;
}

void expect_same(const std::vector<Packet>& actual, const std::vector<Packet>& expected) {
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        EXPECT_EQ(actual[i].version, expected[i].version) << i;
        EXPECT_EQ(actual[i].operation, expected[i].operation) << i;
        EXPECT_EQ(actual[i].sequence, expected[i].sequence) << i;
        EXPECT_EQ(actual[i].body, expected[i].body) << i;
    }
}

TEST(StreamReassembler, WholeStreamInOneFeed) {
    const std::string stream = sample_stream();
    StreamReassembler reassembler;
    std::vector<Packet> out;
    ASSERT_TRUE(reassembler.feed(stream, out));
    expect_same(out, decode_whole(stream));
    EXPECT_EQ(out.size(), 1U + 6U + 1U + 6U + 1U + 6U);
    EXPECT_EQ(reassembler.pending_bytes(), 0U);
}

TEST(StreamReassembler, ByteByByteGivesTheSamePackets) {
    const std::string stream = sample_stream();
    StreamReassembler reassembler;
    std::vector<Packet> out;
    for (const char byte : stream) {
        ASSERT_TRUE(reassembler.feed(std::string_view(&byte, 1), out));
    }
    expect_same(out, decode_whole(stream));
    EXPECT_EQ(reassembler.pending_bytes(), 0U);
}

TEST(StreamReassembler, RandomSplitsGiveTheSamePackets) {
    const std::string stream = sample_stream();
    const auto expected = decode_whole(stream);
    std::mt19937 random(20240601);  // fixed seed: a failure reproduces
    for (int round = 0; round < 200; ++round) {
        std::uniform_int_distribution<std::size_t> piece_bytes(0, round % 2 == 0 ? 40 : 400);
        StreamReassembler reassembler;
        std::vector<Packet> out;
        std::size_t offset = 0;
        while (offset < stream.size()) {
            const std::size_t piece = std::min(piece_bytes(random), stream.size() - offset);
            ASSERT_TRUE(reassembler.feed(std::string_view(stream).substr(offset, piece), out));
            offset += piece;
            EXPECT_LE(out.size(), expected.size());
        }
        expect_same(out, expected);
        EXPECT_EQ(reassembler.pending_bytes(), 0U) << "round " << round;
    }
}

TEST(StreamReassembler, HoldsPartialPacketUntilComplete) {
    const std::string whole = packet(ProtocolVersion::json, Operation::message, 0, "{\"a\":1}");
    StreamReassembler reassembler;
    std::vector<Packet> out;
    ASSERT_TRUE(reassembler.feed(whole.substr(0, 10), out));
    EXPECT_EQ(reassembler.pending_bytes(), 10U);
    ASSERT_TRUE(reassembler.feed(whole.substr(10, 10), out));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(reassembler.pending_bytes(), 20U);
    ASSERT_TRUE(reassembler.feed(whole.substr(20) + whole.substr(0, 3), out));
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].body, "{\"a\":1}");
    EXPECT_EQ(reassembler.pending_bytes(), 3U);
}

TEST(StreamReassembler, EmptyFeedIsHarmless) {
    StreamReassembler reassembler;
    std::vector<Packet> out;
    EXPECT_TRUE(reassembler.feed("", out));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(reassembler.pending_bytes(), 0U);
}

TEST(StreamReassembler, OversizedLengthIsRejectedBeforeItsBodyArrives) {
    StreamReassembler reassembler(DecodeLimits{.packet_bytes_max = 1024});
    std::vector<Packet> out;
    const std::string header = raw_header({.packet_length = 1025});
    ASSERT_TRUE(reassembler.feed(header.substr(0, 15), out));
    const Status status = reassembler.feed(header.substr(15), out);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error(), Errc::packet_too_large);
}

TEST(StreamReassembler, PacketAtTheLimitIsReassembled) {
    StreamReassembler reassembler(DecodeLimits{.packet_bytes_max = 1024});
    std::vector<Packet> out;
    const std::string whole = packet(ProtocolVersion::control, Operation::auth, 1, std::string(1024 - 16, 'a'));
    for (std::size_t offset = 0; offset < whole.size(); offset += 100) {
        ASSERT_TRUE(reassembler.feed(std::string_view(whole).substr(offset, 100), out));
    }
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].body.size(), 1024U - 16U);
}

TEST(StreamReassembler, BadHeaderAfterGoodPacketsIsAnError) {
    StreamReassembler reassembler;
    std::vector<Packet> out;
    std::string bytes = packet(ProtocolVersion::json, Operation::message, 0, "{}");
    bytes += raw_header({.header_length = 15});
    const Status status = reassembler.feed(bytes, out);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error(), Errc::bad_header_length);
}

TEST(StreamReassembler, CompressedErrorsPropagate) {
    StreamReassembler reassembler;
    std::vector<Packet> out;
    const std::string nested = encode_push_batch(std::vector<std::string>{"{}"}, ProtocolVersion::zlib);
    const std::string bytes = packet(ProtocolVersion::brotli, Operation::message, 0, brotli_compress(nested));
    const Status status = reassembler.feed(bytes, out);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error(), Errc::nested_too_deep);
    EXPECT_TRUE(out.empty());
}

TEST(StreamReassembler, PacketBudgetIsCheckedBeforeAnythingIsInflated) {
    const std::string heartbeat = packet(ProtocolVersion::control, Operation::heartbeat, 1, "{}");
    {
        StreamReassembler reassembler;
        std::vector<Packet> out;
        ASSERT_TRUE(reassembler.feed(heartbeat + heartbeat + heartbeat.substr(0, 17), out, 2));
        EXPECT_EQ(out.size(), 2U) << "a partial packet does not count";
    }
    {
        // Three whole packets against a budget of two: refused, the corrupt compressed third
        // never reaching the inflater (which would have said decompress_failed).
        StreamReassembler reassembler;
        std::vector<Packet> out;
        const std::string corrupt = packet(ProtocolVersion::zlib, Operation::message, 0, "not zlib");
        const Status status = reassembler.feed(heartbeat + heartbeat + corrupt, out, 2);
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error(), Errc::packet_flood);
        EXPECT_TRUE(out.empty());
    }
}

TEST(StreamReassembler, LongStreamLeavesNothingPending) {
    // Many packets through one reassembler, each split in two: every one completes.
    const std::string unit = packet(ProtocolVersion::json, Operation::message, 0, std::string(100, 'x'));
    StreamReassembler reassembler;
    std::vector<Packet> out;
    for (int i = 0; i < 10'000; ++i) {
        ASSERT_TRUE(reassembler.feed(std::string_view(unit).substr(0, 50), out));
        ASSERT_TRUE(reassembler.feed(std::string_view(unit).substr(50), out));
        ASSERT_LE(reassembler.pending_bytes(), unit.size());
        if (out.size() > 100) {
            out.clear();
        }
    }
    EXPECT_EQ(reassembler.pending_bytes(), 0U);
}

}  // namespace
}  // namespace barrage::wire
