#include "loadgen/dialogue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "base/limits.h"
#include "wire/codec.h"

namespace barrage::loadgen {
namespace {

using wire::Operation;
using wire::ProtocolVersion;

struct Recorded final : DialogueEvents {
    void on_payload(std::string_view payload) override { payloads.emplace_back(payload); }
    void on_publish_reply(bool accepted, std::string_view) override { accepted ? ++accepted_count : ++rejected_count; }
    std::vector<std::string> payloads;
    int accepted_count = 0;
    int rejected_count = 0;
};

DialogueConfig barrage_config() {
    return {.target = Target::barrage, .room = 1, .protover = 0, .token = ""};
}

std::string packet(ProtocolVersion version, Operation operation, std::string_view body) {
    std::string out;
    wire::append_packet(out, version, operation, 0, body);
    return out;
}

TEST(NatsDialogue, ReadyOnlyAfterPong) {
    auto dialogue = make_nats_dialogue();
    std::string greeting;
    dialogue->append_greeting(greeting);
    EXPECT_NE(greeting.find("SUB bench 1\r\n"), std::string::npos);
    EXPECT_TRUE(greeting.ends_with("PING\r\n"));
    Recorded events;
    std::string reply;
    ASSERT_TRUE(dialogue->consume("INFO {\"server_id\":\"x\"}\r\n", events, reply));
    EXPECT_EQ(dialogue->state(), DialogueState::starting);
    ASSERT_TRUE(dialogue->consume("PONG\r\n", events, reply));
    EXPECT_EQ(dialogue->state(), DialogueState::ready);
}

TEST(NatsDialogue, ReassemblesMessagesSplitAcrossReads) {
    auto dialogue = make_nats_dialogue();
    Recorded events;
    std::string reply;
    const std::string stream = "MSG bench 1 5\r\nhello\r\nMSG bench 1 3\r\nabc\r\nPING\r\n";
    for (char byte : stream) {
        ASSERT_TRUE(dialogue->consume(std::string_view(&byte, 1), events, reply));
    }
    EXPECT_EQ(events.payloads, (std::vector<std::string>{"hello", "abc"}));
    EXPECT_EQ(reply, "PONG\r\n");
}

TEST(NatsDialogue, ErrIsAFailure) {
    auto dialogue = make_nats_dialogue();
    Recorded events;
    std::string reply;
    EXPECT_FALSE(dialogue->consume("-ERR 'Authorization Violation'\r\n", events, reply));
    EXPECT_EQ(dialogue->state(), DialogueState::failed);
}

TEST(NatsDialogue, PublishIsAPubCommand) {
    auto dialogue = make_nats_dialogue();
    std::string out;
    dialogue->append_publish(out, "LG1:2:");
    EXPECT_EQ(out, "PUB bench 6\r\nLG1:2:\r\n");
}

TEST(BarrageDialogue, GreetingIsNativeAuthWithKey) {
    auto dialogue = make_barrage_dialogue({.target = Target::barrage, .room = 7, .protover = 3, .token = "secret"});
    std::string greeting;
    dialogue->append_greeting(greeting);
    std::vector<wire::Packet> packets;
    ASSERT_TRUE(wire::decode_packets(greeting, {}, packets));
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].operation, static_cast<std::uint32_t>(Operation::auth));
    const auto auth = boost::json::parse(packets[0].body).as_object();
    EXPECT_EQ(auth.at("roomid").to_number<std::uint64_t>(), 7u);
    EXPECT_EQ(auth.at("protover").as_int64(), 3);
    EXPECT_EQ(auth.at("dialect").as_string(), "native");
    EXPECT_EQ(auth.at("key").as_string(), "secret");
}

TEST(BarrageDialogue, AuthReplyDecidesTheState) {
    auto accepted = make_barrage_dialogue(barrage_config());
    auto refused = make_barrage_dialogue(barrage_config());
    Recorded events;
    std::string reply;
    ASSERT_TRUE(
        accepted->consume(packet(ProtocolVersion::control, Operation::auth_reply, R"({"code":0})"), events, reply));
    EXPECT_EQ(accepted->state(), DialogueState::ready);
    EXPECT_FALSE(
        refused->consume(packet(ProtocolVersion::control, Operation::auth_reply, R"({"code":-101})"), events, reply));
    EXPECT_EQ(refused->state(), DialogueState::failed);
}

TEST(BarrageDialogue, DeliversPushesFromCompressedBatchesAndSplitStreams) {
    auto dialogue = make_barrage_dialogue(barrage_config());
    const std::vector<std::string> bodies{R"({"cmd":"danmaku","data":{"text":"LG1:5:"}})",
                                          R"({"cmd":"danmaku","data":{"text":"LG2:6:"}})"};
    std::string stream = wire::encode_push_batch(bodies, ProtocolVersion::zlib);
    stream += wire::encode_push_batch(bodies, ProtocolVersion::brotli);
    stream += packet(ProtocolVersion::control, Operation::send_reply, R"({"code":0})");
    stream += packet(ProtocolVersion::control, Operation::send_reply, R"({"code":3002})");
    Recorded events;
    std::string reply;
    for (std::size_t at = 0; at < stream.size(); at += 7) {
        ASSERT_TRUE(dialogue->consume(std::string_view(stream).substr(at, 7), events, reply));
    }
    EXPECT_EQ(events.payloads.size(), 4u);
    EXPECT_EQ(events.payloads[1], bodies[1]);
    EXPECT_EQ(events.accepted_count, 1);
    EXPECT_EQ(events.rejected_count, 1);
}

TEST(BarrageDialogue, PublishIsOp4WithMsg) {
    auto dialogue = make_barrage_dialogue(barrage_config());
    std::string out;
    dialogue->append_publish(out, "LG1:2:xx");
    std::vector<wire::Packet> packets;
    ASSERT_TRUE(wire::decode_packets(out, {}, packets));
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].operation, static_cast<std::uint32_t>(Operation::send_message));
    EXPECT_EQ(packets[0].body, R"({"msg":"LG1:2:xx"})");
}

TEST(TextBroadcastDialogue, EveryMessageIsAPayload) {
    auto dialogue = make_text_broadcast_dialogue();
    Recorded events;
    std::string reply;
    EXPECT_EQ(dialogue->state(), DialogueState::ready);
    ASSERT_TRUE(dialogue->consume("LG1:2:xx", events, reply));
    EXPECT_EQ(events.payloads, (std::vector<std::string>{"LG1:2:xx"}));
}

}  // namespace
}  // namespace barrage::loadgen
