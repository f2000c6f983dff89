#include "open/app_requests.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace barrage::open {
namespace {

template <class Request>
RequestRefusal refusal(const Parsed<Request>& parsed) {
    EXPECT_TRUE(std::holds_alternative<RequestRefusal>(parsed));
    return std::holds_alternative<RequestRefusal>(parsed) ? std::get<RequestRefusal>(parsed) : RequestRefusal{};
}

TEST(OpenAppRequests, StartAsBlivedmSendsIt) {
    auto parsed = parse_start(R"({"code": "ABCDEF1234567", "app_id": 1650000000000})");
    ASSERT_TRUE(std::holds_alternative<StartRequest>(parsed));
    EXPECT_EQ(std::get<StartRequest>(parsed).code, "ABCDEF1234567");
    EXPECT_EQ(std::get<StartRequest>(parsed).app_id, 1650000000000);
}

// What Bilibili's Go backend answers an app_id sent as a string (AI-Vtuber issue 533).
TEST(OpenAppRequests, AStringAppIdIsTheGoDecodersError) {
    auto refused = refusal(parse_start(R"({"code":"ABCDEF1234567","app_id":"1650000000000"})"));
    EXPECT_EQ(refused.code, OpenCode::json_decode_error);
    EXPECT_EQ(refused.message, "json: cannot unmarshal string into Go struct field StartReq.app_id of type int64");
    EXPECT_EQ(refusal(parse_end(R"({"app_id":1.5,"game_id":"g"})")).code, OpenCode::json_decode_error);
    EXPECT_EQ(refusal(parse_end(R"({"app_id":18446744073709551615,"game_id":"g"})")).code, OpenCode::json_decode_error);
}

TEST(OpenAppRequests, MissingOrEmptyFieldsAreBadParameters) {
    EXPECT_EQ(refusal(parse_start("not json")).code, OpenCode::bad_parameters);
    EXPECT_EQ(refusal(parse_start("[1]")).code, OpenCode::bad_parameters);
    EXPECT_EQ(refusal(parse_start(R"({"app_id":1})")).code, OpenCode::bad_parameters);
    EXPECT_EQ(refusal(parse_start(R"({"code":"","app_id":1})")).code, OpenCode::bad_parameters);
    EXPECT_EQ(refusal(parse_start(R"({"code":"X","app_id":0})")).code, OpenCode::bad_parameters);
    EXPECT_EQ(refusal(parse_heartbeat(R"({})")).code, OpenCode::bad_parameters);
    EXPECT_EQ(refusal(parse_heartbeat(R"({"game_id":7})")).code, OpenCode::json_decode_error);
    EXPECT_EQ(refusal(parse_end(R"({"app_id":1})")).code, OpenCode::bad_parameters);
}

TEST(OpenAppRequests, BatchHeartbeatsHoldAtMost200DistinctIds) {
    std::string ids;
    for (int i = 0; i < 200; ++i) {
        ids += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
    }
    auto parsed = parse_batch_heartbeat("{\"game_ids\":[" + ids + "]}");
    ASSERT_TRUE(std::holds_alternative<BatchHeartbeatRequest>(parsed));
    EXPECT_EQ(std::get<BatchHeartbeatRequest>(parsed).game_ids.size(), 200U);
    EXPECT_EQ(refusal(parse_batch_heartbeat("{\"game_ids\":[" + ids + ",\"200\"]}")).code, OpenCode::batch_too_large);
    EXPECT_EQ(refusal(parse_batch_heartbeat(R"({"game_ids":["a","b","a"]})")).code, OpenCode::batch_duplicate_id);
    EXPECT_EQ(refusal(parse_batch_heartbeat(R"({"game_ids":"a"})")).code, OpenCode::json_decode_error);
    auto empty = parse_batch_heartbeat(R"({"game_ids":[]})");
    EXPECT_TRUE(std::holds_alternative<BatchHeartbeatRequest>(empty));
}

TEST(OpenAppRequests, TheAnswerEnvelopeIsBilibilis) {
    const auto ok = boost::json::parse(open_answer(OpenCode::ok, "ignored", nullptr, "r-1")).as_object();
    EXPECT_EQ(ok.at("code").as_int64(), 0);
    EXPECT_EQ(ok.at("message").as_string(), "0");  // success says "0", as clients expect
    EXPECT_EQ(ok.at("request_id").as_string(), "r-1");
    EXPECT_TRUE(ok.at("data").is_null());
    const auto failed = boost::json::parse(open_answer(OpenCode::heartbeat_expired,
                                                       message_of(OpenCode::heartbeat_expired), nullptr, "r-2"))
                            .as_object();
    EXPECT_EQ(failed.at("code").as_int64(), 7003);
    EXPECT_EQ(failed.at("message").as_string(), message_of(OpenCode::heartbeat_expired));
}

}  // namespace
}  // namespace barrage::open
