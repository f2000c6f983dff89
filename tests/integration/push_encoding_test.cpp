// How room pushes are spelled and packed: protover 0 (plain), 2 (zlib) and 3 (brotli) over
// both transports, and the web and native dialects.

#include <tuple>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

constexpr std::string_view kText = "hello 弹幕 🎉 \"quoted\"";

class PushEncoding : public ::testing::TestWithParam<std::tuple<Transport, int>> {};

TEST_P(PushEncoding, DanmakuArrivesAsDanmuMsgInTheRequestedVersion) {
    auto [transport, protover] = GetParam();
    TestServer server;
    auto client = server.join(transport, AuthBody().protover(protover).str());
    auto sequence = server.send_danmaku(kText, server.viewer_token());

    auto push = client->next_cmd("DANMU_MSG");
    EXPECT_EQ(push.outer_version, protover == 1 ? 0 : protover);
    EXPECT_EQ(push.packet.version, 0) << "inner packets are plain JSON";
    EXPECT_EQ(push.packet.operation, static_cast<std::uint32_t>(Operation::message));
    auto json = push.json();
    EXPECT_EQ(danmaku_text(json), kText);
    EXPECT_EQ(sequence_of(json), sequence);
    const auto& user = json.at("info").at(2).as_array();
    EXPECT_EQ(user.at(0).to_number<std::uint64_t>(), kAlice.value);
    EXPECT_EQ(user.at(1).as_string(), "alice");
}

std::string push_encoding_name(const ::testing::TestParamInfo<std::tuple<Transport, int>>& param) {
    return fmt::format("{}_protover{}", to_string(std::get<0>(param.param)), std::get<1>(param.param));
}

INSTANTIATE_TEST_SUITE_P(Versions, PushEncoding,
                         ::testing::Combine(::testing::Values(Transport::tcp, Transport::ws),
                                            ::testing::Values(0, 1, 2, 3)),
                         push_encoding_name);

class NativeDialect : public ::testing::TestWithParam<Transport> {};

TEST_P(NativeDialect, DanmakuArrivesAsNativeDanmakuCmd) {
    TestServer server;
    auto client = server.join(GetParam(), AuthBody().protover(2).dialect("native").str());
    auto sequence = server.send_danmaku(kText, server.viewer_token());

    auto push = client->next_cmd("danmaku");
    EXPECT_EQ(push.outer_version, 2);
    auto json = push.json().as_object();
    EXPECT_EQ(int_field(json, "room"), 1);
    EXPECT_EQ(int_field(json, "seq"), static_cast<std::int64_t>(sequence));
    EXPECT_EQ(json.at("data").at("text").as_string(), kText);
    EXPECT_EQ(json.at("user").at("uid").to_number<std::uint64_t>(), kAlice.value);
    EXPECT_EQ(json.at("user").at("role").as_string(), "viewer");
}

TEST_P(NativeDialect, WebAndNativeClientsInOneRoomEachGetTheirOwnSpelling) {
    TestServer server;
    auto web = server.join(GetParam(), AuthBody().protover(3).str());
    auto native = server.join(GetParam(), AuthBody().protover(3).dialect("native").str());
    auto sequence = server.send_danmaku("both", server.viewer_token());

    EXPECT_EQ(sequence_of(web->next_cmd("DANMU_MSG").json()), sequence);
    EXPECT_EQ(sequence_of(native->next_cmd("danmaku").json()), sequence);
}

INSTANTIATE_TEST_SUITE_P(Transports, NativeDialect, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_test_name);

}  // namespace
}  // namespace barrage::test
