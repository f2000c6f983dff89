#include "wire/codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "unit/wire/wire_test_helpers.h"

namespace barrage::wire {
namespace {

using test::packet;
using test::packet_with_version;
using test::raw_header;

constexpr Operation kAllOperations[] = {
    Operation::handshake,    Operation::handshake_reply, Operation::heartbeat,        Operation::heartbeat_reply,
    Operation::send_message, Operation::message,         Operation::disconnect_reply, Operation::auth,
    Operation::auth_reply,   Operation::send_reply,
};

std::vector<Packet> decode_ok(std::string_view bytes, const DecodeLimits& limits = {}) {
    std::vector<Packet> out;
    const Status status = decode_packets(bytes, limits, out);
    EXPECT_TRUE(status) << (status ? "" : status.error().message());
    return out;
}

std::error_code decode_error(std::string_view bytes, const DecodeLimits& limits = {}) {
    std::vector<Packet> out;
    const Status status = decode_packets(bytes, limits, out);
    EXPECT_FALSE(status);
    EXPECT_TRUE(out.empty());
    return status ? std::error_code{} : status.error();
}

// A compressed packet (version 2 or 3) whose inflated body is `inner` verbatim.
std::string compressed_packet(ProtocolVersion version, std::string_view inner) {
    const std::string body = version == ProtocolVersion::zlib ? zlib_compress(inner) : brotli_compress(inner);
    return packet(version, Operation::message, 0, body);
}

TEST(WireCodec, HeartbeatReplyIsExactlyTwentyBytes) {
    std::string out;
    append_packet(out, ProtocolVersion::control, Operation::heartbeat_reply, 0, test::kPopularityOne);
    const std::string expected(
        "\x00\x00\x00\x14\x00\x10\x00\x01\x00\x00\x00\x03\x00\x00\x00\x00"
        "\x00\x00\x00\x01",
        20);
    EXPECT_EQ(out, expected);
}

TEST(WireCodec, AuthReplyMatchesTheRealTwentySixBytePacket) {
    const std::string out = packet(ProtocolVersion::control, Operation::auth_reply, 1, R"({"code":0})");
    ASSERT_EQ(out.size(), 26U);
    EXPECT_EQ(out.substr(0, 16), std::string("\x00\x00\x00\x1a\x00\x10\x00\x01\x00\x00\x00\x08\x00\x00\x00\x01", 16));
}

TEST(WireCodec, AppendPacketKeepsWhatIsAlreadyInTheBuffer) {
    std::string out = "prefix";
    append_packet(out, ProtocolVersion::json, Operation::message, 0, "{}");
    EXPECT_EQ(out.substr(0, 6), "prefix");
    EXPECT_EQ(out.size(), 6U + 16U + 2U);
}

TEST(WireCodec, DecodeHeaderReadsEveryFieldBigEndian) {
    const std::string bytes =
        raw_header({.packet_length = 0x00000102, .version = 1, .operation = 0x000003E8, .sequence = 0xA1B2C3D4});
    auto header = decode_header(bytes, {});
    ASSERT_TRUE(header);
    EXPECT_EQ(header->packet_length, 0x102U);
    EXPECT_EQ(header->header_length, 16);
    EXPECT_EQ(header->version, 1);
    EXPECT_EQ(header->operation, 1000U);
    EXPECT_EQ(header->sequence, 0xA1B2C3D4U);
}

TEST(WireCodec, RoundTripsEveryOperationAtPlainVersions) {
    for (const ProtocolVersion version : {ProtocolVersion::json, ProtocolVersion::control}) {
        for (const Operation operation : kAllOperations) {
            const std::string body = "body of " + std::to_string(static_cast<int>(operation));
            const auto packets = decode_ok(packet(version, operation, 77, body));
            ASSERT_EQ(packets.size(), 1U);
            EXPECT_EQ(packets[0].version, static_cast<std::uint16_t>(version));
            EXPECT_EQ(packets[0].operation, static_cast<std::uint32_t>(operation));
            EXPECT_EQ(packets[0].sequence, 77U);
            EXPECT_EQ(packets[0].body, body);
        }
    }
}

TEST(WireCodec, RoundTripsEveryOperationInsideCompressedVersions) {
    for (const ProtocolVersion version : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        std::string inner;
        for (const Operation operation : kAllOperations) {
            append_packet(inner, ProtocolVersion::control, operation, static_cast<std::uint32_t>(operation), "x");
        }
        const auto packets = decode_ok(compressed_packet(version, inner));
        ASSERT_EQ(packets.size(), std::size(kAllOperations));
        for (std::size_t i = 0; i < packets.size(); ++i) {
            EXPECT_EQ(packets[i].version, 1);
            EXPECT_EQ(packets[i].operation, static_cast<std::uint32_t>(kAllOperations[i]));
            EXPECT_EQ(packets[i].sequence, static_cast<std::uint32_t>(kAllOperations[i]));
            EXPECT_EQ(packets[i].body, "x");
        }
    }
}

TEST(WireCodec, DecodesSeveralPacketsInOneBuffer) {
    std::string bytes = packet(ProtocolVersion::control, Operation::auth_reply, 1, "{\"code\":0}");
    bytes += packet(ProtocolVersion::json, Operation::message, 0, R"({"cmd":"A"})");
    bytes += packet(ProtocolVersion::json, Operation::message, 0, "");
    bytes += packet(ProtocolVersion::control, Operation::heartbeat_reply, 0, test::kPopularityOne);
    const auto packets = decode_ok(bytes);
    ASSERT_EQ(packets.size(), 4U);
    EXPECT_EQ(packets[0].operation, 8U);
    EXPECT_EQ(packets[1].body, R"({"cmd":"A"})");
    EXPECT_EQ(packets[2].body, "");
    EXPECT_EQ(packets[3].operation, 3U);
    EXPECT_EQ(packets[3].body, test::kPopularityOne);
}

TEST(WireCodec, EmptyInputDecodesToNothing) {
    EXPECT_TRUE(decode_ok("").empty());
}

TEST(WireCodec, DecodeAppendsAfterExistingPackets) {
    std::vector<Packet> out(1);
    ASSERT_TRUE(decode_packets(packet(ProtocolVersion::json, Operation::message, 0, "{}"), {}, out));
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[1].body, "{}");
}

std::vector<std::string> sample_bodies(std::size_t count) {
    std::vector<std::string> bodies;
    for (std::size_t i = 0; i < count; ++i) {
        bodies.push_back(R"({"cmd":"DANMU_MSG","info":[)" + std::to_string(i) + "]}");
    }
    return bodies;
}

TEST(WireCodec, PushBatchAtPlainVersionsIsConcatenatedJsonPackets) {
    const auto bodies = sample_bodies(3);
    for (const ProtocolVersion version : {ProtocolVersion::json, ProtocolVersion::control}) {
        const std::string bytes = encode_push_batch(bodies, version);
        std::string expected;
        for (const auto& body : bodies) {
            append_packet(expected, ProtocolVersion::json, Operation::message, 0, body);
        }
        EXPECT_EQ(bytes, expected);
    }
}

TEST(WireCodec, PushBatchCompressedIsOneOuterPacketOfSeveralInnerPackets) {
    const auto bodies = sample_bodies(5);
    for (const ProtocolVersion version : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        const std::string bytes = encode_push_batch(bodies, version);
        auto header = decode_header(bytes, {});
        ASSERT_TRUE(header);
        EXPECT_EQ(header->packet_length, bytes.size());
        EXPECT_EQ(header->version, static_cast<std::uint16_t>(version));
        EXPECT_EQ(header->operation, 5U);
        EXPECT_EQ(header->sequence, 0U);

        const auto packets = decode_ok(bytes);
        ASSERT_EQ(packets.size(), bodies.size());
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            EXPECT_EQ(packets[i].version, 0);
            EXPECT_EQ(packets[i].operation, 5U);
            EXPECT_EQ(packets[i].sequence, 0U);
            EXPECT_EQ(packets[i].body, bodies[i]);
        }
    }
}

TEST(WireCodec, CompressedAndPlainPacketsMixInOneBuffer) {
    const auto bodies = sample_bodies(2);
    std::string bytes = encode_push_batch(bodies, ProtocolVersion::zlib);
    bytes += packet(ProtocolVersion::control, Operation::heartbeat_reply, 0, test::kPopularityTwo);
    bytes += encode_push_batch(bodies, ProtocolVersion::brotli);
    const auto packets = decode_ok(bytes);
    ASSERT_EQ(packets.size(), 5U);
    EXPECT_EQ(packets[2].operation, 3U);
    EXPECT_EQ(packets[2].body, test::kPopularityTwo);
    EXPECT_EQ(packets[4].body, bodies[1]);
}

// --- header rules --------------------------------------------------------------------------

TEST(WireCodec, HeaderLengthMustBeExactlySixteen) {
    for (const std::uint16_t header_length : std::vector<std::uint16_t>{15, 17, 0, 0xFFFF}) {
        const std::string bytes = raw_header({.header_length = header_length});
        EXPECT_EQ(decode_header(bytes, {}).error(), Errc::bad_header_length) << header_length;
        EXPECT_EQ(decode_error(bytes), Errc::bad_header_length);
    }
    EXPECT_TRUE(decode_header(raw_header({.header_length = 16}), {}));
}

TEST(WireCodec, PacketLengthBelowHeaderIsRejected) {
    EXPECT_EQ(decode_error(raw_header({.packet_length = 15})), Errc::bad_packet_length);
    EXPECT_EQ(decode_error(raw_header({.packet_length = 0})), Errc::bad_packet_length);
    const auto packets = decode_ok(raw_header({.packet_length = 16}));
    ASSERT_EQ(packets.size(), 1U);
    EXPECT_TRUE(packets[0].body.empty());
}

TEST(WireCodec, FewerThanSixteenBytesIsTooShort) {
    const std::string header = raw_header({});
    for (std::size_t size = 1; size < 16; ++size) {
        EXPECT_EQ(decode_header(header.substr(0, size), {}).error(), Errc::packet_too_short);
        EXPECT_EQ(decode_error(header.substr(0, size)), Errc::packet_too_short);
    }
}

TEST(WireCodec, TruncatedBodyIsTooShort) {
    const std::string whole = packet(ProtocolVersion::json, Operation::message, 0, "{\"a\":1}");
    EXPECT_EQ(decode_error(whole.substr(0, whole.size() - 1)), Errc::packet_too_short);
    std::string two = whole + whole;
    two.pop_back();
    EXPECT_EQ(decode_error(two), Errc::packet_too_short);
}

TEST(WireCodec, PacketLengthAtLimitPassesAndOneMoreIsTooLarge) {
    const DecodeLimits limits{.packet_bytes_max = 100, .decompressed_bytes_max = 1000};
    const std::string at_limit(100 - 16, 'a');
    EXPECT_EQ(decode_ok(packet(ProtocolVersion::json, Operation::message, 0, at_limit), limits).size(), 1U);
    const std::string over = at_limit + "a";
    EXPECT_EQ(decode_error(packet(ProtocolVersion::json, Operation::message, 0, over), limits), Errc::packet_too_large);
}

TEST(WireCodec, DefaultClientPacketLimitIsExact) {
    const std::string at_limit(limits::kClientPacketBytesMax - 16, 'a');
    EXPECT_EQ(decode_ok(packet(ProtocolVersion::control, Operation::auth, 1, at_limit)).size(), 1U);
    EXPECT_EQ(decode_error(packet(ProtocolVersion::control, Operation::auth, 1, at_limit + "a")),
              Errc::packet_too_large);
}

TEST(WireCodec, OversizedLengthIsRejectedFromTheHeaderAlone) {
    // The body never arrives; the header alone must say no.
    EXPECT_EQ(decode_header(raw_header({.packet_length = 0xFFFFFFFF}), {}).error(), Errc::packet_too_large);
}

TEST(WireCodec, UnknownVersionIsRejected) {
    for (const std::uint16_t version : std::vector<std::uint16_t>{4, 5, 0x100, 0xFFFF}) {
        EXPECT_EQ(decode_error(packet_with_version(version, "{}")), Errc::bad_protocol_version);
    }
}

TEST(WireCodec, UnknownVersionInsideCompressedBodyIsRejected) {
    const std::string inner = packet_with_version(9, "{}");
    EXPECT_EQ(decode_error(compressed_packet(ProtocolVersion::zlib, inner)), Errc::bad_protocol_version);
}

// --- compressed bodies ---------------------------------------------------------------------

TEST(WireCodec, CompressedInsideCompressedIsNestedTooDeep) {
    for (const ProtocolVersion outer : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        for (const ProtocolVersion inner : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
            const std::string nested =
                compressed_packet(inner, packet(ProtocolVersion::json, Operation::message, 0, "{}"));
            EXPECT_EQ(decode_error(compressed_packet(outer, nested)), Errc::nested_too_deep);
        }
    }
}

TEST(WireCodec, InnerPacketsMustObeyHeaderRules) {
    for (const ProtocolVersion version : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        EXPECT_EQ(decode_error(compressed_packet(version, raw_header({.header_length = 17}))), Errc::bad_header_length);
        EXPECT_EQ(decode_error(compressed_packet(version, raw_header({.packet_length = 15}))), Errc::bad_packet_length);
        EXPECT_EQ(decode_error(compressed_packet(version, raw_header({.packet_length = 20}))), Errc::packet_too_short);
        EXPECT_EQ(decode_error(compressed_packet(version, "short")), Errc::packet_too_short);
    }
}

TEST(WireCodec, InnerPacketsObeyThePacketLimitToo) {
    // Compression must not let in what the packet limit keeps out: a 500-byte packet inside
    // a 200-byte-limit connection is as refused inflated as it is plain.
    const DecodeLimits limits{.packet_bytes_max = 200, .decompressed_bytes_max = 1000};
    const std::string big_inner = packet(ProtocolVersion::json, Operation::message, 0, std::string(500, 'a'));
    const std::string outer = compressed_packet(ProtocolVersion::zlib, big_inner);
    ASSERT_LE(outer.size(), 200U);
    EXPECT_EQ(decode_error(outer, limits), Errc::packet_too_large);
    const std::string fits = packet(ProtocolVersion::json, Operation::message, 0, std::string(200 - 16, 'a'));
    EXPECT_EQ(decode_ok(compressed_packet(ProtocolVersion::zlib, fits), limits).size(), 1U);
}

TEST(WireCodec, InnerPacketLengthOverThePacketLimitIsTooLarge) {
    const DecodeLimits limits{.packet_bytes_max = 200, .decompressed_bytes_max = 1000};
    const std::string inner = raw_header({.packet_length = 201});
    EXPECT_EQ(decode_error(compressed_packet(ProtocolVersion::brotli, inner), limits), Errc::packet_too_large);
}

TEST(WireCodec, AClientsInflatedBodyIsCappedAtItsPacketLimit) {
    // The server's defaults: a 1 MiB auth body is refused whether sent plain or in zlib.
    const std::string big_auth = packet(ProtocolVersion::control, Operation::auth, 1,
                                        "{\"roomid\":1,\"pad\":\"" + std::string(1 << 20, 'x') + "\"}");
    EXPECT_EQ(decode_error(big_auth), Errc::packet_too_large);
    const std::string zipped = compressed_packet(ProtocolVersion::zlib, big_auth);
    ASSERT_LE(zipped.size(), limits::kClientPacketBytesMax);
    EXPECT_EQ(decode_error(zipped), Errc::decompressed_too_large);
    // Inflating to exactly the packet limit is fine.
    const std::string at_limit =
        packet(ProtocolVersion::control, Operation::auth, 1, std::string(limits::kClientPacketBytesMax - 16, 'x'));
    EXPECT_EQ(decode_ok(compressed_packet(ProtocolVersion::brotli, at_limit)).size(), 1U);
}

TEST(WireCodec, ACompressedBodyHoldsAtMostTheInnerPacketLimit) {
    std::string heartbeats;
    for (std::size_t i = 0; i < limits::kClientInnerPacketsMax; ++i) {
        heartbeats += packet(ProtocolVersion::control, Operation::heartbeat, 1, "");
    }
    for (const ProtocolVersion version : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        EXPECT_EQ(decode_ok(compressed_packet(version, heartbeats)).size(), limits::kClientInnerPacketsMax);
        const std::string one_more = heartbeats + packet(ProtocolVersion::control, Operation::heartbeat, 1, "");
        EXPECT_EQ(decode_error(compressed_packet(version, one_more)), Errc::too_many_inner_packets);
    }
}

TEST(WireCodec, HalfAMillionHeartbeatsInABrotliBodyAreRefusedAtTheSeventeenth) {
    // The attack: ~37 bytes of brotli standing for 524,287 heartbeats. It inflates past the
    // client's byte limit too; with that raised it is still stopped by the packet count.
    std::string heartbeats;
    for (int i = 0; i < 524'287; ++i) {
        heartbeats += packet(ProtocolVersion::control, Operation::heartbeat, 1, "");
    }
    const std::string bomb = compressed_packet(ProtocolVersion::brotli, heartbeats);
    EXPECT_LT(bomb.size(), 100U);
    EXPECT_EQ(decode_error(bomb), Errc::decompressed_too_large);
    const DecodeLimits roomy{.packet_bytes_max = limits::kClientPacketBytesMax,
                             .decompressed_bytes_max = heartbeats.size(),
                             .inflate_memory_bytes_max = limits::kPushInflateMemoryBytesMax};
    EXPECT_EQ(decode_error(bomb, roomy), Errc::too_many_inner_packets);
}

TEST(WireCodec, PacketBudgetCountsOuterAndInnerPackets) {
    const std::string one = packet(ProtocolVersion::control, Operation::heartbeat, 1, "");
    const std::string two_inside = compressed_packet(ProtocolVersion::zlib, one + one);
    DecodeLimits limits;
    limits.packets_max = 3;
    EXPECT_EQ(decode_ok(one + two_inside, limits).size(), 3U);
    EXPECT_EQ(decode_error(one + one + two_inside, limits), Errc::packet_flood);
    limits.packets_max = 0;
    EXPECT_EQ(decode_error(one, limits), Errc::packet_flood);
}

TEST(WireCodec, DecompressedSizeAtLimitPassesAndOneMoreIsTooLarge) {
    const DecodeLimits limits{.packet_bytes_max = 4096, .decompressed_bytes_max = 1000};
    for (const ProtocolVersion version : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        const std::string at_limit = packet(ProtocolVersion::json, Operation::message, 0, std::string(1000 - 16, 'a'));
        EXPECT_EQ(decode_ok(compressed_packet(version, at_limit), limits).size(), 1U);
        const std::string over = packet(ProtocolVersion::json, Operation::message, 0, std::string(1001 - 16, 'a'));
        EXPECT_EQ(decode_error(compressed_packet(version, over), limits), Errc::decompressed_too_large);
    }
}

TEST(WireCodec, InflationBudgetIsSharedByEveryPacketOfOneCall) {
    // Two packets that each inflate to 600 bytes: fine alone, too much together, so a
    // message full of small bombs cannot multiply the limit.
    const DecodeLimits limits{.packet_bytes_max = 4096, .decompressed_bytes_max = 1000};
    const std::string one = compressed_packet(
        ProtocolVersion::zlib, packet(ProtocolVersion::json, Operation::message, 0, std::string(600 - 16, 'a')));
    EXPECT_EQ(decode_ok(one, limits).size(), 1U);
    EXPECT_EQ(decode_error(one + one, limits), Errc::decompressed_too_large);
}

TEST(WireCodec, CompressionBombsAreDecompressedTooLarge) {
    const std::size_t bomb_bytes = std::size_t{64} << 20;
    const std::string zlib_bomb = packet(ProtocolVersion::zlib, Operation::message, 0, test::zlib_zeros(bomb_bytes));
    const std::string brotli_bomb =
        packet(ProtocolVersion::brotli, Operation::message, 0, test::brotli_zeros(bomb_bytes));
    const DecodeLimits server_side{.packet_bytes_max = limits::kPacketBytesMax};
    EXPECT_EQ(decode_error(zlib_bomb, server_side), Errc::decompressed_too_large);
    EXPECT_EQ(decode_error(brotli_bomb, server_side), Errc::decompressed_too_large);
}

TEST(WireCodec, CorruptOrTruncatedCompressedBodiesFail) {
    const std::string inner = encode_push_batch(sample_bodies(4), ProtocolVersion::json);
    for (const ProtocolVersion version : {ProtocolVersion::zlib, ProtocolVersion::brotli}) {
        std::string body = version == ProtocolVersion::zlib ? zlib_compress(inner) : brotli_compress(inner);
        const std::string truncated = body.substr(0, body.size() / 2);
        EXPECT_EQ(decode_error(packet(version, Operation::message, 0, truncated)), Errc::decompress_failed);
        EXPECT_EQ(decode_error(packet(version, Operation::message, 0, "")), Errc::decompress_failed);
        EXPECT_EQ(decode_error(packet(version, Operation::message, 0, body + "junk")), Errc::decompress_failed);
    }
    // Not a zlib header (0x78 0x9c with a bad check value).
    EXPECT_EQ(decode_error(packet(ProtocolVersion::zlib, Operation::message, 0, "\x78\x00xyz")),
              Errc::decompress_failed);
}

TEST(WireCodec, NothingIsAppendedWhenALaterPacketFails) {
    std::vector<Packet> out(1);
    std::string bytes = packet(ProtocolVersion::json, Operation::message, 0, "{}");
    bytes += encode_push_batch(sample_bodies(3), ProtocolVersion::brotli);
    bytes += packet_with_version(7, "{}");
    const Status status = decode_packets(bytes, {}, out);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error(), Errc::bad_protocol_version);
    EXPECT_EQ(out.size(), 1U);
}

}  // namespace
}  // namespace barrage::wire
