#include "bot/reply_matcher.h"

#include <string>

#include <gtest/gtest.h>

namespace barrage::bot {
namespace {

using Indexes = std::vector<std::uint32_t>;

class ReplyMatcherTest : public ::testing::Test {
protected:
    std::shared_ptr<const ReplyMatcher> compile(std::vector<Trigger> triggers) {
        auto matcher = ReplyMatcher::compile(std::move(triggers));
        EXPECT_TRUE(matcher) << (matcher ? "" : matcher.error().message);
        return matcher.value();
    }

    MatcherError refusal(std::vector<Trigger> triggers) {
        auto matcher = ReplyMatcher::compile(std::move(triggers));
        EXPECT_FALSE(matcher);
        return matcher ? MatcherError{} : matcher.error();
    }

    Indexes match(const ReplyMatcher& matcher, std::string_view text) {
        Indexes out{999};
        matcher.matches(text, scratch_, out);
        return out;
    }

    MatchScratch scratch_;
};

TEST_F(ReplyMatcherTest, ExactContainsAndRegexMatchAsDocumented) {
    const auto matcher =
        compile({{MatchKind::exact, "hello"}, {MatchKind::contains, "hi"}, {MatchKind::regex, "^\\d+$"}});
    EXPECT_EQ(match(*matcher, "hello"), Indexes{0});
    EXPECT_EQ(match(*matcher, " \thello \n"), Indexes{0});
    EXPECT_EQ(match(*matcher, "say hello"), Indexes{});
    EXPECT_EQ(match(*matcher, "hello!"), Indexes{});
    EXPECT_EQ(match(*matcher, "oh hi there"), Indexes{1});
    EXPECT_EQ(match(*matcher, "this"), Indexes{1});
    EXPECT_EQ(match(*matcher, "12345"), Indexes{2});
    EXPECT_EQ(match(*matcher, "12a"), Indexes{});
}

TEST_F(ReplyMatcherTest, ExactPatternsAreTrimmedLikeMessages) {
    const auto matcher = compile({{MatchKind::exact, " hello "}});
    EXPECT_EQ(match(*matcher, "hello"), Indexes{0});
    EXPECT_EQ(matcher->triggers()[0].pattern, " hello ");
}

TEST_F(ReplyMatcherTest, IgnoresCaseInAsciiAndBeyond) {
    const auto matcher =
        compile({{MatchKind::contains, "Hello"}, {MatchKind::exact, "É"}, {MatchKind::contains, "café"}});
    EXPECT_EQ(match(*matcher, "HELLO world"), Indexes{0});
    EXPECT_EQ(match(*matcher, "é"), Indexes{1});
    EXPECT_EQ(match(*matcher, "É"), Indexes{1});
    EXPECT_EQ(match(*matcher, "un CAFÉ"), Indexes{2});
    EXPECT_EQ(match(*matcher, "un cafe"), Indexes{});
}

TEST_F(ReplyMatcherTest, MatchesChinesePatterns) {
    const auto matcher =
        compile({{MatchKind::contains, "主播好"}, {MatchKind::exact, "签到"}, {MatchKind::regex, "[0-9]+号"}});
    EXPECT_EQ(match(*matcher, "主播好厉害"), Indexes{0});
    EXPECT_EQ(match(*matcher, "签到"), Indexes{1});
    EXPECT_EQ(match(*matcher, "我签到"), Indexes{});
    EXPECT_EQ(match(*matcher, "抽3号"), Indexes{2});
    EXPECT_EQ(match(*matcher, "抽号"), Indexes{});
}

TEST_F(ReplyMatcherTest, LiteralsMatchTheirPunctuationLiterally) {
    const auto matcher = compile({{MatchKind::contains, "a.b"},
                                  {MatchKind::contains, "1+1"},
                                  {MatchKind::exact, "(x)$^"},
                                  {MatchKind::contains, "\\d"},
                                  {MatchKind::contains, std::string("n\0l", 3)},
                                  {MatchKind::contains, "[?]"}});
    EXPECT_EQ(match(*matcher, "axb"), Indexes{});
    EXPECT_EQ(match(*matcher, "A.B"), Indexes{0});
    EXPECT_EQ(match(*matcher, "1+1=2"), Indexes{1});
    EXPECT_EQ(match(*matcher, "11"), Indexes{});
    EXPECT_EQ(match(*matcher, "(x)$^"), Indexes{2});
    EXPECT_EQ(match(*matcher, "x"), Indexes{});
    EXPECT_EQ(match(*matcher, "a\\d"), Indexes{3});
    EXPECT_EQ(match(*matcher, "5"), Indexes{});
    EXPECT_EQ(match(*matcher, std::string_view("n\0l", 3)), Indexes{4});
    EXPECT_EQ(match(*matcher, "nul"), Indexes{});
    EXPECT_EQ(match(*matcher, "[?]"), Indexes{5});
    EXPECT_EQ(match(*matcher, "?"), Indexes{});
}

TEST_F(ReplyMatcherTest, ReportsEveryMatchInTriggerOrder) {
    // Vectorscan reports "a" (ending first) before "b"; the answer is still in trigger order.
    const auto matcher = compile({{MatchKind::contains, "b"},
                                  {MatchKind::contains, "a"},
                                  {MatchKind::regex, "a.*b"},
                                  {MatchKind::exact, "ab"},
                                  {MatchKind::contains, "z"}});
    EXPECT_EQ(match(*matcher, "ab"), (Indexes{0, 1, 2, 3}));
    EXPECT_EQ(match(*matcher, "abab"), (Indexes{0, 1, 2}));
}

TEST_F(ReplyMatcherTest, NoTriggersMatchNothing) {
    const auto matcher = compile({});
    EXPECT_TRUE(matcher->triggers().empty());
    EXPECT_EQ(match(*matcher, "anything"), Indexes{});
}

TEST_F(ReplyMatcherTest, ScansOnlyTheFirstBytesOfALongText) {
    const auto matcher = compile({{MatchKind::contains, "needle"}});
    std::string text(4000, 'x');
    text += "needle";
    EXPECT_EQ(match(*matcher, text), Indexes{0});
    text.insert(0, 1000, 'x');
    EXPECT_EQ(match(*matcher, text), Indexes{});
    // Leading whitespace is trimmed before the bound counts.
    EXPECT_EQ(match(*matcher, std::string(2000, ' ') + std::string(4000, 'x') + "needle"), Indexes{0});
}

TEST_F(ReplyMatcherTest, CutsALongTextOnACodePointBoundary) {
    const auto matcher = compile({{MatchKind::contains, "a"}});
    // Cut at 4096 bytes the last 好 would be split and the text invalid UTF-8; the cut steps
    // back to before it instead.
    std::string text(kMatchTextBytesMax - 1, 'a');
    text += "好好";
    EXPECT_EQ(match(*matcher, text), Indexes{0});
}

TEST_F(ReplyMatcherTest, InvalidUtf8MatchesNothing) {
    const auto matcher = compile({{MatchKind::contains, "a"}});
    EXPECT_EQ(match(*matcher, "a\xff"), Indexes{});
    EXPECT_EQ(match(*matcher, "a\xc3"), Indexes{});
}

TEST_F(ReplyMatcherTest, OneScratchServesManyMatchers) {
    const auto small = compile({{MatchKind::contains, "a"}});
    const auto large = compile({{MatchKind::regex, "(foo|bar)[a-z]{10,40}baz"}, {MatchKind::contains, "q"}});
    EXPECT_EQ(match(*small, "a"), Indexes{0});
    EXPECT_EQ(match(*large, "foozzzzzzzzzzzzbaz q"), (Indexes{0, 1}));
    EXPECT_EQ(match(*small, "ba"), Indexes{0});
}

TEST_F(ReplyMatcherTest, RefusesMoreThanTheTriggerLimits) {
    std::vector<Trigger> triggers(kTriggersMax, Trigger{MatchKind::contains, "x"});
    EXPECT_TRUE(ReplyMatcher::compile(triggers));
    triggers.push_back({MatchKind::contains, "x"});
    EXPECT_EQ(refusal(triggers).trigger, kTriggersMax);

    std::vector<Trigger> regexes(kRegexTriggersMax, Trigger{MatchKind::regex, "x+y"});
    regexes.push_back({MatchKind::contains, "x"});
    EXPECT_TRUE(ReplyMatcher::compile(regexes));
    regexes.push_back({MatchKind::regex, "z"});
    const auto error = refusal(regexes);
    EXPECT_EQ(error.trigger, kRegexTriggersMax + 1);
    EXPECT_NE(error.message.find("regex"), std::string::npos);
}

TEST_F(ReplyMatcherTest, RefusesBadPatterns) {
    EXPECT_EQ(refusal({{MatchKind::contains, "x"}, {MatchKind::contains, ""}}).trigger, 1u);
    EXPECT_TRUE(ReplyMatcher::compile({{MatchKind::contains, std::string(kTriggerBytesMax, 'x')}}));
    const auto long_pattern = refusal({{MatchKind::contains, std::string(kTriggerBytesMax + 1, 'x')}});
    EXPECT_NE(long_pattern.message.find("bytes"), std::string::npos);
    EXPECT_NE(refusal({{MatchKind::contains, "a\xff"}}).message.find("UTF-8"), std::string::npos);
    EXPECT_EQ(refusal({{MatchKind::contains, "x"}, {MatchKind::exact, " \t "}}).trigger, 1u);
    EXPECT_EQ(refusal({{MatchKind::regex, std::string("a\0b", 3)}}).trigger, 0u);
}

TEST_F(ReplyMatcherTest, RefusesARegexThatMatchesEmptyText) {
    const auto error = refusal({{MatchKind::contains, "x"}, {MatchKind::contains, "y"}, {MatchKind::regex, "a*"}});
    EXPECT_EQ(error.trigger, 2u);
    EXPECT_NE(error.message.find("empty"), std::string::npos);
}

TEST_F(ReplyMatcherTest, RefusesABadRegexWithItsIndexAndPosition) {
    const auto error = refusal({{MatchKind::contains, "x"}, {MatchKind::regex, "ab)c"}});
    EXPECT_EQ(error.trigger, 1u);
    EXPECT_EQ(error.position, 2u) << error.message;
    EXPECT_THROW(ReplyMatcher::compile({{MatchKind::regex, "ab)c"}}).value(), std::invalid_argument);
}

TEST(MatchKind, RoundTripsThroughItsName) {
    for (const auto kind : {MatchKind::exact, MatchKind::contains, MatchKind::regex}) {
        EXPECT_EQ(parse_match_kind(to_string(kind)), kind);
    }
    EXPECT_EQ(to_string(MatchKind::contains), "contains");
    EXPECT_EQ(parse_match_kind("Exact"), std::nullopt);
    EXPECT_EQ(parse_match_kind(""), std::nullopt);
}

}  // namespace
}  // namespace barrage::bot
