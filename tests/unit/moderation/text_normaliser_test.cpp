#include "moderation/text_normaliser.h"

#include <string>

#include <gtest/gtest.h>

namespace barrage::moderation {
namespace {

class TextNormaliserTest : public ::testing::Test {
protected:
    std::string normalised(std::string_view text) { return normaliser_.normalise(text).text; }

    // The original bytes behind the normalised bytes [from, to).
    std::string original_of(std::string_view text, std::size_t from, std::size_t to) {
        const NormalisedText result = normaliser_.normalise(text);
        const auto begin = result.original_begin(from);
        const auto end = result.original_end(to);
        return std::string(text.substr(begin, end - begin));
    }

    TextNormaliser normaliser_;
};

TEST_F(TextNormaliserTest, FullWidthAndMathematicalLettersBecomeAscii) {
    EXPECT_EQ(normalised("ＡＢＣ"), "abc");
    EXPECT_EQ(normalised("ｆｕｃｋ"), "fuck");
    EXPECT_EQ(normalised("𝐟𝐮𝐜𝐤"), "fuck");
    EXPECT_EQ(normalised("①②"), "12");
}

TEST_F(TextNormaliserTest, CaseIsFolded) {
    EXPECT_EQ(normalised("FuCk"), "fuck");
    EXPECT_EQ(normalised("ΣΊΣΥΦΟΣ"), "σίσυφοσ");
    EXPECT_EQ(normalised("STRASSE"), normalised("straße"));
}

TEST_F(TextNormaliserTest, TraditionalChineseBecomesSimplified) {
    EXPECT_EQ(normalised("幹你娘"), "干你娘");
    EXPECT_EQ(normalised("傻逼"), "傻逼");
    EXPECT_EQ(normalised("國罵"), "国骂");
    // Simplified text is left as it is.
    EXPECT_EQ(normalised("干你娘"), "干你娘");
}

TEST_F(TextNormaliserTest, SeparatorsPunctuationAndSymbolsBetweenLettersAreDropped) {
    EXPECT_EQ(normalised("f.u.c.k"), "fuck");
    EXPECT_EQ(normalised("f u c k"), "fuck");
    EXPECT_EQ(normalised("f-u_c*k!"), "fuck");
    EXPECT_EQ(normalised("傻 逼"), "傻逼");
    EXPECT_EQ(normalised("傻，逼。"), "傻逼");
    EXPECT_EQ(normalised("傻\u3000逼"), "傻逼");  // ideographic space
    EXPECT_EQ(normalised("f\tu\nc\rk"), "fuck");
}

TEST_F(TextNormaliserTest, EmojiAreDropped) {
    EXPECT_EQ(normalised("f😀u"), "fu");
    EXPECT_EQ(normalised("f😀u😀c😀k"), "fuck");
    EXPECT_EQ(normalised("傻👍🏻逼"), "傻逼");  // with a skin-tone modifier
    EXPECT_EQ(normalised("f❤️uck"), "fuck");      // with a variation selector
}

TEST_F(TextNormaliserTest, ZeroWidthAndFormatCharactersAreDropped) {
    EXPECT_EQ(normalised("f\u200Bu\u200Cc\u200Dk"), "fuck");
    EXPECT_EQ(normalised("f\u2060u\uFEFFck"), "fuck");
    EXPECT_EQ(normalised("fu\u00ADck"), "fuck");  // soft hyphen
    EXPECT_EQ(normalised("f\uFE0Fuck"), "fuck");  // variation selector 16
    EXPECT_EQ(normalised("傻\u200B逼"), "傻逼");
}

TEST_F(TextNormaliserTest, CombiningMarksComposeOrAreDropped) {
    // Decomposed and precomposed forms agree.
    EXPECT_EQ(normalised("e\u0301"), normalised("\u00E9"));
    EXPECT_EQ(normalised("E\u0301"), "\u00E9");
    // Strike-through marks compose with nothing and are dropped.
    EXPECT_EQ(normalised("f\u0336u\u0336c\u0336k\u0336"), "fuck");
}

TEST_F(TextNormaliserTest, RunsOfOneCharacterCollapse) {
    EXPECT_EQ(normalised("fuuuuck"), "fuck");
    EXPECT_EQ(normalised("FFFuUuCK"), "fuck");
    EXPECT_EQ(normalised("傻傻傻逼"), "傻逼");
    // Separators between the repeats do not stop the collapse.
    EXPECT_EQ(normalised("fu.u.u ck"), "fuck");
    // The trade-off: a double letter collapses too.
    EXPECT_EQ(normalised("good"), "god");
}

TEST_F(TextNormaliserTest, RunsOfDigitsStay) {
    EXPECT_EQ(normalised("1000"), "1000");
    EXPECT_EQ(normalised("138 8888 8888"), "13888888888");
    EXPECT_EQ(normalised("１１"), "11");
}

TEST_F(TextNormaliserTest, LettersAndDigitsOfEveryScriptAreKept) {
    EXPECT_EQ(normalised("Привет"), "привет");
    EXPECT_EQ(normalised("こんにちは"), "こんにちは");
    EXPECT_EQ(normalised("안녕"), "안녕");
    EXPECT_EQ(normalised("ab12"), "ab12");
    EXPECT_EQ(normalised("١٢٣"), "١٢٣");  // Arabic-Indic digits
}

TEST_F(TextNormaliserTest, NothingButSeparatorsNormalisesToNothing) {
    EXPECT_EQ(normalised(""), "");
    EXPECT_EQ(normalised(" .,!?。，😀\u200B"), "");
}

TEST_F(TextNormaliserTest, InvalidUtf8IsDroppedWithoutStoppingTheRest) {
    EXPECT_EQ(normalised("f\xFFu\xC0\xAF"
                         "ck"),
              "fuck");
    EXPECT_EQ(normalised("\xE5\x82"), "");  // truncated 傻
    EXPECT_EQ(normalised("\xED\xA0\x80"
                         "a"),
              "a");                                 // a surrogate
    EXPECT_EQ(normalised("\xF4\x90\x80\x80"), "");  // past U+10FFFF
}

TEST_F(TextNormaliserTest, EachNormalisedByteMapsToTheOriginalBytes) {
    const NormalisedText result = normaliser_.normalise("Ａ.b");
    ASSERT_EQ(result.text, "ab");
    EXPECT_EQ(result.source_begin[0], 0u);
    EXPECT_EQ(result.source_end[0], 3u);  // Ａ is three bytes
    EXPECT_EQ(result.source_begin[1], 4u);
    EXPECT_EQ(result.source_end[1], 5u);
    // A multi-byte normalised character maps all its bytes to the same original range.
    const NormalisedText chinese = normaliser_.normalise("x幹");
    ASSERT_EQ(chinese.text, "x干");
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(chinese.source_begin[i], 1u);
        EXPECT_EQ(chinese.source_end[i], 4u);
    }
}

TEST_F(TextNormaliserTest, ACollapsedRunMapsToTheWholeRun) {
    EXPECT_EQ(original_of("xfuuu.uck", 1, 3), "fuuu.u");
    EXPECT_EQ(original_of("f\u200Bu c k!", 0, 4), "f\u200Bu c k");
    EXPECT_EQ(original_of("e\u0301!", 0, 2), "e\u0301");
}

TEST_F(TextNormaliserTest, LongInputIsHandled) {
    std::string text;
    for (int i = 0; i < 100'000; ++i)
        text += "a.幹😀";
    const NormalisedText result = normaliser_.normalise(text);
    EXPECT_EQ(result.text.size(), 100'000u * 4);
    EXPECT_EQ(result.source_end.back(), text.size() - 4);  // the last 幹, before its emoji
}

TEST_F(TextNormaliserTest, BuffersAreReusedBetweenCalls) {
    NormalisedText out;
    normaliser_.normalise_into("A LONGER MESSAGE THAN THE NEXT", out);
    normaliser_.normalise_into("Hi", out);
    EXPECT_EQ(out.text, "hi");
    EXPECT_EQ(out.source_begin.size(), 2u);
    EXPECT_EQ(out.source_end.size(), 2u);
}

}  // namespace
}  // namespace barrage::moderation
