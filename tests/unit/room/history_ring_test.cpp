#include "room/history_ring.h"

#include <memory>

#include <gtest/gtest.h>

namespace barrage::room {
namespace {

message::MessagePtr make_message(Sequence sequence) {
    message::RoomMessage message;
    message.sequence = sequence;
    message.body = message::System{.text = std::to_string(sequence)};
    return std::make_shared<const message::RoomMessage>(std::move(message));
}

void fill(HistoryRing& ring, Sequence count) {
    for (Sequence sequence = ring.last_sequence() + 1; count > 0; ++sequence, --count) {
        ring.push(make_message(sequence));
    }
}

std::vector<Sequence> sequences(const HistoryRing::Resume& resume) {
    std::vector<Sequence> result;
    for (const auto& message : resume.messages) {
        result.push_back(message->sequence);
    }
    return result;
}

TEST(HistoryRing, StartsEmpty) {
    const HistoryRing ring(4);
    EXPECT_EQ(ring.size(), 0U);
    EXPECT_EQ(ring.capacity(), 4U);
    EXPECT_EQ(ring.last_sequence(), 0U);
    const auto resume = ring.after(0, 100);
    EXPECT_TRUE(resume.messages.empty());
    EXPECT_FALSE(resume.gap);
    EXPECT_EQ(resume.first_available, 0U);
}

TEST(HistoryRing, ReturnsEverythingAfterWithoutGap) {
    HistoryRing ring(4);
    fill(ring, 3);
    const auto resume = ring.after(1, 100);
    EXPECT_EQ(sequences(resume), (std::vector<Sequence>{2, 3}));
    EXPECT_FALSE(resume.gap);
    EXPECT_EQ(resume.first_available, 1U);
}

TEST(HistoryRing, WrapsAroundKeepingTheNewest) {
    HistoryRing ring(4);
    fill(ring, 10);
    EXPECT_EQ(ring.size(), 4U);
    EXPECT_EQ(ring.last_sequence(), 10U);
    const auto resume = ring.after(6, 100);
    EXPECT_EQ(sequences(resume), (std::vector<Sequence>{7, 8, 9, 10}));
    EXPECT_FALSE(resume.gap);
    EXPECT_EQ(resume.first_available, 7U);
}

TEST(HistoryRing, ReportsGapWhenResumePointWasDropped) {
    HistoryRing ring(4);
    fill(ring, 10);
    const auto resume = ring.after(5, 100);
    EXPECT_TRUE(resume.gap);
    EXPECT_EQ(resume.first_available, 7U);
    EXPECT_EQ(sequences(resume), (std::vector<Sequence>{7, 8, 9, 10}));
}

TEST(HistoryRing, ResumeFromZeroAfterWrapIsAGap) {
    HistoryRing ring(3);
    fill(ring, 5);
    const auto resume = ring.after(0, 100);
    EXPECT_TRUE(resume.gap);
    EXPECT_EQ(sequences(resume), (std::vector<Sequence>{3, 4, 5}));
}

TEST(HistoryRing, LimitKeepsTheNewestAndSetsGap) {
    HistoryRing ring(8);
    fill(ring, 8);
    const auto resume = ring.after(2, 3);
    EXPECT_EQ(sequences(resume), (std::vector<Sequence>{6, 7, 8}));
    EXPECT_TRUE(resume.gap);
    EXPECT_EQ(resume.first_available, 1U);
}

TEST(HistoryRing, LimitEqualToMissedIsNoGap) {
    HistoryRing ring(8);
    fill(ring, 8);
    const auto resume = ring.after(5, 3);
    EXPECT_EQ(sequences(resume), (std::vector<Sequence>{6, 7, 8}));
    EXPECT_FALSE(resume.gap);
}

TEST(HistoryRing, NothingWhenAfterIsAtOrBeyondLast) {
    HistoryRing ring(4);
    fill(ring, 6);
    for (Sequence after : {Sequence{6}, Sequence{7}, Sequence{1'000'000}}) {
        const auto resume = ring.after(after, 100);
        EXPECT_TRUE(resume.messages.empty()) << after;
        EXPECT_FALSE(resume.gap) << after;
        EXPECT_EQ(resume.first_available, 3U) << after;
    }
}

TEST(HistoryRing, ZeroLimitReturnsNothingButGap) {
    HistoryRing ring(4);
    fill(ring, 4);
    const auto resume = ring.after(2, 0);
    EXPECT_TRUE(resume.messages.empty());
    EXPECT_TRUE(resume.gap);
}

TEST(HistoryRing, ZeroCapacityKeepsNothingAndReportsGap) {
    HistoryRing ring(0);
    fill(ring, 3);
    EXPECT_EQ(ring.size(), 0U);
    EXPECT_EQ(ring.last_sequence(), 3U);
    const auto resume = ring.after(1, 100);
    EXPECT_TRUE(resume.messages.empty());
    EXPECT_TRUE(resume.gap);
    EXPECT_EQ(resume.first_available, 0U);
}

TEST(HistoryRingDeathTest, RejectsOutOfOrderSequence) {
    HistoryRing ring(4);
    fill(ring, 2);
    EXPECT_DEATH(ring.push(make_message(4)), "assertion failed");
}

}  // namespace
}  // namespace barrage::room
