#include "http/requests.h"

#include <gtest/gtest.h>

#include "economy/super_chat_tiers.h"

namespace barrage::http {
namespace {

template <class T>
Refusal refused(const Parsed<T>& parsed) {
    EXPECT_FALSE(parsed);
    return parsed ? Refusal{} : parsed.error();
}

TEST(HttpRequests, AGiftRequestReadsItsFieldsWithDefaults) {
    auto gift = parse_gift_request(R"({"gift_id":3,"request_id":"r-1"})");
    ASSERT_TRUE(gift);
    EXPECT_EQ(gift->gift_id, 3U);
    EXPECT_EQ(gift->count, 1U);
    EXPECT_EQ(gift->request_id, "r-1");
}

TEST(HttpRequests, EachBadValueGetsTheCodeForWhatIsWrong) {
    EXPECT_EQ(refused(parse_gift_request(R"({"gift_id":0,"request_id":"r"})")).code, Errc::unknown_gift);
    EXPECT_EQ(refused(parse_gift_request(R"({"gift_id":-1,"request_id":"r"})")).code, Errc::unknown_gift);
    EXPECT_EQ(refused(parse_gift_request(R"({"gift_id":"3","request_id":"r"})")).code, Errc::unknown_gift);
    EXPECT_EQ(refused(parse_gift_request(R"({"gift_id":1,"count":-1,"request_id":"r"})")).code, Errc::bad_count);
    EXPECT_EQ(refused(parse_gift_request(R"({"gift_id":1})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_gift_request(R"([1,2])")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_gift_request("{")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_grant_request(R"({"uid":1,"coins":0,"reason":"r","request_id":"g"})", 100)).code,
              Errc::bad_amount);
    EXPECT_EQ(refused(parse_grant_request(R"({"uid":1,"coins":101,"reason":"r","request_id":"g"})", 100)).code,
              Errc::bad_amount);
    EXPECT_EQ(refused(parse_refund_request(R"({"order_id":0,"reason":"r"})")).code, Errc::not_found);
    EXPECT_EQ(refused(parse_payment_order_request(R"({"coins":0})", 100)).code, Errc::bad_amount);
}

TEST(HttpRequests, ARefusalNamesTheFieldAndItsBound) {
    auto chat = refused(parse_super_chat_request(R"({"price_yuan":1000001,"message":"hi","request_id":"s"})"));
    EXPECT_EQ(chat.code, Errc::bad_request);
    EXPECT_EQ(chat.detail, "price_yuan must be a whole number in 0..1000000");
    EXPECT_EQ(refused(parse_gift_request(R"({"gift_id":1})")).detail, "request_id is required");
    EXPECT_EQ(refused(parse_grant_request(R"({"uid":1,"coins":5,"reason":"","request_id":"g"})", 100)).detail,
              "reason must not be empty");
}

TEST(HttpRequests, TheFirstRefusalWins) {
    auto both = refused(parse_gift_request(R"({"gift_id":0,"count":-5})"));
    EXPECT_EQ(both.code, Errc::unknown_gift);
}

TEST(HttpRequests, ARoomRequestReadsItsManagers) {
    auto room = parse_room_request(R"({"id":5,"title":"t","host":2,"managers":[3,4]})");
    ASSERT_TRUE(room);
    EXPECT_EQ(room->id.value, 5U);
    EXPECT_EQ(room->managers.size(), 2U);
    EXPECT_EQ(refused(parse_room_request(R"({"id":5,"managers":[0]})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_room_request(R"({"id":5,"managers":"3"})")).code, Errc::bad_request);
}

TEST(HttpRequests, AGiftSpecChecksItsPrice) {
    EXPECT_EQ(refused(parse_gift_spec(R"({"id":1,"name":"n","price":0})")).code, Errc::bad_amount);
    auto spec = parse_gift_spec(R"({"id":1,"name":"n","price":5,"animated":true,"effect_url":"/e"})");
    ASSERT_TRUE(spec);
    EXPECT_TRUE(spec->animated);
    EXPECT_TRUE(spec->comboable);
}

TEST(HttpQueries, AWalletPageDefaultsToTheNewestTwenty) {
    auto query = parse_wallet_query(std::nullopt, std::nullopt);
    ASSERT_TRUE(query);
    EXPECT_EQ(query->before, INT64_MAX);
    EXPECT_EQ(query->limit, kWalletPageDefault);
    query = parse_wallet_query("41", "100");
    ASSERT_TRUE(query);
    EXPECT_EQ(query->before, 41);
    EXPECT_EQ(query->limit, 100U);
}

TEST(HttpQueries, AWalletPageOutsideItsBoundsNamesTheParameter) {
    EXPECT_EQ(refused(parse_wallet_query(std::nullopt, "0")).detail, "limit must be a whole number in 1..100");
    EXPECT_EQ(refused(parse_wallet_query(std::nullopt, "101")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_wallet_query(std::nullopt, " 5")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_wallet_query("0", std::nullopt)).detail,
              "before must be a whole number in 1..9223372036854775807");
    EXPECT_EQ(refused(parse_wallet_query("12x", std::nullopt)).code, Errc::bad_request);
}

TEST(HttpQueries, AnEarningsQueryTakesWholeDaysInOrder) {
    auto all = parse_earnings_query(std::nullopt, std::nullopt, std::nullopt);
    ASSERT_TRUE(all);
    EXPECT_FALSE(all->from_day || all->to_day || all->uid);
    auto some = parse_earnings_query("20240228", "20240229", "7");
    ASSERT_TRUE(some);
    EXPECT_EQ(some->from_day, 20240228);
    EXPECT_EQ(some->to_day, 20240229);
    EXPECT_EQ(some->uid, UserId{7});
    EXPECT_EQ(refused(parse_earnings_query("20230229", std::nullopt, std::nullopt)).detail,
              "from must be a UTC day as YYYYMMDD");
    EXPECT_EQ(refused(parse_earnings_query(std::nullopt, "0020240101", std::nullopt)).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_earnings_query("20240302", "20240301", std::nullopt)).detail, "to must not be before from");
    EXPECT_EQ(refused(parse_earnings_query(std::nullopt, std::nullopt, "0")).code, Errc::bad_request);
}

TEST(HttpRequests, AnAppIsANamedPieceOfPlainText) {
    auto app = parse_app_request(R"({"name":"弹幕对战","description":"two teams\nfight\r\n\nwith gifts"})");
    ASSERT_TRUE(app);
    EXPECT_EQ(app->name, "弹幕对战");
    EXPECT_EQ(app->description, "two teams\nfight\r\n\nwith gifts");
    EXPECT_EQ(parse_app_request(R"({"name":"Duel"})")->description, "");
    // A description is bounded as stored: "\r\n" is two code points (found by http_body_fuzz).
    const auto described = [](std::size_t letters) {
        return parse_app_request(R"({"name":"Duel","description":")" + std::string(letters, 'a') + R"(\r\nb"})");
    };
    EXPECT_TRUE(described(kAppDescriptionCodePointsMax - 3));
    EXPECT_EQ(refused(described(kAppDescriptionCodePointsMax - 2)).code, Errc::bad_app_description);
    // 64 characters of four bytes each are a name; 65 are not.
    std::string longest;
    for (std::size_t i = 0; i < kAppNameCodePointsMax; ++i) {
        longest += "\xF0\x9F\x8E\xAE";  // U+1F3AE
    }
    EXPECT_TRUE(parse_app_request(R"({"name":")" + longest + "\"}"));
    EXPECT_EQ(refused(parse_app_request(R"({"name":")" + longest + "x\"}")).code, Errc::bad_app_name);
    auto too_long = refused(parse_app_request(R"({"name":")" + std::string(kAppNameCodePointsMax + 1, 'n') + "\"}"));
    EXPECT_EQ(too_long.code, Errc::bad_app_name);
    EXPECT_EQ(too_long.detail, "name must be one line of plain text: at most 64 characters");
    EXPECT_EQ(refused(parse_app_request(R"({"name":")" + std::string(257, 'a') + "\"}")).code, Errc::bad_app_name);
    std::string description(kAppDescriptionCodePointsMax, 'd');
    EXPECT_TRUE(parse_app_request(R"({"name":"n","description":")" + description + "\"}"));
    EXPECT_EQ(refused(parse_app_request(R"({"name":"n","description":")" + description + "d\"}")).code,
              Errc::bad_app_description);
}

TEST(HttpRequests, AnAppNameOrDescriptionThatIsNotPlainTextIsRefusedForWhatItIs) {
    EXPECT_EQ(refused(parse_app_request(R"({"name":""})")).code, Errc::bad_app_name);
    EXPECT_EQ(refused(parse_app_request(R"({"name":" \u3000 "})")).detail,
              "name must be one line of plain text: blank");
    EXPECT_EQ(refused(parse_app_request(R"({"name":"a\nb"})")).detail,
              "name must be one line of plain text: holds a control character");
    EXPECT_EQ(refused(parse_app_request(R"({"name":"a\u0000"})")).code, Errc::bad_app_name);
    EXPECT_EQ(refused(parse_app_request(R"({"name":"a\u009b"})")).code, Errc::bad_app_name);
    EXPECT_EQ(refused(parse_app_request(R"({"name":5})")).code, Errc::bad_app_name);
    EXPECT_EQ(refused(parse_app_request(R"({"description":"d"})")).detail, "name is required");
    EXPECT_EQ(refused(parse_app_request(R"({"name":"n","description":"a\u001b[31m"})")).code,
              Errc::bad_app_description);
    EXPECT_EQ(refused(parse_app_request(R"({"name":"n","description":["d"]})")).code, Errc::bad_app_description);
    EXPECT_EQ(refused(parse_app_request(R"(["name"])")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_app_request("{")).code, Errc::bad_request);
}

TEST(HttpRequests, ARejectionNeedsAReasonAndAnApprovalMayHaveOne) {
    auto approve = parse_review_request(R"({"decision":"approve"})");
    ASSERT_TRUE(approve);
    EXPECT_TRUE(approve->approve);
    EXPECT_EQ(approve->reason, "");
    auto reject = parse_review_request(R"({"decision":"reject","reason":"no rules page"})");
    ASSERT_TRUE(reject);
    EXPECT_FALSE(reject->approve);
    EXPECT_EQ(reject->reason, "no rules page");
    EXPECT_EQ(refused(parse_review_request(R"({"decision":"reject"})")).detail, "reason is required: say why");
    EXPECT_EQ(refused(parse_review_request(R"({"decision":"reject","reason":""})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_review_request(R"({"decision":"maybe","reason":"r"})")).detail,
              "decision must be \"approve\" or \"reject\"");
    EXPECT_EQ(refused(parse_review_request(R"({"reason":"r"})")).detail, "decision is required");
    EXPECT_EQ(refused(parse_review_request(R"({"decision":"reject","reason":")" +
                                           std::string(kOpenReasonCodePointsMax + 1, 'r') + "\"}"))
                  .detail,
              "reason must be one line of plain text: at most 500 characters");
    EXPECT_EQ(refused(parse_review_request(R"({"decision":"reject","reason":"a\u0007"})")).code, Errc::bad_request);
}

TEST(HttpRequests, ADeveloperGrantMayComeWithoutABody) {
    const auto reason = [](std::string_view body) {
        auto parsed = parse_developer_reason(body);
        EXPECT_TRUE(parsed) << body;
        return parsed ? *parsed : std::string("(refused)");
    };
    EXPECT_EQ(reason(""), "");
    EXPECT_EQ(reason(" \r\n"), "");
    EXPECT_EQ(reason(R"({})"), "");
    EXPECT_EQ(reason(R"({"reason":"signed the terms"})"), "signed the terms");
    EXPECT_EQ(refused(parse_developer_reason("reason")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_developer_reason(R"({"reason":7})")).code, Errc::bad_request);
}

TEST(HttpRequests, AnAppShareIsAPerMilleAndAnExactTime) {
    auto share = parse_app_share_body(R"({"per_mille":300,"effective_ms":1796342400000})");
    ASSERT_TRUE(share);
    EXPECT_EQ(share->per_mille, 300u);
    EXPECT_EQ(share->effective_ms, 1'796'342'400'000);
    EXPECT_TRUE(parse_app_share_body(R"({"per_mille":0,"effective_ms":1})"));
    EXPECT_TRUE(parse_app_share_body(R"({"per_mille":1000,"effective_ms":9007199254740992})"));
    EXPECT_EQ(refused(parse_app_share_body(R"({"per_mille":1001,"effective_ms":1})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_app_share_body(R"({"per_mille":-1,"effective_ms":1})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_app_share_body(R"({"per_mille":1,"effective_ms":0})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_app_share_body(R"({"per_mille":1,"effective_ms":9007199254740993})")).code,
              Errc::bad_request);
    EXPECT_EQ(refused(parse_app_share_body(R"({"per_mille":1.5,"effective_ms":1})")).code, Errc::bad_request);
    EXPECT_EQ(refused(parse_app_share_body(R"({"per_mille":1})")).code, Errc::bad_request);
}

TEST(HttpQueries, AnAuditPageDefaultsToFiftyRowsAndAtMostAHundred) {
    auto page = parse_audit_query(std::nullopt, std::nullopt);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->before, INT64_MAX);
    EXPECT_EQ(page->limit, 50U);
    EXPECT_EQ(parse_audit_query("12", "100")->before, 12);
    EXPECT_EQ(refused(parse_audit_query(std::nullopt, "101")).detail, "limit must be a whole number in 1..100");
    EXPECT_EQ(refused(parse_audit_query("x", std::nullopt)).code, Errc::bad_request);
}

}  // namespace
}  // namespace barrage::http
