#include "message/danmaku_rules.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "base/errc.h"

namespace barrage::message {
namespace {

const DanmakuRules kRules{};

std::error_code error_of(std::string_view body, const DanmakuRules& rules = kRules) {
    const Result<Danmaku> result = parse_danmaku(body, rules);
    EXPECT_FALSE(result) << "unexpectedly accepted: " << body;
    return result ? std::error_code{} : result.error();
}

std::string body_with_text(std::string_view text) {
    return R"({"msg":")" + std::string(text) + R"("})";
}

std::string repeat(std::string_view unit, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out += unit;
    }
    return out;
}

TEST(DanmakuRules, AppliesDefaultsWhenOnlyTextIsGiven) {
    const Result<Danmaku> danmaku = parse_danmaku(R"({"msg":"hello"})", kRules);
    ASSERT_TRUE(danmaku) << danmaku.error().message();
    EXPECT_EQ(danmaku->text, "hello");
    EXPECT_EQ(danmaku->color, 0xFFFFFFU);
    EXPECT_EQ(danmaku->mode, DanmakuMode::scroll);
    EXPECT_EQ(danmaku->fontsize, 25);
}

TEST(DanmakuRules, ReadsAllFields) {
    const Result<Danmaku> danmaku = parse_danmaku(R"({"msg":"弹幕","color":16711680,"mode":5,"fontsize":36})", kRules);
    ASSERT_TRUE(danmaku);
    EXPECT_EQ(danmaku->text, "弹幕");
    EXPECT_EQ(danmaku->color, 0xFF0000U);
    EXPECT_EQ(danmaku->mode, DanmakuMode::top);
    EXPECT_EQ(danmaku->fontsize, 36);
}

TEST(DanmakuRules, IgnoresFieldsBilibiliClientsAlsoSend) {
    EXPECT_TRUE(parse_danmaku(R"({"msg":"hi","bubble":0,"rnd":1700000000,"roomid":1,)"
                              R"("csrf":"x","extra":{"a":[1,2]}})",
                              kRules));
}

TEST(DanmakuRules, DecodesJsonEscapes) {
    const Result<Danmaku> danmaku = parse_danmaku(R"({"msg":"\u5f39\u5e55 \ud83c\udf89 \"q\""})", kRules);
    ASSERT_TRUE(danmaku);
    EXPECT_EQ(danmaku->text, "弹幕 🎉 \"q\"");
}

TEST(DanmakuRules, RejectsMalformedBodiesAsBadRequest) {
    EXPECT_EQ(error_of(""), Errc::bad_request);
    EXPECT_EQ(error_of("hello"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"hi")"), Errc::bad_request);
    EXPECT_EQ(error_of(R"(["hi"])"), Errc::bad_request);
    EXPECT_EQ(error_of(R"("hi")"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"text":"hi"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":42})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":null})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"hi"} trailing)"), Errc::bad_request);
}

TEST(DanmakuRules, RejectsFieldsOfTheWrongKindAsBadRequest) {
    EXPECT_EQ(error_of(R"({"msg":"hi","color":"#ffffff"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"hi","color":255.0})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"hi","mode":"1"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"hi","fontsize":true})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"hi","fontsize":null})"), Errc::bad_request);
}

TEST(DanmakuRules, RejectsControlCharactersAsBadRequest) {
    EXPECT_EQ(error_of(R"({"msg":"a\u0000b"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"line\nbreak"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"tab\there"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"esc\u001b[31m"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"del\u007f"})"), Errc::bad_request);
    EXPECT_EQ(error_of(R"({"msg":"c1\u0085"})"), Errc::bad_request);
    EXPECT_TRUE(parse_danmaku(R"({"msg":"nbsp\u00a0ok"})", kRules));
}

TEST(DanmakuRules, RejectsInvalidUtf8) {
    EXPECT_EQ(error_of(body_with_text("bad \xC3")), Errc::bad_utf8);          // truncated
    EXPECT_EQ(error_of(body_with_text("\xC0\xAF")), Errc::bad_utf8);          // overlong
    EXPECT_EQ(error_of(body_with_text("\xED\xA0\x80")), Errc::bad_utf8);      // surrogate
    EXPECT_EQ(error_of(body_with_text("\xF4\x90\x80\x80")), Errc::bad_utf8);  // > U+10FFFF
    EXPECT_EQ(error_of(body_with_text("\x80stray")), Errc::bad_utf8);         // continuation
    // Lone surrogates written as JSON escapes are the same mistake.
    EXPECT_EQ(error_of(R"({"msg":"\ud800"})"), Errc::bad_utf8);
    EXPECT_EQ(error_of(R"({"msg":"\udc00x"})"), Errc::bad_utf8);
    EXPECT_EQ(error_of(R"({"msg":"\ud83cx"})"), Errc::bad_utf8);
    EXPECT_EQ(error_of(R"({"msg":"cut \ud83c\u0041"})"), Errc::bad_utf8);
    // An escaped backslash before "ud800" is plain text, and a proper pair in an otherwise
    // broken body is still just a broken body.
    EXPECT_TRUE(parse_danmaku(R"({"msg":"\\ud800"})", kRules));
    EXPECT_EQ(error_of(R"({"msg":"\ud83c\udf89")"), Errc::bad_request);
}

TEST(DanmakuRules, RejectsEmptyAndBlankText) {
    EXPECT_EQ(error_of(R"({"msg":""})"), Errc::message_empty);
    EXPECT_EQ(error_of(R"({"msg":"   "})"), Errc::message_empty);
    EXPECT_EQ(error_of(R"({"msg":"\u3000\u3000"})"), Errc::message_empty);  // ideographic
    EXPECT_EQ(error_of(R"({"msg":"\u200b\ufeff\u3164"})"), Errc::message_empty);
    EXPECT_TRUE(parse_danmaku(R"({"msg":" a "})", kRules));
}

TEST(DanmakuRules, LimitsLengthInCodePoints) {
    EXPECT_TRUE(parse_danmaku(body_with_text(repeat("a", 100)), kRules));
    EXPECT_EQ(error_of(body_with_text(repeat("a", 101))), Errc::message_too_long);
    // Multi-byte characters count once each: 100 × 3 bytes is within the limit.
    EXPECT_TRUE(parse_danmaku(body_with_text(repeat("弹", 100)), kRules));
    EXPECT_EQ(error_of(body_with_text(repeat("弹", 101))), Errc::message_too_long);
    EXPECT_TRUE(parse_danmaku(body_with_text(repeat("🎉", 100)), kRules));
    EXPECT_EQ(error_of(body_with_text(repeat("🎉", 101))), Errc::message_too_long);
}

TEST(DanmakuRules, HonoursConfiguredLengthLimit) {
    const DanmakuRules rules{.code_points_max = 5};
    EXPECT_TRUE(parse_danmaku(body_with_text("弹幕弹幕弹"), rules));
    EXPECT_EQ(error_of(body_with_text("弹幕弹幕弹幕"), rules), Errc::message_too_long);
}

TEST(DanmakuRules, AcceptsOnlyKnownModes) {
    for (const int mode : {1, 4, 5}) {
        const std::string body = R"({"msg":"hi","mode":)" + std::to_string(mode) + "}";
        const Result<Danmaku> danmaku = parse_danmaku(body, kRules);
        ASSERT_TRUE(danmaku) << body;
        EXPECT_EQ(static_cast<int>(danmaku->mode), mode);
    }
    for (const char* mode : {"0", "2", "3", "6", "7", "-1", "18446744073709551615"}) {
        const std::string body = R"({"msg":"hi","mode":)" + std::string(mode) + "}";
        EXPECT_EQ(error_of(body), Errc::unknown_mode) << body;
    }
}

TEST(DanmakuRules, LimitsColorToRgb) {
    EXPECT_TRUE(parse_danmaku(R"({"msg":"hi","color":0})", kRules));
    EXPECT_TRUE(parse_danmaku(R"({"msg":"hi","color":16777215})", kRules));
    EXPECT_EQ(error_of(R"({"msg":"hi","color":16777216})"), Errc::bad_color);
    EXPECT_EQ(error_of(R"({"msg":"hi","color":-1})"), Errc::bad_color);
    EXPECT_EQ(error_of(R"({"msg":"hi","color":18446744073709551615})"), Errc::bad_color);
}

TEST(DanmakuRules, LimitsFontsizeToConfiguredRange) {
    EXPECT_TRUE(parse_danmaku(R"({"msg":"hi","fontsize":12})", kRules));
    EXPECT_TRUE(parse_danmaku(R"({"msg":"hi","fontsize":64})", kRules));
    EXPECT_EQ(error_of(R"({"msg":"hi","fontsize":11})"), Errc::bad_fontsize);
    EXPECT_EQ(error_of(R"({"msg":"hi","fontsize":65})"), Errc::bad_fontsize);
    EXPECT_EQ(error_of(R"({"msg":"hi","fontsize":-25})"), Errc::bad_fontsize);
    const DanmakuRules narrow{.fontsize_min = 20, .fontsize_max = 30};
    EXPECT_EQ(error_of(R"({"msg":"hi","fontsize":19})", narrow), Errc::bad_fontsize);
    EXPECT_TRUE(parse_danmaku(R"({"msg":"hi","fontsize":30})", narrow));
}

}  // namespace
}  // namespace barrage::message
