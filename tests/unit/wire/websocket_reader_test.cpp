#include "wire/websocket_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/errc.h"

namespace barrage::wire {
namespace {

constexpr std::uint32_t kMask = 0x5A6B7C8D;

struct Recorder final : WebSocketReader::Events {
    Status on_message(std::string_view payload) override {
        messages.emplace_back(payload);
        return refuse ? Status{make_error_code(refusal)} : Status{};
    }
    void on_ping(std::string_view payload) override { pings.emplace_back(payload); }
    void on_close(std::string_view payload) override { closes.emplace_back(payload); }

    std::vector<std::string> messages;
    std::vector<std::string> pings;
    std::vector<std::string> closes;
    bool refuse = false;
    Errc refusal = Errc::bad_request;
};

// A client frame (masked), with FIN as given.
std::string client_frame(WebSocketOpcode opcode, std::string_view payload, bool fin = true) {
    std::string out;
    append_websocket_frame(out, opcode, payload, kMask);
    if (!fin) {
        out[0] = static_cast<char>(out[0] & 0x7F);
    }
    return out;
}

Status feed(WebSocketReader& reader, std::string bytes, Recorder& events) {
    return reader.feed(std::span<char>(bytes.data(), bytes.size()), events);
}

WebSocketReader server_reader(std::size_t max = 1024) {
    return WebSocketReader({.message_bytes_max = max, .require_masked = true, .whole_messages = true});
}

TEST(WebSocketReader, MessagesSplitAtEveryByteArriveWhole) {
    const std::string stream = client_frame(WebSocketOpcode::binary, "first") +
                               client_frame(WebSocketOpcode::binary, std::string(300, 's')) +
                               client_frame(WebSocketOpcode::text, "third");
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        auto reader = server_reader();
        Recorder events;
        ASSERT_TRUE(feed(reader, stream.substr(0, cut), events)) << cut;
        ASSERT_TRUE(feed(reader, stream.substr(cut), events)) << cut;
        ASSERT_EQ(events.messages.size(), 3u) << cut;
        EXPECT_EQ(events.messages[0], "first");
        EXPECT_EQ(events.messages[1], std::string(300, 's'));
        EXPECT_EQ(events.messages[2], "third");
    }
}

TEST(WebSocketReader, FragmentsAreJoinedAroundControlFrames) {
    auto reader = server_reader();
    Recorder events;
    const std::string stream =
        client_frame(WebSocketOpcode::binary, "ab", false) + client_frame(WebSocketOpcode::ping, "hi") +
        client_frame(WebSocketOpcode::continuation, "cd", false) + client_frame(WebSocketOpcode::continuation, "ef");
    ASSERT_TRUE(feed(reader, stream, events));
    ASSERT_EQ(events.messages.size(), 1u);
    EXPECT_EQ(events.messages[0], "abcdef");
    ASSERT_EQ(events.pings.size(), 1u);
    EXPECT_EQ(events.pings[0], "hi");
}

TEST(WebSocketReader, StreamModeHandsOnEachFragment) {
    WebSocketReader reader({.message_bytes_max = 1024, .require_masked = false, .whole_messages = false});
    Recorder events;
    std::string stream;
    append_websocket_frame(stream, WebSocketOpcode::binary, "ab");
    stream[0] = static_cast<char>(stream[0] & 0x7F);
    append_websocket_frame(stream, WebSocketOpcode::continuation, "cd");
    ASSERT_TRUE(feed(reader, stream, events));
    EXPECT_EQ(events.messages, (std::vector<std::string>{"ab", "cd"}));
}

TEST(WebSocketReader, UnmaskedClientFrameIsAProtocolError) {
    auto reader = server_reader();
    Recorder events;
    std::string unmasked;
    append_websocket_frame(unmasked, WebSocketOpcode::binary, "x");
    EXPECT_EQ(feed(reader, unmasked, events).error(), make_error_code(Errc::websocket_protocol));
    EXPECT_EQ(reader.close_code(), WebSocketClose::protocol_error);
    EXPECT_TRUE(events.messages.empty());
}

TEST(WebSocketReader, ContinuationWithoutStartAndNewMessageInsideOneAreErrors) {
    {
        auto reader = server_reader();
        Recorder events;
        EXPECT_EQ(feed(reader, client_frame(WebSocketOpcode::continuation, "x"), events).error(),
                  make_error_code(Errc::websocket_protocol));
    }
    {
        auto reader = server_reader();
        Recorder events;
        const std::string stream =
            client_frame(WebSocketOpcode::binary, "a", false) + client_frame(WebSocketOpcode::binary, "b");
        EXPECT_EQ(feed(reader, stream, events).error(), make_error_code(Errc::websocket_protocol));
    }
}

TEST(WebSocketReader, MessageLimitHoldsForFramesAndFragmentsAtTheBoundary) {
    {
        auto reader = server_reader(100);
        Recorder events;
        ASSERT_TRUE(feed(reader, client_frame(WebSocketOpcode::binary, std::string(100, 'x')), events));
        EXPECT_EQ(feed(reader, client_frame(WebSocketOpcode::binary, std::string(101, 'x')), events).error(),
                  make_error_code(Errc::websocket_too_large));
        EXPECT_EQ(reader.close_code(), WebSocketClose::too_large);
    }
    {
        auto reader = server_reader(100);
        Recorder events;
        const std::string at_limit = client_frame(WebSocketOpcode::binary, std::string(60, 'x'), false) +
                                     client_frame(WebSocketOpcode::continuation, std::string(40, 'x'));
        ASSERT_TRUE(feed(reader, at_limit, events));
        const std::string over = client_frame(WebSocketOpcode::binary, std::string(60, 'x'), false) +
                                 client_frame(WebSocketOpcode::continuation, std::string(41, 'x'));
        EXPECT_EQ(feed(reader, over, events).error(), make_error_code(Errc::websocket_too_large));
        EXPECT_EQ(events.messages.size(), 1u);
    }
}

TEST(WebSocketReader, CloseStopsReadingAndLaterBytesAreIgnored) {
    auto reader = server_reader();
    Recorder events;
    const std::string stream =
        client_frame(WebSocketOpcode::binary, "before") +
        client_frame(WebSocketOpcode::close, websocket_close_payload(WebSocketClose::going_away)) +
        client_frame(WebSocketOpcode::binary, "after");
    ASSERT_TRUE(feed(reader, stream, events));
    EXPECT_TRUE(reader.closed());
    EXPECT_EQ(events.messages, std::vector<std::string>{"before"});
    ASSERT_EQ(events.closes.size(), 1u);
    EXPECT_EQ(events.closes[0], websocket_close_payload(WebSocketClose::going_away));
}

TEST(WebSocketReader, AnEventErrorStopsTheReader) {
    auto reader = server_reader();
    Recorder events;
    events.refuse = true;
    const std::string stream =
        client_frame(WebSocketOpcode::binary, "one") + client_frame(WebSocketOpcode::binary, "two");
    EXPECT_EQ(feed(reader, stream, events).error(), make_error_code(Errc::bad_request));
    EXPECT_EQ(events.messages, std::vector<std::string>{"one"});
    EXPECT_TRUE(reader.closed());
}

TEST(WebSocketReader, TextThatIsNotUtf8IsRefusedWith1007) {
    auto reader = server_reader();
    Recorder events;
    EXPECT_EQ(feed(reader, client_frame(WebSocketOpcode::text, "ok \xC3\xA9"), events), Status{});
    EXPECT_EQ(feed(reader, client_frame(WebSocketOpcode::text, "bad \xC3\x28"), events).error(),
              make_error_code(Errc::bad_utf8));
    EXPECT_EQ(reader.close_code(), WebSocketClose::invalid_payload);
    EXPECT_EQ(events.messages, std::vector<std::string>{"ok \xC3\xA9"});
}

TEST(WebSocketReader, Utf8IsCheckedOnTheWholeMessageNotEachFragment) {
    // "é" split across two fragments is valid once joined; a binary message is never checked.
    auto reader = server_reader();
    Recorder events;
    const std::string stream = client_frame(WebSocketOpcode::text, "caf\xC3", false) +
                               client_frame(WebSocketOpcode::continuation, "\xA9") +
                               client_frame(WebSocketOpcode::binary, "\xFF\xFE");
    ASSERT_TRUE(feed(reader, stream, events));
    EXPECT_EQ(events.messages, (std::vector<std::string>{"caf\xC3\xA9", "\xFF\xFE"}));
}

TEST(WebSocketReader, AnEventErrorClosesWithTheCodeThatNamesIt) {
    const std::pair<Errc, WebSocketClose> cases[] = {
        {Errc::decompress_failed, WebSocketClose::invalid_payload},
        {Errc::bad_header_length, WebSocketClose::invalid_payload},
        {Errc::decompressed_too_large, WebSocketClose::too_large},
        {Errc::too_many_inner_packets, WebSocketClose::too_large},
        {Errc::packet_flood, WebSocketClose::policy_violation},
    };
    for (const auto& [error, close] : cases) {
        auto reader = server_reader();
        Recorder events;
        events.refuse = true;
        events.refusal = error;
        EXPECT_FALSE(feed(reader, client_frame(WebSocketOpcode::binary, "x"), events));
        EXPECT_EQ(reader.close_code(), close) << make_error_code(error).message();
    }
}

TEST(WebSocketClosePayload, CarriesTheCodeAndAReasonCutToAControlFrame) {
    const auto payload = websocket_close_payload(WebSocketClose::too_large, "4006 decompressed body too large");
    EXPECT_EQ(payload.substr(0, 2), std::string("\x03\xF1", 2));
    EXPECT_EQ(payload.substr(2), "4006 decompressed body too large");
    EXPECT_EQ(websocket_close_payload(WebSocketClose::normal, std::string(300, 'r')).size(), kWebSocketControlBytesMax);
}

}  // namespace
}  // namespace barrage::wire
