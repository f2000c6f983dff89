#include "wire/websocket_frame.h"

#include <gtest/gtest.h>

#include <string>

#include "base/errc.h"

namespace barrage::wire {
namespace {

Result<std::optional<WebSocketFrame>> parse(std::string& bytes, std::size_t max = 1 << 20) {
    return parse_websocket_frame(bytes.data(), bytes.size(), max);
}

TEST(WebSocketFrame, HeaderUsesTheShortestLengthForm) {
    // 125 fits the 7-bit field, 126..65535 take 16 bits, more take 64 (RFC 6455 §5.2).
    EXPECT_EQ(websocket_header(WebSocketOpcode::binary, 0).view(), std::string_view("\x82\x00", 2));
    EXPECT_EQ(websocket_header(WebSocketOpcode::binary, 125).view(), "\x82\x7d");
    EXPECT_EQ(websocket_header(WebSocketOpcode::binary, 126).view(), std::string_view("\x82\x7e\x00\x7e", 4));
    EXPECT_EQ(websocket_header(WebSocketOpcode::binary, 65'535).size, 4);
    EXPECT_EQ(websocket_header(WebSocketOpcode::binary, 65'536).view(),
              std::string_view("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
    EXPECT_EQ(websocket_header(WebSocketOpcode::text, 65'536, 0x01020304).size, 14);
}

TEST(WebSocketFrame, RoundTripsEveryLengthFormMaskedAndNot) {
    for (std::size_t size : {0u, 1u, 125u, 126u, 300u, 65'535u, 65'536u, 70'000u}) {
        const std::string payload(size, 'p');
        for (bool masked : {false, true}) {
            std::string frame;
            append_websocket_frame(frame, WebSocketOpcode::binary, payload,
                                   masked ? std::optional<std::uint32_t>(0xA1B2C3D4) : std::nullopt);
            if (masked && size > 0) {
                EXPECT_EQ(frame.find('p', frame.size() - size), std::string::npos) << "not masked";
            }
            auto parsed = parse(frame);
            ASSERT_TRUE(parsed && *parsed) << size;
            EXPECT_EQ((*parsed)->payload, payload);
            EXPECT_EQ((*parsed)->masked, masked);
            EXPECT_TRUE((*parsed)->fin);
            EXPECT_EQ((*parsed)->frame_bytes, frame.size());
        }
    }
}

TEST(WebSocketFrame, IncompleteFrameAsksForMoreAtEveryCut) {
    std::string whole;
    append_websocket_frame(whole, WebSocketOpcode::text, std::string(300, 'a'), 0x11223344);
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        std::string part = whole.substr(0, cut);
        auto parsed = parse(part);
        ASSERT_TRUE(parsed) << cut;
        EXPECT_FALSE(*parsed) << cut;
        EXPECT_EQ(part, whole.substr(0, cut)) << "an incomplete frame must not be unmasked";
    }
}

TEST(WebSocketFrame, RejectsReservedBitsUnknownOpcodesAndOversize) {
    std::string reserved("\xC1\x01x", 3);  // RSV1: no extension was negotiated
    EXPECT_EQ(parse(reserved).error(), make_error_code(Errc::websocket_protocol));
    std::string unknown("\x83\x00", 2);
    EXPECT_EQ(parse(unknown).error(), make_error_code(Errc::websocket_protocol));
    std::string big;
    append_websocket_frame(big, WebSocketOpcode::binary, std::string(101, 'x'));
    EXPECT_EQ(parse(big, 100).error(), make_error_code(Errc::websocket_too_large));
    std::string limit;
    append_websocket_frame(limit, WebSocketOpcode::binary, std::string(100, 'x'));
    EXPECT_TRUE(parse(limit, 100));
    // Oversize is known from the header alone, before the payload arrives.
    std::string head(websocket_header(WebSocketOpcode::binary, 1 << 30).view());
    EXPECT_EQ(parse(head, 1 << 20).error(), make_error_code(Errc::websocket_too_large));
}

TEST(WebSocketFrame, ControlFramesAreShortAndWhole) {
    std::string ping;
    append_websocket_frame(ping, WebSocketOpcode::ping, std::string(125, 'p'));
    auto parsed = parse(ping);
    ASSERT_TRUE(parsed && *parsed);
    EXPECT_EQ((*parsed)->opcode, WebSocketOpcode::ping);
    std::string long_ping;
    append_websocket_frame(long_ping, WebSocketOpcode::ping, std::string(126, 'p'));
    EXPECT_EQ(parse(long_ping).error(), make_error_code(Errc::websocket_protocol));
    std::string fragmented_close("\x08\x00", 2);  // close without FIN
    EXPECT_EQ(parse(fragmented_close).error(), make_error_code(Errc::websocket_protocol));
    std::string first(
        "\x02\x02"
        "ab",
        4);  // binary without FIN: a fragment
    parsed = parse(first);
    ASSERT_TRUE(parsed && *parsed);
    EXPECT_FALSE((*parsed)->fin);
}

TEST(WebSocketFrame, ClosePayloadIsTheCodeBigEndian) {
    EXPECT_EQ(websocket_close_payload(WebSocketClose::normal), "\x03\xe8");
    EXPECT_EQ(websocket_close_payload(WebSocketClose::too_large), "\x03\xf1");
}

}  // namespace
}  // namespace barrage::wire
