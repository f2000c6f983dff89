#include "moderation/word_list.h"

#include <gtest/gtest.h>

namespace barrage::moderation {
namespace {

class WordListTest : public ::testing::Test {
protected:
    WordListResult compile(std::vector<WordEntry> entries) {
        return WordList::compile(std::move(entries), normaliser_);
    }

    TextNormaliser normaliser_;
};

TEST_F(WordListTest, CompilesLiteralsAndRegexesAndKeepsTheEntriesForListing) {
    auto list = compile({{.pattern = "傻 逼"},
                         {.pattern = "Fuck", .action = WordAction::mask},
                         {.pattern = "sh[i1]t", .action = WordAction::block, .regex = true}});
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ((*list)->size(), 3u);
    EXPECT_EQ((*list)->entries()[0].pattern, "傻 逼");
    EXPECT_EQ((*list)->entries()[1].action, WordAction::mask);
    EXPECT_TRUE((*list)->entries()[2].regex);
    EXPECT_NE((*list)->literal_database(), nullptr);
    EXPECT_NE((*list)->regex_database(), nullptr);
    // Literals are stored normalised: 傻逼 is 6 bytes, fuck 4.
    EXPECT_EQ((*list)->literal_bytes(0), 6u);
    EXPECT_EQ((*list)->literal_bytes(1), 4u);
}

TEST_F(WordListTest, AnEmptyListCompiles) {
    auto list = compile({});
    ASSERT_TRUE(list);
    EXPECT_TRUE((*list)->empty());
    EXPECT_EQ((*list)->literal_database(), nullptr);
    EXPECT_EQ((*list)->regex_database(), nullptr);
}

TEST_F(WordListTest, EachListHasItsOwnSerial) {
    auto first = compile({{.pattern = "a"}});
    auto second = compile({{.pattern = "a"}});
    ASSERT_TRUE(first && second);
    EXPECT_NE((*first)->serial(), (*second)->serial());
}

TEST_F(WordListTest, ABadRegexIsRefusedWithItsEntryIndex) {
    auto list = compile({{.pattern = "ok"}, {.pattern = "fine", .regex = true}, {.pattern = "ab(c", .regex = true}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 2u);
    EXPECT_FALSE(list.error().message.empty());
}

TEST_F(WordListTest, ARegexErrorSaysWhereWhenVectorscanKnows) {
    auto list = compile({{.pattern = "abc[", .regex = true}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 0u);
    EXPECT_EQ(list.error().position, 3u) << list.error().message;
}

TEST_F(WordListTest, ARegexThatMatchesEmptyTextIsRefused) {
    auto list = compile({{.pattern = "x", .regex = true}, {.pattern = "a*", .regex = true}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 1u);
}

TEST_F(WordListTest, AMaskRegexVectorscanCannotTrackTheStartOfIsRefusedAndSaysSo) {
    // A mask regex needs its start of match (HS_FLAG_SOM_LEFTMOST), which Vectorscan refuses
    // for long bounded repeats that a block regex may use.
    const std::string pattern = "a.{20,}b";
    auto as_block = compile({{.pattern = pattern, .action = WordAction::block, .regex = true}});
    ASSERT_TRUE(as_block) << as_block.error().message;
    auto as_mask = compile({{.pattern = "ok"}, {.pattern = pattern, .action = WordAction::mask, .regex = true}});
    ASSERT_FALSE(as_mask);
    EXPECT_EQ(as_mask.error().entry, 1u);
    EXPECT_NE(as_mask.error().message.find("start of match"), std::string::npos) << as_mask.error().message;
}

TEST_F(WordListTest, ManyCopiesOfOneLiteralCompileOnceAndABlockCopyWins) {
    std::vector<WordEntry> entries(kWordEntriesMax - 1, WordEntry{.pattern = "word", .action = WordAction::mask});
    entries.push_back({.pattern = "W O R D", .action = WordAction::block});
    auto list = compile(std::move(entries));
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ((*list)->size(), kWordEntriesMax);
}

TEST_F(WordListTest, EmptyPatternsAreRefused) {
    auto list = compile({{.pattern = "ok"}, {.pattern = ""}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 1u);
}

TEST_F(WordListTest, PatternsThatNormaliseToNothingAreRefused) {
    auto list = compile({{.pattern = "ok"}, {.pattern = "ok"}, {.pattern = " ... 😀 "}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 2u);
}

TEST_F(WordListTest, PatternsOverTheByteLimitAreRefused) {
    auto at_limit = compile({{.pattern = std::string(kWordPatternBytesMax, 'a') + ""}});
    EXPECT_TRUE(at_limit);
    auto over = compile({{.pattern = "ok"}, {.pattern = std::string(kWordPatternBytesMax + 1, 'a')}});
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().entry, 1u);
}

TEST_F(WordListTest, InvalidUtf8PatternsAreRefused) {
    auto list = compile({{.pattern = "a\xFF"}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 0u);
}

TEST_F(WordListTest, ARegexWithANulByteIsRefused) {
    // Vectorscan reads regexes as C strings: "a\0b" would silently become "a".
    auto list = compile({{.pattern = "ok"}, {.pattern = std::string("a\0b", 3), .regex = true}});
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().entry, 1u);
}

TEST_F(WordListTest, MoreEntriesThanTheLimitAreRefused) {
    std::vector<WordEntry> entries(kWordEntriesMax + 1, WordEntry{.pattern = "word"});
    for (std::size_t i = 0; i < entries.size(); ++i)
        entries[i].pattern = "w" + std::to_string(i);
    auto over = compile(entries);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().entry, kWordEntriesMax);
    entries.pop_back();
    EXPECT_TRUE(compile(std::move(entries)));
}

TEST_F(WordListTest, MoreRegexesThanTheLimitAreRefused) {
    std::vector<WordEntry> entries;
    for (std::size_t i = 0; i <= kWordRegexesMax; ++i)
        entries.push_back({.pattern = "x" + std::to_string(i) + "y+z", .regex = true});
    auto over = compile(entries);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().entry, kWordRegexesMax);
    entries.back().regex = false;  // as a literal it is fine
    EXPECT_TRUE(compile(std::move(entries)));
}

TEST_F(WordListTest, ValueOnAnErrorThrowsInsteadOfReturningNull) {
    auto list = compile({{.pattern = ""}});
    EXPECT_THROW((void)list.value(), std::invalid_argument);
}

}  // namespace
}  // namespace barrage::moderation
