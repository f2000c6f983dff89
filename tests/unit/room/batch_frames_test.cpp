#include "room/batch_frames.h"

#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "wire/codec.h"

namespace barrage::room {
namespace {

constexpr EncodingKey kNative{.dialect = message::Dialect::native, .protover = wire::ProtocolVersion::json};

message::MessagePtr said(Sequence sequence, std::uint64_t uid, message::Body body) {
    message::RoomMessage stored;
    stored.room = RoomId{1};
    stored.sequence = sequence;
    stored.sender.uid = UserId{uid};
    stored.sender.role = message::Role::viewer;
    stored.body = std::move(body);
    return std::make_shared<const message::RoomMessage>(std::move(stored));
}

// The (cmd, seq) of each push in a frame.
std::vector<std::string> cmds(const FramePtr& frame) {
    std::vector<std::string> out;
    if (!frame) {
        return out;
    }
    std::vector<wire::Packet> packets;
    EXPECT_TRUE(wire::decode_packets(frame->bytes, wire::push_decode_limits(), packets).has_value());
    for (const auto& packet : packets) {
        const auto body = boost::json::parse(packet.body).as_object();
        out.push_back(std::string(body.at("cmd").as_string()) +
                      (body.contains("seq") ? std::to_string(body.at("seq").to_number<int>()) : ""));
    }
    return out;
}

BatchFrames batch_of(std::vector<message::MessagePtr> messages, std::uint64_t& count) {
    std::array<bool, kEncodingKeyCount> in_use{};
    in_use[kNative.index()] = true;
    auto full = encode_for_keys(messages, in_use);
    auto levels = shed_levels(messages, count);
    return BatchFrames(std::move(messages), std::move(full), std::move(levels), nullptr, 0);
}

TEST(BatchFrames, LevelZeroIsTheWholeBatchAndHigherLevelsKeepCriticalAndTheLatestCounts) {
    std::uint64_t count = 1;  // not the room's first sampled danmaku: nothing is kept by luck
    auto batch = batch_of({said(1, 3, message::Danmaku{.text = "a"}), said(0, 0, message::OnlineCount{.online = 1}),
                           said(2, 4, message::Gift{.gift_id = 1}), said(3, 5, message::Danmaku{.text = "b"}),
                           said(0, 0, message::OnlineCount{.online = 2})},
                          count);
    EXPECT_EQ(batch.frame(0, kNative).get(), batch.full()[kNative.index()].get());
    EXPECT_EQ(cmds(batch.frame(0, kNative)),
              (std::vector<std::string>{"danmaku1", "online", "gift2", "danmaku3", "online"}));
    const auto top = cmds(batch.frame(kTopLevel, kNative));
    EXPECT_EQ(top, (std::vector<std::string>{"gift2", "online"}));
    // The same level and key is encoded once and shared.
    EXPECT_EQ(batch.frame(kTopLevel, kNative).get(), batch.frame(kTopLevel, kNative).get());
    EXPECT_EQ(batch.shed(kTopLevel).sampled, 2U);
    EXPECT_EQ(batch.shed(kTopLevel).coalesced, 1U);
    EXPECT_EQ(batch.shed(0).sampled, 0U);
}

TEST(BatchFrames, ASenderGetsBackItsOwnMessagesTheLevelLeftOut) {
    std::uint64_t count = 1;
    auto batch =
        batch_of({said(1, 3, message::Danmaku{.text = "a"}), said(2, 4, message::Danmaku{.text = "b"})}, count);
    EXPECT_EQ(cmds(batch.own(kTopLevel, UserId{4}, kNative)), std::vector<std::string>{"danmaku2"});
    EXPECT_EQ(batch.own(kTopLevel, UserId{9}, kNative), nullptr) << "said nothing";
    EXPECT_EQ(batch.own(0, UserId{4}, kNative), nullptr) << "level 0 left nothing out";
    EXPECT_EQ(batch.own(kTopLevel, UserId{0}, kNative), nullptr) << "anonymous viewers send nothing";
}

TEST(BatchFrames, ALevelWithNothingToSayHasNoFrame) {
    std::uint64_t count = 1;
    auto batch = batch_of({said(1, 3, message::Danmaku{.text = "a"})}, count);
    EXPECT_EQ(batch.frame(kTopLevel, kNative), nullptr);
}

TEST(BatchFrames, LoopsAskingForTheSameLevelAtOnceShareOneEncoding) {
    std::uint64_t count = 1;
    std::vector<message::MessagePtr> messages;
    for (Sequence s = 1; s <= 200; ++s) {
        messages.push_back(said(s, s % 7, message::Danmaku{.text = "t"}));
    }
    auto batch = batch_of(std::move(messages), count);
    std::vector<FramePtr> got(4);
    std::vector<std::thread> loops;
    for (std::size_t i = 0; i < got.size(); ++i) {
        loops.emplace_back([&, i] { got[i] = batch.frame(3, kNative); });
    }
    for (auto& loop : loops) {
        loop.join();
    }
    for (const auto& frame : got) {
        EXPECT_EQ(frame.get(), got[0].get());
    }
    EXPECT_EQ(cmds(got[0]).size(), 25U);  // 1 in 8 of 200
}

}  // namespace
}  // namespace barrage::room
