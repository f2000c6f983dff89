#include "room/encoding.h"

#include <gtest/gtest.h>

#include "wire/codec.h"

namespace barrage::room {
namespace {

using message::Dialect;
using wire::ProtocolVersion;

EncodingKey key(Dialect dialect, ProtocolVersion protover) {
    return EncodingKey{.dialect = dialect, .protover = protover};
}

std::vector<message::MessagePtr> sample_messages() {
    std::vector<message::MessagePtr> messages;
    auto add = [&](Sequence sequence, message::Body body) {
        message::RoomMessage stored;
        stored.room = RoomId{5};
        stored.sequence = sequence;
        stored.time_ms = 1'700'000'000'000;
        stored.sender.uid = UserId{77};
        stored.sender.name = "bob";
        stored.body = std::move(body);
        messages.push_back(std::make_shared<const message::RoomMessage>(std::move(stored)));
    };
    add(1, message::Danmaku{.text = "first"});
    add(0, message::OnlineCount{.online = 3, .watched = 4});
    add(2, message::Enter{});
    return messages;
}

std::vector<std::string> decode_bodies(const FramePtr& frame) {
    std::vector<wire::Packet> packets;
    const wire::DecodeLimits limits = wire::push_decode_limits();
    EXPECT_TRUE(wire::decode_packets(frame->bytes, limits, packets).has_value());
    std::vector<std::string> bodies;
    for (const auto& packet : packets) {
        EXPECT_EQ(packet.operation, static_cast<std::uint32_t>(wire::Operation::message));
        bodies.push_back(packet.body);
    }
    return bodies;
}

TEST(EncodingKey, IndexIsDialectTimesThreePlusVersionSlot) {
    EXPECT_EQ(key(Dialect::web, ProtocolVersion::json).index(), 0U);
    EXPECT_EQ(key(Dialect::web, ProtocolVersion::zlib).index(), 1U);
    EXPECT_EQ(key(Dialect::web, ProtocolVersion::brotli).index(), 2U);
    EXPECT_EQ(key(Dialect::native, ProtocolVersion::brotli).index(), 5U);
    EXPECT_EQ(key(Dialect::open_platform, ProtocolVersion::zlib).index(), 7U);
}

TEST(EncodingKey, FromIndexRoundTrips) {
    for (std::size_t index = 0; index < kEncodingKeyCount; ++index) {
        EXPECT_EQ(EncodingKey::from_index(index).index(), index);
    }
}

TEST(EncodingKey, PushVersionFollowsClientProtover) {
    EXPECT_EQ(push_version_for(2), ProtocolVersion::zlib);
    EXPECT_EQ(push_version_for(3), ProtocolVersion::brotli);
    EXPECT_EQ(push_version_for(0), ProtocolVersion::json);
    EXPECT_EQ(push_version_for(1), ProtocolVersion::json);
    EXPECT_EQ(push_version_for(99), ProtocolVersion::json);
    EXPECT_EQ(push_version_for(-3), ProtocolVersion::json);
}

TEST(EncodeForKeys, EncodesOnlyKeysInUse) {
    std::array<bool, kEncodingKeyCount> in_use{};
    const auto web_json = key(Dialect::web, ProtocolVersion::json).index();
    const auto web_brotli = key(Dialect::web, ProtocolVersion::brotli).index();
    const auto native_zlib = key(Dialect::native, ProtocolVersion::zlib).index();
    in_use[web_json] = in_use[web_brotli] = in_use[native_zlib] = true;
    const auto messages = sample_messages();
    const auto frames = encode_for_keys(messages, in_use);
    for (std::size_t index = 0; index < kEncodingKeyCount; ++index) {
        EXPECT_EQ(frames[index] != nullptr, in_use[index]) << index;
    }
}

TEST(EncodeForKeys, SameDialectKeysCarryTheSameJson) {
    std::array<bool, kEncodingKeyCount> in_use{};
    in_use.fill(true);
    const auto messages = sample_messages();
    const auto frames = encode_for_keys(messages, in_use);
    for (auto dialect : {Dialect::web, Dialect::native}) {
        const auto plain = decode_bodies(frames[key(dialect, ProtocolVersion::json).index()]);
        const auto zlib = decode_bodies(frames[key(dialect, ProtocolVersion::zlib).index()]);
        const auto brotli = decode_bodies(frames[key(dialect, ProtocolVersion::brotli).index()]);
        EXPECT_EQ(plain, zlib);
        EXPECT_EQ(plain, brotli);
        // Web spells the online count twice; native once.
        EXPECT_EQ(plain.size(), dialect == Dialect::web ? 4U : 3U);
    }
    EXPECT_NE(decode_bodies(frames[0]), decode_bodies(frames[3]));
}

TEST(EncodeForKeys, CompressedKeysAreOnePacket) {
    std::array<bool, kEncodingKeyCount> in_use{};
    in_use.fill(true);
    const auto frames = encode_for_keys(sample_messages(), in_use);
    const auto& bytes = frames[key(Dialect::web, ProtocolVersion::brotli).index()]->bytes;
    const auto header = wire::decode_header(bytes, wire::DecodeLimits{});
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->version, 3U);
    EXPECT_EQ(header->packet_length, bytes.size());
}

TEST(EncodeForKeys, DialectWithoutSpellingGivesNoFrame) {
    std::array<bool, kEncodingKeyCount> in_use{};
    in_use[key(Dialect::open_platform, ProtocolVersion::json).index()] = true;
    const auto frames = encode_for_keys(sample_messages(), in_use);
    for (const auto& frame : frames) {
        EXPECT_EQ(frame, nullptr);
    }
}

TEST(EncodeForKeys, NothingInUseEncodesNothing) {
    const auto frames = encode_for_keys(sample_messages(), {});
    for (const auto& frame : frames) {
        EXPECT_EQ(frame, nullptr);
    }
}

TEST(EncodeForKey, MatchesTheSharedEncoding) {
    std::array<bool, kEncodingKeyCount> in_use{};
    in_use.fill(true);
    const auto messages = sample_messages();
    const auto frames = encode_for_keys(messages, in_use);
    for (std::size_t index = 0; index < kEncodingKeyCount; ++index) {
        const auto single = encode_for_key(messages, EncodingKey::from_index(index));
        if (frames[index] == nullptr) {
            EXPECT_EQ(single, nullptr) << index;
            continue;
        }
        ASSERT_NE(single, nullptr) << index;
        EXPECT_EQ(decode_bodies(single), decode_bodies(frames[index])) << index;
    }
}

}  // namespace
}  // namespace barrage::room
