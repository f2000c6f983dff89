#include "message/custom_schema.h"

#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "base/errc.h"

namespace barrage::message {
namespace {

// A vote poll and a bare ping, as an operator might declare them.
CustomSchemas make_schemas() {
    return CustomSchemas({
        CustomType{.name = "vote",
                   .fields = {FieldSpec{.name = "option", .kind = FieldKind::string, .max_length = 5},
                              FieldSpec{.name = "count", .kind = FieldKind::integer},
                              FieldSpec{.name = "weight", .kind = FieldKind::number, .required = false},
                              FieldSpec{.name = "secret", .kind = FieldKind::boolean, .required = false}}},
        CustomType{.name = "ping_2", .fields = {}},
    });
}

const CustomSchemas kSchemas = make_schemas();

std::error_code error_of(std::string_view body) {
    const Result<Custom> result = kSchemas.parse(body);
    EXPECT_FALSE(result) << "unexpectedly accepted: " << body;
    return result ? std::error_code{} : result.error();
}

TEST(CustomSchemas, AcceptsDeclaredTypeAndReserialisesCompactly) {
    const Result<Custom> custom =
        kSchemas.parse(R"({ "type" : "vote", "fields" : { "option" : "红", "count" : 3, "secret" : true } })");
    ASSERT_TRUE(custom) << custom.error().message();
    EXPECT_EQ(custom->type, "vote");
    EXPECT_EQ(custom->fields_json, R"({"option":"红","count":3,"secret":true})");
}

TEST(CustomSchemas, AcceptsEveryNumberKindForNumberFields) {
    for (const char* weight : {"1", "-1", "18446744073709551615", "0.5", "1e3"}) {
        const std::string body =
            R"({"type":"vote","fields":{"option":"a","count":1,"weight":)" + std::string(weight) + "}}";
        EXPECT_TRUE(kSchemas.parse(body)) << body;
    }
}

TEST(CustomSchemas, AcceptsInt64AndUint64ForIntegerFields) {
    EXPECT_TRUE(kSchemas.parse(R"({"type":"vote","fields":{"option":"a","count":-5}})"));
    EXPECT_TRUE(kSchemas.parse(R"({"type":"vote","fields":{"option":"a","count":18446744073709551615}})"));
}

TEST(CustomSchemas, TypeWithoutFieldsMayOmitThem) {
    const Result<Custom> custom = kSchemas.parse(R"({"type":"ping_2"})");
    ASSERT_TRUE(custom);
    EXPECT_EQ(custom->fields_json, "{}");
    EXPECT_TRUE(kSchemas.parse(R"({"type":"ping_2","fields":{}})"));
}

TEST(CustomSchemas, RejectsBodiesOfTheWrongShape) {
    EXPECT_EQ(error_of(""), Errc::bad_request);
    EXPECT_EQ(error_of("not json"), Errc::bad_request);
    EXPECT_EQ(error_of(R"([1])"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"fields":{}})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"type":7,"fields":{}})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"type":"vote","fields":[]})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"type":"vote","fields":"option=a"})"), Errc::bad_request);
}

TEST(CustomSchemas, RejectsUndeclaredType) {
    EXPECT_EQ(error_of(R"({"type":"gift","fields":{}})"), Errc::unknown_message_type);
    EXPECT_EQ(error_of(R"({"type":"VOTE","fields":{}})"), Errc::unknown_message_type);
    EXPECT_EQ(error_of(R"({"type":"","fields":{}})"), Errc::unknown_message_type);
}

TEST(CustomSchemas, RejectsMissingRequiredField) {
    EXPECT_EQ(error_of(R"({"type":"vote","fields":{"option":"a"}})"), Errc::bad_custom_field);
    EXPECT_EQ(error_of(R"({"type":"vote"})"), Errc::bad_custom_field);
}

TEST(CustomSchemas, RejectsUndeclaredField) {
    EXPECT_EQ(error_of(R"({"type":"vote","fields":{"option":"a","count":1,"extra":1}})"), Errc::bad_custom_field);
    EXPECT_EQ(error_of(R"({"type":"ping_2","fields":{"x":1}})"), Errc::bad_custom_field);
}

TEST(CustomSchemas, RejectsFieldsOfTheWrongKind) {
    const char* cases[] = {
        R"({"type":"vote","fields":{"option":1,"count":1}})",
        R"({"type":"vote","fields":{"option":"a","count":"1"}})",
        R"({"type":"vote","fields":{"option":"a","count":1.5}})",
        R"({"type":"vote","fields":{"option":"a","count":1.0}})",
        R"({"type":"vote","fields":{"option":"a","count":true}})",
        R"({"type":"vote","fields":{"option":"a","count":1,"weight":"2"}})",
        R"({"type":"vote","fields":{"option":"a","count":1,"secret":1}})",
        R"({"type":"vote","fields":{"option":"a","count":1,"secret":null}})",
        R"({"type":"vote","fields":{"option":["a"],"count":1}})",
    };
    for (const char* body : cases) {
        EXPECT_EQ(error_of(body), Errc::bad_custom_field) << body;
    }
}

// Found by danmaku_body_fuzz: an exponent past the double range parses as infinity, which
// Boost.JSON writes back as `Infinity`, not JSON; forwarded, it would break every client's
// parser in the room.
TEST(CustomSchemas, RejectsNumbersBeyondTheDoubleRange) {
    for (const char* weight : {"1e400", "-1e400", "88888888888888888888888888888888888888E88888885"}) {
        const std::string body =
            std::string(R"({"type":"vote","fields":{"option":"a","count":1,"weight":)") + weight + "}}";
        EXPECT_EQ(error_of(body), Errc::bad_custom_field) << body;
    }
    const Result<Custom> large = kSchemas.parse(R"({"type":"vote","fields":{"option":"a","count":1,"weight":1e300}})");
    ASSERT_TRUE(large);
    boost::system::error_code ec;
    (void)boost::json::parse(large->fields_json, ec);
    EXPECT_FALSE(ec) << large->fields_json;
}

TEST(CustomSchemas, LimitsStringLengthInCodePoints) {
    EXPECT_TRUE(kSchemas.parse(R"({"type":"vote","fields":{"option":"弹幕弹幕弹","count":1}})"));
    EXPECT_EQ(error_of(R"({"type":"vote","fields":{"option":"弹幕弹幕弹幕","count":1}})"), Errc::bad_custom_field);
    EXPECT_EQ(error_of(R"({"type":"vote","fields":{"option":"abcdef","count":1}})"), Errc::bad_custom_field);
}

TEST(CustomSchemas, RejectsInvalidUtf8InStringField) {
    EXPECT_EQ(error_of("{\"type\":\"vote\",\"fields\":{\"option\":\"\xC3\",\"count\":1}}"), Errc::bad_custom_field);
    EXPECT_EQ(error_of("{\"type\":\"vote\",\"fields\":{\"option\":\"\xED\xA0\x80\",\"count\":1}}"),
              Errc::bad_custom_field);
}

TEST(CustomSchemas, EmptyWhenNothingDeclared) {
    const CustomSchemas none;
    EXPECT_TRUE(none.empty());
    EXPECT_FALSE(kSchemas.empty());
    const Result<Custom> result = none.parse(R"({"type":"vote","fields":{}})");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), Errc::unknown_message_type);
}

}  // namespace
}  // namespace barrage::message
