#include "gateway/auth_request.h"

#include <gtest/gtest.h>

#include "base/errc.h"

namespace barrage::gateway {
namespace {

void expect_bad_request(std::string_view body) {
    auto request = parse_auth_request(body);
    ASSERT_FALSE(request) << body << " was accepted";
    EXPECT_EQ(request.error(), make_error_code(Errc::bad_request)) << body;
}

TEST(AuthRequest, OnlyRoomIdIsRequired) {
    auto request = parse_auth_request(R"({"roomid":1})");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->room, RoomId{1});
    EXPECT_TRUE(request->key.empty());
    EXPECT_EQ(request->protover, 0);
    EXPECT_EQ(request->dialect, message::Dialect::web);
    EXPECT_FALSE(request->last_sequence);
}

TEST(AuthRequest, ReceiveFalseAsksForAnswersOnlyAndNotWithAGameOrAResume) {
    EXPECT_TRUE(parse_auth_request(R"({"roomid":1})")->receive);
    auto request = parse_auth_request(R"({"roomid":1,"receive":false})");
    ASSERT_TRUE(request);
    EXPECT_FALSE(request->receive);
    expect_bad_request(R"({"roomid":1,"receive":0})");
    expect_bad_request(R"({"roomid":1,"receive":false,"last_seq":5})");
    expect_bad_request(R"({"roomid":1,"receive":false,"group":"open","key":"k"})");
}

TEST(AuthRequest, FullWebClientBodyIsParsed) {
    auto request = parse_auth_request(
        R"({"uid":0,"roomid":12345,"protover":3,"platform":"web","type":2,"key":"abc.def.ghi","buvid":""})");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->room, RoomId{12345});
    EXPECT_EQ(request->protover, 3);
    EXPECT_EQ(request->key, "abc.def.ghi");
}

TEST(AuthRequest, DecimalStringRoomIdIsAccepted) {
    auto request = parse_auth_request(R"({"roomid":"42"})");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->room, RoomId{42});
}

TEST(AuthRequest, MissingZeroNegativeOrNonNumberRoomIdIsBadRequest) {
    expect_bad_request(R"({})");
    expect_bad_request(R"({"uid":1,"protover":3})");
    expect_bad_request(R"({"roomid":0})");
    expect_bad_request(R"({"roomid":"0"})");
    expect_bad_request(R"({"roomid":-1})");
    expect_bad_request(R"({"roomid":"-1"})");
    expect_bad_request(R"({"roomid":1.5})");
    expect_bad_request(R"({"roomid":"12a"})");
    expect_bad_request(R"({"roomid":""})");
    expect_bad_request(R"({"roomid":null})");
    expect_bad_request(R"({"roomid":true})");
    expect_bad_request(R"({"roomid":[1]})");
}

TEST(AuthRequest, BodyThatIsNotAJsonObjectIsBadRequest) {
    expect_bad_request("");
    expect_bad_request("roomid=1");
    expect_bad_request(R"([{"roomid":1}])");
    expect_bad_request(R"("roomid")");
    expect_bad_request(R"({"roomid":1)");
}

TEST(AuthRequest, ProtoverUpToThreeIsAcceptedAndAboveIsBadRequest) {
    for (int protover = 0; protover <= 3; ++protover) {
        auto request = parse_auth_request(R"({"roomid":1,"protover":)" + std::to_string(protover) + "}");
        ASSERT_TRUE(request) << protover;
        EXPECT_EQ(request->protover, protover);
    }
    expect_bad_request(R"({"roomid":1,"protover":4})");
    expect_bad_request(R"({"roomid":1,"protover":-1})");
    expect_bad_request(R"({"roomid":1,"protover":"fast"})");
}

TEST(AuthRequest, NullOptionalFieldsAreIgnored) {
    auto request = parse_auth_request(R"({"roomid":1,"protover":null,"key":null,"dialect":null,"last_seq":null})");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->protover, 0);
    EXPECT_TRUE(request->key.empty());
    EXPECT_FALSE(request->last_sequence);
}

TEST(AuthRequest, KeyMustBeAString) {
    expect_bad_request(R"({"roomid":1,"key":42})");
}

TEST(AuthRequest, DialectIsWebOrNative) {
    auto native = parse_auth_request(R"({"roomid":1,"dialect":"native"})");
    ASSERT_TRUE(native);
    EXPECT_EQ(native->dialect, message::Dialect::native);
    auto web = parse_auth_request(R"({"roomid":1,"dialect":"web"})");
    ASSERT_TRUE(web);
    EXPECT_EQ(web->dialect, message::Dialect::web);
    expect_bad_request(R"({"roomid":1,"dialect":"klingon"})");
    expect_bad_request(R"({"roomid":1,"dialect":""})");
    expect_bad_request(R"({"roomid":1,"dialect":1})");
}

TEST(AuthRequest, TheOpenGroupIsAGamesConnection) {
    // The auth_body /v2/app/start hands out, verbatim.
    auto game = parse_auth_request(R"({"roomid":7,"protover":2,"uid":0,"key":"g1.x.1.7.00","group":"open"})");
    ASSERT_TRUE(game);
    EXPECT_TRUE(game->open_game);
    EXPECT_EQ(game->dialect, message::Dialect::open_platform);
    EXPECT_EQ(game->key, "g1.x.1.7.00");
    auto with_dialect = parse_auth_request(R"({"roomid":7,"group":"open","dialect":"open_platform"})");
    ASSERT_TRUE(with_dialect);
    EXPECT_TRUE(with_dialect->open_game);
    // Web clients send other groups (or none) and stay what they were.
    auto web = parse_auth_request(R"({"roomid":7,"group":"live"})");
    ASSERT_TRUE(web);
    EXPECT_FALSE(web->open_game);
    EXPECT_EQ(web->dialect, message::Dialect::web);
    expect_bad_request(R"({"roomid":7,"group":1})");
    expect_bad_request(R"({"roomid":7,"group":"open","dialect":"web"})");
}

TEST(AuthRequest, OnlyAGameMayHaveTheOpenPlatformDialect) {
    // Its pushes carry a game's app's open_ids: a viewer asking for it is refused.
    expect_bad_request(R"({"roomid":7,"dialect":"open_platform"})");
}

TEST(AuthRequest, LastSeqIsTheResumePoint) {
    auto request = parse_auth_request(R"({"roomid":1,"last_seq":17})");
    ASSERT_TRUE(request);
    ASSERT_TRUE(request->last_sequence);
    EXPECT_EQ(*request->last_sequence, 17U);
    auto zero = parse_auth_request(R"({"roomid":1,"last_seq":0})");
    ASSERT_TRUE(zero);
    EXPECT_EQ(zero->last_sequence, Sequence{0});
    auto text = parse_auth_request(R"({"roomid":1,"last_seq":"9"})");
    ASSERT_TRUE(text);
    EXPECT_EQ(text->last_sequence, Sequence{9});
    expect_bad_request(R"({"roomid":1,"last_seq":-3})");
    expect_bad_request(R"({"roomid":1,"last_seq":"soon"})");
}

TEST(AuthRequest, UnknownFieldsAreIgnored) {
    auto request = parse_auth_request(R"({"roomid":1,"platform":"web","type":2,"clientver":"1.2.3"})");
    EXPECT_TRUE(request);
}

}  // namespace
}  // namespace barrage::gateway
