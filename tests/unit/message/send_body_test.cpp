#include "message/send_body.h"

#include <gtest/gtest.h>

namespace barrage::message {
namespace {

const DanmakuRules kRules;

CustomSchemas schemas() {
    return CustomSchemas(
        {CustomType{.name = "vote", .fields = {FieldSpec{.name = "option", .kind = FieldKind::string}}}});
}

TEST(SendBody, ADanmakuWithItsRequestId) {
    auto send = parse_send_body(R"({"msg":"hi","color":255,"request_id":"r-1"})", kRules, schemas());
    ASSERT_TRUE(send) << send.error().message();
    ASSERT_TRUE(std::holds_alternative<Danmaku>(send->body));
    EXPECT_EQ(std::get<Danmaku>(send->body).text, "hi");
    EXPECT_EQ(std::get<Danmaku>(send->body).color, 255U);
    EXPECT_EQ(send->request_id, "r-1");
}

TEST(SendBody, TypeDanmakuOrANonStringTypeIsStillADanmaku) {
    for (const char* body : {R"({"type":"danmaku","msg":"hi"})", R"({"type":7,"msg":"hi"})"}) {
        auto send = parse_send_body(body, kRules, schemas());
        ASSERT_TRUE(send) << body;
        EXPECT_TRUE(std::holds_alternative<Danmaku>(send->body)) << body;
        EXPECT_EQ(send->request_id, "") << body;
    }
}

TEST(SendBody, ACustomMessageByItsType) {
    auto send = parse_send_body(R"({"type":"vote","fields":{"option":"a"},"request_id":"r-2"})", kRules, schemas());
    ASSERT_TRUE(send) << send.error().message();
    ASSERT_TRUE(std::holds_alternative<Custom>(send->body));
    EXPECT_EQ(std::get<Custom>(send->body).type, "vote");
    EXPECT_EQ(std::get<Custom>(send->body).fields_json, R"({"option":"a"})");
    EXPECT_EQ(send->request_id, "r-2");
}

TEST(SendBody, ASystemNoticeAndAReply) {
    auto notice = parse_send_body(R"({"type":"system","msg":"抽奖开始"})", kRules, schemas());
    ASSERT_TRUE(notice) << notice.error().message();
    ASSERT_TRUE(std::holds_alternative<System>(notice->body));
    EXPECT_EQ(std::get<System>(notice->body).text, "抽奖开始");
    auto reply = parse_send_body(R"({"msg":"ok","reply_to":{"uid":3,"name":"alice"}})", kRules, schemas());
    ASSERT_TRUE(reply) << reply.error().message();
    EXPECT_EQ(std::get<Danmaku>(reply->body).reply_uid, UserId{3});
    EXPECT_EQ(std::get<Danmaku>(reply->body).reply_name, "alice");
}

TEST(SendBody, ErrorsAreTheDanmakuOrCustomRulesOwn) {
    auto code = [](std::string_view body) {
        auto send = parse_send_body(body, kRules, schemas());
        return send ? std::error_code() : send.error();
    };
    EXPECT_EQ(code("not json"), make_error_code(Errc::bad_request));
    EXPECT_EQ(code(R"({"msg":"\ud83c"})"), make_error_code(Errc::bad_utf8));
    EXPECT_EQ(code(R"({"msg":"  "})"), make_error_code(Errc::message_empty));
    EXPECT_EQ(code(R"({"msg":"hi","mode":2})"), make_error_code(Errc::unknown_mode));
    EXPECT_EQ(code(R"({"type":"poll","fields":{}})"), make_error_code(Errc::unknown_message_type));
    EXPECT_EQ(code(R"({"type":"vote","fields":{"option":1}})"), make_error_code(Errc::bad_custom_field));
    EXPECT_EQ(code(R"([1,2])"), make_error_code(Errc::bad_request));
    // A system notice obeys the text rules; a reply names a user and a short, printable name.
    EXPECT_EQ(code(R"({"type":"system"})"), make_error_code(Errc::bad_request));
    EXPECT_EQ(code(R"({"type":"system","msg":" "})"), make_error_code(Errc::message_empty));
    EXPECT_EQ(code(R"({"msg":"x","reply_to":3})"), make_error_code(Errc::bad_request));
    EXPECT_EQ(code(R"({"msg":"x","reply_to":{"uid":0,"name":"a"}})"), make_error_code(Errc::bad_request));
    EXPECT_EQ(code(R"({"msg":"x","reply_to":{"uid":3}})"), make_error_code(Errc::bad_request));
    EXPECT_EQ(code(R"({"msg":"x","reply_to":{"uid":3,"name":"a\nb"}})"), make_error_code(Errc::bad_request));
    EXPECT_EQ(code(R"({"msg":"x","reply_to":{"uid":3,"name":")" + std::string(65, 'n') + R"("}})"),
              make_error_code(Errc::bad_request));
}

}  // namespace
}  // namespace barrage::message
