#include <set>
#include <string>
#include <variant>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "message/dialect.h"

namespace barrage::message {
namespace {

namespace json = boost::json;

RoomMessage make_message(Body body) {
    RoomMessage message;
    message.room = RoomId{1};
    message.sequence = is_sequenced(body) ? 1U : 0U;
    message.time_ms = 1000;
    message.sender.uid = UserId{5};
    message.sender.name = "n";
    message.body = std::move(body);
    return message;
}

std::vector<Body> every_kind() {
    return {Danmaku{.text = "x"},
            Enter{},
            Custom{.type = "t", .fields_json = R"({"a":true})"},
            System{.text = "s"},
            OnlineCount{.online = 1, .watched = 2},
            HistoryGap{.requested_after = 1, .first_available = 3},
            Gift{.gift_id = 1,
                 .gift_name = "g",
                 .count = 1,
                 .price = 10,
                 .total = 10,
                 .combo_id = 4,
                 .combo_count = 2,
                 .combo_total = 2},
            SuperChat{.id = 1, .text = "sc", .price = 30'000, .price_yuan = 30},
            SuperChatDelete{.ids = {1}},
            GuardBuy{.level = 3, .months = 1, .price = 198'000},
            LiveStatus{.live = true, .title = "t", .area_id = 1, .area_name = "a"},
            LikeTotal{.click_count = 7},
            LikeClick{},
            LikeBurst{.count = 3},
            Moderation{.kind = ModerationKind::mute, .target = UserId{9}, .target_name = "t", .until_ms = 60'000}};
}

// Kinds spelled for games only: viewers' dialects say nothing of them.
bool for_games_only(const Body& body) {
    return std::holds_alternative<LikeBurst>(body);
}

TEST(Dialect, NamesRoundTrip) {
    for (auto dialect : {Dialect::web, Dialect::native, Dialect::open_platform}) {
        EXPECT_EQ(parse_dialect(to_string(dialect)), dialect);
    }
    EXPECT_EQ(parse_dialect("Web"), std::nullopt);
    EXPECT_EQ(parse_dialect(""), std::nullopt);
}

TEST(Dialect, EveryBodyOfEveryKindHasStringCmd) {
    for (auto dialect : {Dialect::web, Dialect::native}) {
        for (const auto& body : every_kind()) {
            const RoomMessage message = make_message(body);
            std::vector<std::string> bodies;
            encode_message(dialect, message, bodies);
            if (for_games_only(body)) {
                EXPECT_TRUE(bodies.empty()) << to_string(dialect) << " kind " << body.index();
                continue;
            }
            ASSERT_FALSE(bodies.empty()) << to_string(dialect) << " kind " << body.index();
            for (const auto& text : bodies) {
                const auto value = json::parse(text);
                ASSERT_TRUE(value.is_object()) << text;
                ASSERT_TRUE(value.as_object().contains("cmd")) << text;
                EXPECT_TRUE(value.at("cmd").is_string()) << text;
                EXPECT_EQ(value.as_object().contains("seq"), is_sequenced(body)) << text;
            }
        }
    }
}

TEST(Dialect, OpenPlatformSpellsNothingYet) {
    std::vector<std::string> bodies;
    for (const auto& body : every_kind()) {
        encode_message(Dialect::open_platform, make_message(body), bodies);
    }
    EXPECT_TRUE(bodies.empty());
}

TEST(Dialect, AppendsWithoutClearing) {
    std::vector<std::string> bodies{"existing"};
    encode_message(Dialect::native, make_message(Enter{}), bodies);
    ASSERT_EQ(bodies.size(), 2U);
    EXPECT_EQ(bodies[0], "existing");
}

TEST(RoomMessage, EventsAreSequencedStateIsNot) {
    EXPECT_TRUE(is_sequenced(Danmaku{}));
    EXPECT_TRUE(is_sequenced(Enter{}));
    EXPECT_TRUE(is_sequenced(Custom{}));
    EXPECT_TRUE(is_sequenced(System{}));
    EXPECT_FALSE(is_sequenced(OnlineCount{}));
    EXPECT_FALSE(is_sequenced(HistoryGap{}));
    EXPECT_FALSE(is_sequenced(LikeTotal{}));
    EXPECT_FALSE(is_sequenced(LikeClick{}));
    EXPECT_FALSE(is_sequenced(LikeBurst{}));
}

TEST(RoomMessage, EconomyEventsAreSequenced) {
    EXPECT_TRUE(is_sequenced(Gift{}));
    EXPECT_TRUE(is_sequenced(SuperChat{}));
    EXPECT_TRUE(is_sequenced(SuperChatDelete{}));
    EXPECT_TRUE(is_sequenced(GuardBuy{}));
}

TEST(Dialect, EveryKindHasADistinctNativeCmd) {
    std::set<std::string> cmds;
    std::size_t spelled = 0;
    for (const auto& body : every_kind()) {
        std::vector<std::string> bodies;
        encode_message(Dialect::native, make_message(body), bodies);
        if (for_games_only(body)) {
            continue;
        }
        ASSERT_EQ(bodies.size(), 1U);
        cmds.insert(std::string{json::parse(bodies[0]).at("cmd").as_string()});
        ++spelled;
    }
    EXPECT_EQ(cmds.size(), spelled);
    EXPECT_EQ(every_kind().size(), std::variant_size_v<Body>);
}

}  // namespace
}  // namespace barrage::message
