#include "loadgen/websocket_frames.h"

#include <gtest/gtest.h>

#include <string>

namespace barrage::loadgen {
namespace {

// A server frame (unmasked) as a server would send it.
std::string server_frame(WebSocketOpcode opcode, std::string_view payload, bool fin = true) {
    std::string out;
    out.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(opcode)));
    if (payload.size() < 126) {
        out.push_back(static_cast<char>(payload.size()));
    } else {
        out.push_back(126);
        out.push_back(static_cast<char>(payload.size() >> 8));
        out.push_back(static_cast<char>(payload.size() & 0xFF));
    }
    out.append(payload);
    return out;
}

TEST(WebSocketFrames, UpgradeResponseNeedsTheWholeHeadAnd101) {
    EXPECT_FALSE(parse_upgrade_response("HTTP/1.1 101 Switching Protocols\r\n").value());
    const std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    EXPECT_EQ(parse_upgrade_response(head + "\x82").value(), head.size());
    EXPECT_FALSE(parse_upgrade_response("HTTP/1.1 404 Not Found\r\n\r\n"));
}

TEST(WebSocketFrames, ParsesShortAndExtendedLengths) {
    for (std::size_t size : {0u, 125u, 126u, 300u, 70'000u}) {
        const std::string payload(size, 'p');
        std::string frame = server_frame(WebSocketOpcode::binary, payload.substr(0, 65'535));
        if (size > 65'535) {
            frame = std::string("\x82\x7f", 2) + std::string(5, '\0') +
                    std::string{static_cast<char>(size >> 16), static_cast<char>(size >> 8),
                                static_cast<char>(size & 0xFF)} +
                    payload;
        }
        const auto parsed = parse_server_frame(frame.data(), frame.size(), 1 << 20);
        ASSERT_TRUE(parsed && *parsed) << size;
        EXPECT_EQ((*parsed)->payload.size(), size);
        EXPECT_EQ((*parsed)->frame_bytes, frame.size());
    }
}

TEST(WebSocketFrames, IncompleteFrameAsksForMore) {
    std::string frame = server_frame(WebSocketOpcode::text, std::string(200, 'a'));
    const std::size_t cuts[] = {0, 1, 3, 100, frame.size() - 1};
    for (std::size_t cut : cuts) {
        const auto parsed = parse_server_frame(frame.data(), cut, 1 << 20);
        ASSERT_TRUE(parsed);
        EXPECT_FALSE(*parsed) << cut;
    }
}

TEST(WebSocketFrames, RejectsReservedBitsUnknownOpcodesAndOversize) {
    std::string reserved = server_frame(WebSocketOpcode::text, "x");
    reserved[0] = static_cast<char>(reserved[0] | 0x40);
    EXPECT_FALSE(parse_server_frame(reserved.data(), reserved.size(), 100));
    std::string unknown("\x83\x00", 2);
    EXPECT_FALSE(parse_server_frame(unknown.data(), unknown.size(), 100));
    std::string big = server_frame(WebSocketOpcode::text, std::string(101, 'x'));
    EXPECT_FALSE(parse_server_frame(big.data(), big.size(), 100));
}

TEST(WebSocketFrames, ClientFramesAreMaskedAndRoundTrip) {
    std::string out;
    append_client_frame(out, WebSocketOpcode::text, "hello", 0x01020304);
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81u);
    EXPECT_EQ(static_cast<unsigned char>(out[1]), 0x80u | 5u);
    EXPECT_NE(out.substr(6), "hello");
    const auto parsed = parse_server_frame(out.data(), out.size(), 100);
    ASSERT_TRUE(parsed && *parsed);
    EXPECT_EQ((*parsed)->payload, "hello");
}

TEST(WebSocketFrames, FinBitAndControlOpcodes) {
    std::string first = server_frame(WebSocketOpcode::binary, "ab", false);
    auto parsed = parse_server_frame(first.data(), first.size(), 100);
    ASSERT_TRUE(parsed && *parsed);
    EXPECT_FALSE((*parsed)->fin);
    std::string ping = server_frame(WebSocketOpcode::ping, "p");
    parsed = parse_server_frame(ping.data(), ping.size(), 100);
    ASSERT_TRUE(parsed && *parsed);
    EXPECT_EQ((*parsed)->opcode, WebSocketOpcode::ping);
}

}  // namespace
}  // namespace barrage::loadgen
