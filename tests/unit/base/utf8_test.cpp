#include "base/utf8.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace barrage {
namespace {

// Builds a byte string from numbers: malformed sequences read better as a list than as escapes.
std::string bytes(std::initializer_list<unsigned char> list) {
    std::string out;
    for (const unsigned char b : list) {
        out += static_cast<char>(b);
    }
    return out;
}

TEST(Utf8, CountsCodePointsNotBytes) {
    EXPECT_EQ(utf8_code_points(""), 0U);
    EXPECT_EQ(utf8_code_points("hello"), 5U);
    EXPECT_EQ(utf8_code_points("é"), 1U);                          // 2 bytes
    EXPECT_EQ(utf8_code_points("弹幕"), 2U);                       // 3 bytes each
    EXPECT_EQ(utf8_code_points("🎉a"), 2U);                         // 4 bytes + 1
    EXPECT_EQ(utf8_code_points(std::string_view("a\0b", 3)), 3U);  // NUL is valid UTF-8
}

TEST(Utf8, AcceptsBoundaryCodePoints) {
    EXPECT_EQ(utf8_code_points(bytes({0x7F})), 1U);                    // U+007F
    EXPECT_EQ(utf8_code_points(bytes({0xC2, 0x80})), 1U);              // U+0080
    EXPECT_EQ(utf8_code_points(bytes({0xDF, 0xBF})), 1U);              // U+07FF
    EXPECT_EQ(utf8_code_points(bytes({0xE0, 0xA0, 0x80})), 1U);        // U+0800
    EXPECT_EQ(utf8_code_points(bytes({0xED, 0x9F, 0xBF})), 1U);        // U+D7FF
    EXPECT_EQ(utf8_code_points(bytes({0xEE, 0x80, 0x80})), 1U);        // U+E000
    EXPECT_EQ(utf8_code_points(bytes({0xEF, 0xBF, 0xBF})), 1U);        // U+FFFF
    EXPECT_EQ(utf8_code_points(bytes({0xF0, 0x90, 0x80, 0x80})), 1U);  // U+10000
    EXPECT_EQ(utf8_code_points(bytes({0xF4, 0x8F, 0xBF, 0xBF})), 1U);  // U+10FFFF
}

TEST(Utf8, RejectsOverlongEncodings) {
    EXPECT_FALSE(utf8_code_points(bytes({0xC0, 0x80})));              // NUL in 2 bytes
    EXPECT_FALSE(utf8_code_points(bytes({0xC1, 0xBF})));              // U+007F in 2 bytes
    EXPECT_FALSE(utf8_code_points(bytes({0xE0, 0x80, 0xAF})));        // '/' in 3 bytes
    EXPECT_FALSE(utf8_code_points(bytes({0xE0, 0x9F, 0xBF})));        // U+07FF in 3 bytes
    EXPECT_FALSE(utf8_code_points(bytes({0xF0, 0x80, 0x80, 0xAF})));  // '/' in 4 bytes
    EXPECT_FALSE(utf8_code_points(bytes({0xF0, 0x8F, 0xBF, 0xBF})));  // U+FFFF in 4 bytes
}

TEST(Utf8, RejectsSurrogates) {
    EXPECT_FALSE(utf8_code_points(bytes({0xED, 0xA0, 0x80})));  // U+D800
    EXPECT_FALSE(utf8_code_points(bytes({0xED, 0xBF, 0xBF})));  // U+DFFF
    // A CESU-8 style pair is two surrogates, not one supplementary code point.
    EXPECT_FALSE(utf8_code_points(bytes({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80})));
}

TEST(Utf8, RejectsCodePointsAboveMaximum) {
    EXPECT_FALSE(utf8_code_points(bytes({0xF4, 0x90, 0x80, 0x80})));  // U+110000
    EXPECT_FALSE(utf8_code_points(bytes({0xF5, 0x80, 0x80, 0x80})));
    EXPECT_FALSE(utf8_code_points(bytes({0xF7, 0xBF, 0xBF, 0xBF})));
    EXPECT_FALSE(utf8_code_points(bytes({0xF8, 0x88, 0x80, 0x80, 0x80})));  // old 5-byte form
    EXPECT_FALSE(utf8_code_points(bytes({0xFC, 0x84, 0x80, 0x80, 0x80, 0x80})));
    EXPECT_FALSE(utf8_code_points(bytes({0xFE})));
    EXPECT_FALSE(utf8_code_points(bytes({0xFF})));
}

TEST(Utf8, RejectsTruncatedSequences) {
    EXPECT_FALSE(utf8_code_points(bytes({0xC3})));
    EXPECT_FALSE(utf8_code_points(bytes({0xE5, 0xBC})));
    EXPECT_FALSE(utf8_code_points(bytes({0xF0, 0x9F, 0x8E})));
    EXPECT_FALSE(utf8_code_points("ok" + bytes({0xE5})));
    // Lead byte followed by a non-continuation byte.
    EXPECT_FALSE(utf8_code_points(bytes({0xC3, 0x41})));
    EXPECT_FALSE(utf8_code_points(bytes({0xE5, 0xBC, 0x41})));
    EXPECT_FALSE(utf8_code_points(bytes({0xF0, 0x9F, 0x8E, 0xC3, 0xA9})));
}

TEST(Utf8, RejectsStrayContinuationBytes) {
    EXPECT_FALSE(utf8_code_points(bytes({0x80})));
    EXPECT_FALSE(utf8_code_points(bytes({0xBF})));
    EXPECT_FALSE(utf8_code_points("a" + bytes({0x80}) + "b"));
    // One continuation byte too many after a complete sequence.
    EXPECT_FALSE(utf8_code_points(bytes({0xC3, 0xA9, 0xA9})));
}

}  // namespace
}  // namespace barrage
