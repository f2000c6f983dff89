#include "loadgen/gift_tally.h"

#include <gtest/gtest.h>

#include <string>

#include "loadgen/delivery_recorder.h"
#include "loadgen/marker.h"

namespace barrage::loadgen {
namespace {

using Receipts = std::vector<DeliveryRecorder::GiftReceipt>;

std::string gift_push(std::uint64_t order) {
    return R"({"cmd":"gift","room":1,"seq":9,"data":{"gift_id":1,"name":"LG1:1:","order_id":)" + std::to_string(order) +
           R"(,"app_id":0}})";
}

TEST(DeliveryRecorder, TracksGiftPushesByOrderAndStillCountsMarkers) {
    DeliveryRecorder recorder(4);
    recorder.track_gifts(8);
    std::string danmaku;
    compose_marker_text(danmaku, kMeasuredPrefix, 2, 1'000, 20);
    recorder.record_payload(R"({"cmd":"danmaku","data":{"text":")" + danmaku + R"("}})", 5'000);
    recorder.record_payload(gift_push(77), 6'000);
    ASSERT_EQ(recorder.gift_receipts().size(), 1u);
    EXPECT_EQ(recorder.gift_receipts()[0].order_id, 77u);
    EXPECT_EQ(recorder.gift_receipts()[0].receive_ns, 6'000);
    // The danmaku's marker counted; the gift's name, which looks like a marker, did not.
    EXPECT_EQ(recorder.count_of(2), 1u);
    EXPECT_EQ(recorder.count_of(1), 0u);
    EXPECT_EQ(recorder.received(), 1u);
}

TEST(DeliveryRecorder, IgnoresGiftsUnlessAskedToTrackThem) {
    DeliveryRecorder recorder(4);
    recorder.record_payload(gift_push(77), 6'000);
    EXPECT_TRUE(recorder.gift_receipts().empty());
}

TEST(GiftTally, MatchesPushesToAcceptedGiftsOnlyAndCountsDuplicates) {
    const std::vector<GiftSend> accepted{{.order_id = 10, .send_ns = 1'000'000},
                                         {.order_id = 11, .send_ns = 2'000'000}};
    // Two subscribers: order 10 reached both, order 11 one of them twice (a duplicate and a
    // loss), order 5 was a warm-up gift and is not counted.
    const Receipts first{{.order_id = 10, .receive_ns = 3'000'000},
                         {.order_id = 11, .receive_ns = 4'000'000},
                         {.order_id = 5, .receive_ns = 4'000'000}};
    const Receipts second{{.order_id = 10, .receive_ns = 5'000'000},
                          {.order_id = 11, .receive_ns = 6'000'000},
                          {.order_id = 11, .receive_ns = 7'000'000}};
    const std::vector<const Receipts*> lists{&first, &second};
    const GiftTally tally = tally_gifts(accepted, lists, 2);
    EXPECT_EQ(tally.received, 5u);
    EXPECT_EQ(tally.duplicated, 1u);
    EXPECT_EQ(tally.latency.count(), 5u);
    // 2, 4, 2, 4, 5 ms from send to receipt.
    EXPECT_EQ(tally.latency.max_us(), 5'000u);
}

}  // namespace
}  // namespace barrage::loadgen
