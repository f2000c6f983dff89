#include <set>
#include <string>

#include <gtest/gtest.h>

#include "crypto/constant_time.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"
#include "crypto/random.h"

namespace barrage::crypto {
namespace {

// RFC 4231, test cases 1 and 2.
TEST(Hmac, MatchesTheRfc4231Vectors) {
    const std::string key1(20, '\x0b');
    EXPECT_EQ(to_hex(bytes_of(hmac_sha256(key1, "Hi There"))),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(to_hex(bytes_of(hmac_sha256("Jefe", "what do ya want for nothing?"))),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hex, RoundTripsEveryByte) {
    std::string all;
    for (int byte = 0; byte < 256; ++byte) {
        all += static_cast<char>(byte);
    }
    const std::string text = to_hex(all);
    EXPECT_EQ(text.size(), 512U);
    EXPECT_EQ(text.substr(0, 8), "00010203");
    EXPECT_EQ(text.substr(504), "fcfdfeff");
    const auto back = from_hex(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(std::string(back->begin(), back->end()), all);
}

TEST(Hex, ReadsEitherCaseAndRefusesWhatIsNotHex) {
    const auto upper = from_hex("DEADbeef");
    ASSERT_TRUE(upper);
    EXPECT_EQ(*upper, (std::vector<unsigned char>{0xde, 0xad, 0xbe, 0xef}));
    EXPECT_FALSE(from_hex("abc"));  // odd length
    EXPECT_FALSE(from_hex("0g"));   // not a digit
    EXPECT_FALSE(from_hex("0 "));
    EXPECT_TRUE(from_hex(""));
}

TEST(ConstantTime, ComparesWholeValues) {
    EXPECT_TRUE(equal_in_constant_time("secret-mac", "secret-mac"));
    EXPECT_FALSE(equal_in_constant_time("secret-mac", "secret-mad"));
    EXPECT_FALSE(equal_in_constant_time("secret-mac", "secret-ma"));
    EXPECT_FALSE(equal_in_constant_time("", "x"));
    EXPECT_TRUE(equal_in_constant_time("", ""));
}

TEST(Random, HexHasTheAskedLengthAndDiffersEachTime) {
    const std::string a = random_hex(16);
    const std::string b = random_hex(16);
    EXPECT_EQ(a.size(), 32U);
    EXPECT_TRUE(from_hex(a));
    EXPECT_NE(a, b);  // 2^-128 to fail by chance
}

TEST(Random, StringsUseOnlyTheAlphabetAndReachAllOfIt) {
    constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::set<char> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string code = random_string(kAlphabet, 14);
        ASSERT_EQ(code.size(), 14U);
        for (const char c : code) {
            ASSERT_NE(kAlphabet.find(c), std::string_view::npos) << code;
            seen.insert(c);
        }
    }
    // 2,800 draws over 36 characters: a character never drawn has probability ~36 * e^-78.
    EXPECT_EQ(seen.size(), kAlphabet.size());
}

}  // namespace
}  // namespace barrage::crypto
