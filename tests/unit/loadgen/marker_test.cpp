#include "loadgen/marker.h"

#include <gtest/gtest.h>

#include <vector>

#include "loadgen/delivery_recorder.h"

namespace barrage::loadgen {
namespace {

std::vector<Marker> scan(std::string_view payload) {
    std::vector<Marker> found;
    scan_markers(payload, [&](const Marker& marker) { found.push_back(marker); });
    return found;
}

TEST(Marker, ComposePadsToTheRequestedSize) {
    std::string text;
    compose_marker_text(text, kMeasuredPrefix, 42, 123456789, 100);
    EXPECT_EQ(text.size(), 100u);
    EXPECT_TRUE(text.starts_with("LG42:123456789:xxx"));
}

TEST(Marker, ComposeNeverCutsTheMarker) {
    std::string text;
    compose_marker_text(text, kMeasuredPrefix, 1234567, 98765432109876, 4);
    EXPECT_EQ(text, "LG1234567:98765432109876:");
}

TEST(Marker, ScanFindsEveryMarkerInsideJson) {
    const std::string payload = R"({"cmd":"danmaku","data":{"text":"LG1:100:xxxx"}})"
                                R"({"cmd":"danmaku","data":{"text":"LG2:200:xx"}})";
    const auto found = scan(payload);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].index, 1u);
    EXPECT_EQ(found[0].send_ns, 100);
    EXPECT_EQ(found[1].index, 2u);
    EXPECT_EQ(found[1].send_ns, 200);
}

TEST(Marker, ScanSkipsWarmupAndMalformedMarkers) {
    EXPECT_TRUE(scan("LW1:100:xx").empty());
    EXPECT_TRUE(scan("LG:100:").empty());
    EXPECT_TRUE(scan("LG12:").empty());
    EXPECT_TRUE(scan("LG12:34").empty());
    EXPECT_EQ(scan("LGLG7:8:").size(), 1u);
}

TEST(Marker, RoundTripsThroughScan) {
    std::string text;
    compose_marker_text(text, kMeasuredPrefix, 9, 77, 40);
    const auto found = scan(text);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].index, 9u);
    EXPECT_EQ(found[0].send_ns, 77);
}

TEST(DeliveryRecorder, CountsPerIndexAndRejectsOutOfRange) {
    DeliveryRecorder recorder(4);
    recorder.record_payload("LG0:1000:LG3:1000:LG9:1000:", 3000);
    EXPECT_EQ(recorder.received(), 2u);
    EXPECT_EQ(recorder.count_of(0), 1u);
    EXPECT_EQ(recorder.count_of(3), 1u);
    EXPECT_EQ(recorder.out_of_range(), 1u);
    EXPECT_EQ(recorder.latency().count(), 2u);
    EXPECT_EQ(recorder.last_receive_ns(), 3000);
}

}  // namespace
}  // namespace barrage::loadgen
