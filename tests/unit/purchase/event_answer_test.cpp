#include "purchase/event_answer.h"

#include <memory>

#include <gtest/gtest.h>

namespace barrage::purchase {
namespace {

TEST(EventAnswer, EachKindAnswersItsOwnFieldsAfterTheSequence) {
    message::RoomMessage gift{
        RoomId{1}, 7, 0, {}, message::Gift{.total = 2000, .combo_id = 4, .combo_count = 2, .gift_number = 9}};
    EXPECT_EQ(serialise(event_answer(&gift)), R"({"seq":7,"gift_number":9,"combo_id":4,"combo_count":2,"total":2000})");
    message::RoomMessage chat{RoomId{1}, 8, 0, {}, message::SuperChat{.id = 12, .end_ms = 60'000}};
    EXPECT_EQ(serialise(event_answer(&chat)), R"({"seq":8,"super_chat_id":12,"end_ms":60000})");
    message::RoomMessage guard{RoomId{1}, 9, 0, {}, message::GuardBuy{.end_ms = 5}};
    EXPECT_EQ(serialise(event_answer(&guard)), R"({"seq":9,"end_ms":5})");
    message::RoomMessage danmaku{RoomId{1}, 10, 0, {}, message::Danmaku{}};
    EXPECT_EQ(serialise(event_answer(&danmaku)), R"({"seq":10})");
    EXPECT_EQ(serialise(event_answer(nullptr)), R"({"seq":0})") << "no event shown";
}

TEST(EventAnswer, RoundTripsAndRefusesDamagedForms) {
    message::RoomMessage gift{RoomId{1}, 7, 0, {}, message::Gift{.total = 2000}};
    auto text = serialise(event_answer(&gift));
    auto parsed = parse_event_answer(text);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(serialise(*parsed), text) << "field order survives";
    EXPECT_EQ(sequence_of(*parsed), 7U);
    EXPECT_EQ(parse_event_answer("{").error(), Errc::internal);
    EXPECT_EQ(parse_event_answer("[1]").error(), Errc::internal);
    EXPECT_EQ(parse_event_answer(R"({"total":1})").error(), Errc::internal);
}

}  // namespace
}  // namespace barrage::purchase
