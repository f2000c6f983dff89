#include "identity/token.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/clock.h"
#include "base/errc.h"

namespace barrage::identity {
namespace {

constexpr std::string_view kSecret = "test-secret-0123456789";
constexpr std::int64_t kNowS = 1'700'000'000;  // FakeClock's default start, in seconds

// Independent encoder for the tests, so a bug in the production encoder cannot hide itself.
std::string base64url(std::string_view bytes) {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned int bits = 0;
    int bit_count = 0;
    for (const char c : bytes) {
        bits = (bits << 8 | static_cast<unsigned char>(c)) & 0xFFFFU;
        bit_count += 8;
        while (bit_count >= 6) {
            bit_count -= 6;
            out += kAlphabet[bits >> bit_count & 0x3FU];
        }
    }
    if (bit_count > 0) {
        out += kAlphabet[bits << (6 - bit_count) & 0x3FU];
    }
    return out;
}

std::string hmac_sha256(std::string_view secret, std::string_view data) {
    std::array<unsigned char, 32> mac{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &length);
    return std::string(reinterpret_cast<const char*>(mac.data()), length);
}

// A token with exactly this header and payload JSON, signed with `secret`.
std::string make_token(std::string_view header_json, std::string_view payload_json, std::string_view secret = kSecret) {
    std::string token = base64url(header_json) + "." + base64url(payload_json);
    return token + "." + base64url(hmac_sha256(secret, token));
}

constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

std::string signed_payload(std::string_view payload_json) {
    return make_token(kHs256Header, payload_json);
}

Claims alice() {
    return Claims{.uid = UserId{42},
                  .name = "alice",
                  .face = "https://example.com/alice.png",
                  .role = message::Role::manager,
                  .issued_at_s = kNowS,
                  .expires_at_s = kNowS + 3600};
}

std::error_code error_of(std::string_view token, std::string_view secret = kSecret) {
    const FakeClock clock;
    const Result<Claims> result = verify_token(token, secret, clock);
    EXPECT_FALSE(result) << "token unexpectedly verified: " << token;
    return result ? std::error_code{} : result.error();
}

TEST(Token, SignedTokenVerifiesWithAllClaims) {
    const FakeClock clock;
    const std::string token = sign_token(alice(), kSecret);
    const Result<Claims> claims = verify_token(token, kSecret, clock);
    ASSERT_TRUE(claims) << claims.error().message();
    EXPECT_EQ(claims->uid, UserId{42});
    EXPECT_EQ(claims->name, "alice");
    EXPECT_EQ(claims->face, "https://example.com/alice.png");
    EXPECT_EQ(claims->role, message::Role::manager);
    EXPECT_EQ(claims->issued_at_s, kNowS);
    EXPECT_EQ(claims->expires_at_s, kNowS + 3600);
}

TEST(Token, SignedTokenIsThreeUnpaddedBase64UrlParts) {
    const std::string token = sign_token(alice(), kSecret);
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_."),
              std::string::npos);
    // The header is fixed, so its encoding is too.
    EXPECT_EQ(token.substr(0, token.find('.')), base64url(kHs256Header));
}

TEST(Token, RoundTripsNonAsciiNameAndLargestUid) {
    const FakeClock clock;
    Claims claims = alice();
    claims.uid = UserId{9'223'372'036'854'775'807ULL};  // 2^63 - 1
    claims.name = "弹幕🎉";
    const Result<Claims> verified = verify_token(sign_token(claims, kSecret), kSecret, clock);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->uid, claims.uid);
    EXPECT_EQ(verified->name, claims.name);
}

// Made outside this code base, with Python's standard library:
//   b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
//   dump = lambda o: json.dumps(o, separators=(",", ":"), ensure_ascii=False).encode()
//   head = b64(dump({"alg": "HS256", "typ": "JWT"}))
//   body = b64(dump({"uid": 4242, "name": "弹幕 tester", "face": "https://example.com/a.png",
//                    "role": "manager", "iat": 1700000000, "exp": 4102444800}))
//   mac = hmac.new(b"python-cross-check-secret", f"{head}.{body}".encode(), hashlib.sha256)
//   token = f"{head}.{body}.{b64(mac.digest())}"
constexpr std::string_view kPythonSecret = "python-cross-check-secret";
constexpr std::string_view kPythonToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ1aWQiOjQyNDIsIm5hbWUiOiLlvLnluZUgdGVzdGVyIiwiZmFjZSI6Imh0dHBzOi8vZXhhbXBsZS5jb20vYS5wbmci"
    "LCJyb2xlIjoibWFuYWdlciIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ."
    "a1mKdXoKvMp2oOZnZAv4KShksLu1a7b2uO-2Y-LkcuY";

TEST(Token, AcceptsTokenMadeByAnIndependentImplementation) {
    const FakeClock clock;
    const Result<Claims> claims = verify_token(kPythonToken, kPythonSecret, clock);
    ASSERT_TRUE(claims) << claims.error().message();
    EXPECT_EQ(claims->uid, UserId{4242});
    EXPECT_EQ(claims->name, "弹幕 tester");
    EXPECT_EQ(claims->face, "https://example.com/a.png");
    EXPECT_EQ(claims->role, message::Role::manager);
    EXPECT_EQ(claims->issued_at_s, 1'700'000'000);
    EXPECT_EQ(claims->expires_at_s, 4'102'444'800);
}

TEST(Token, IndependentTokenExpiresAtItsExp) {
    const FakeClock clock(4'102'444'800'000);
    const Result<Claims> claims = verify_token(kPythonToken, kPythonSecret, clock);
    ASSERT_FALSE(claims);
    EXPECT_EQ(claims.error(), Errc::token_expired);
}

TEST(Token, RejectsForgedSignature) {
    std::string token = sign_token(alice(), kSecret);
    const std::size_t dot = token.rfind('.');
    const std::string forged = base64url(std::string(32, 'x'));
    token.replace(dot + 1, std::string::npos, forged);
    EXPECT_EQ(error_of(token), Errc::token_bad_signature);
}

TEST(Token, RejectsTruncatedSignature) {
    std::string token = sign_token(alice(), kSecret);
    const std::string shorter = base64url(hmac_sha256(kSecret, "x").substr(0, 30));
    token.replace(token.rfind('.') + 1, std::string::npos, shorter);
    EXPECT_EQ(error_of(token), Errc::token_bad_signature);
}

TEST(Token, RejectsEmptySignature) {
    std::string token = sign_token(alice(), kSecret);
    token.erase(token.rfind('.') + 1);
    EXPECT_EQ(error_of(token), Errc::token_bad_signature);
}

TEST(Token, RejectsAlgNone) {
    const std::string payload = R"({"uid":1,"name":"mallory","role":"admin","exp":4102444800})";
    const std::string unsigned_token = base64url(R"({"alg":"none","typ":"JWT"})") + "." + base64url(payload) + ".";
    EXPECT_EQ(error_of(unsigned_token), Errc::token_bad_signature);
    // Even correctly MACed, a token that names another algorithm is refused.
    EXPECT_EQ(error_of(make_token(R"({"alg":"none"})", payload)), Errc::token_bad_signature);
    EXPECT_EQ(error_of(make_token(R"({"alg":"HS512"})", payload)), Errc::token_bad_signature);
    EXPECT_EQ(error_of(make_token(R"({"alg":"hs256"})", payload)), Errc::token_bad_signature);
    EXPECT_EQ(error_of(make_token(R"({"typ":"JWT"})", payload)), Errc::token_bad_signature);
    EXPECT_EQ(error_of(make_token(R"({"alg":256})", payload)), Errc::token_bad_signature);
}

TEST(Token, RejectsTamperedPayload) {
    const std::string token = sign_token(alice(), kSecret);
    const std::size_t first = token.find('.');
    const std::size_t second = token.rfind('.');
    const std::string promoted =
        base64url(R"({"uid":42,"name":"alice","role":"admin","iat":1700000000,"exp":1700003600})");
    const std::string tampered = token.substr(0, first + 1) + promoted + token.substr(second);
    EXPECT_EQ(error_of(tampered), Errc::token_bad_signature);
}

TEST(Token, RejectsWrongSecret) {
    const std::string token = sign_token(alice(), kSecret);
    EXPECT_EQ(error_of(token, "another-secret"), Errc::token_bad_signature);
    EXPECT_EQ(error_of(token, ""), Errc::token_bad_signature);
}

TEST(Token, ExpiresWhenClockReachesExp) {
    FakeClock clock;
    const std::string token = sign_token(alice(), kSecret);
    clock.advance_ms(3600 * 1000 - 1);
    EXPECT_TRUE(verify_token(token, kSecret, clock));
    clock.advance_ms(1);
    const Result<Claims> expired = verify_token(token, kSecret, clock);
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error(), Errc::token_expired);
}

TEST(Token, RejectsWrongNumberOfParts) {
    const std::string token = sign_token(alice(), kSecret);
    EXPECT_EQ(error_of(token.substr(0, token.rfind('.'))), Errc::token_malformed);
    EXPECT_EQ(error_of(token + ".x"), Errc::token_malformed);
    EXPECT_EQ(error_of(""), Errc::token_malformed);
    EXPECT_EQ(error_of("abc"), Errc::token_malformed);
    EXPECT_EQ(error_of(".."), Errc::token_malformed);
}

TEST(Token, RejectsBadBase64) {
    const std::string token = sign_token(alice(), kSecret);
    const std::size_t first = token.find('.');
    EXPECT_EQ(error_of("*" + token.substr(1)), Errc::token_malformed);
    EXPECT_EQ(error_of(token.substr(0, first + 1) + "e+" + token.substr(first + 3)), Errc::token_malformed);
    // Standard padding is not part of a JWT.
    EXPECT_EQ(error_of(token + "="), Errc::token_malformed);
    // 4n+1 characters cannot encode whole bytes.
    EXPECT_EQ(error_of("eyJhb." + token.substr(first + 1)), Errc::token_malformed);
}

TEST(Token, RejectsSecondSpellingOfSignature) {
    // 32 bytes encode to 43 characters whose last carries 2 unused bits; flipping them must
    // not give a second valid token.
    const std::string token = sign_token(alice(), kSecret);
    std::string respelled = token;
    const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const std::size_t last = alphabet.find(respelled.back());
    respelled.back() = alphabet[last ^ 1U];
    EXPECT_EQ(error_of(respelled), Errc::token_malformed);
}

TEST(Token, RejectsNonJsonParts) {
    EXPECT_EQ(error_of(signed_payload("not json")), Errc::token_malformed);
    EXPECT_EQ(error_of(signed_payload(R"([1,2,3])")), Errc::token_malformed);
    EXPECT_EQ(error_of(signed_payload(R"({"uid":1,)")), Errc::token_malformed);
    EXPECT_EQ(error_of(make_token("{", R"({"uid":1,"name":"a","exp":4102444800})")), Errc::token_malformed);
}

TEST(Token, RejectsOverlongToken) {
    const std::string name(9000, 'a');
    const std::string payload = R"({"uid":1,"name":")" + name + R"(","exp":4102444800})";
    EXPECT_EQ(error_of(signed_payload(payload)), Errc::token_malformed);
}

TEST(Token, RejectsBadClaims) {
    const char* cases[] = {
        R"({"name":"a","exp":4102444800})",                         // uid missing
        R"({"uid":-1,"name":"a","exp":4102444800})",                // uid negative
        R"({"uid":"42","name":"a","exp":4102444800})",              // uid a string
        R"({"uid":4.5,"name":"a","exp":4102444800})",               // uid fractional
        R"({"uid":1,"exp":4102444800})",                            // name missing
        R"({"uid":1,"name":7,"exp":4102444800})",                   // name not a string
        R"({"uid":1,"name":"a","role":"owner","exp":4102444800})",  // unknown role
        R"({"uid":1,"name":"a","role":5,"exp":4102444800})",        // role not a string
        R"({"uid":1,"name":"a","face":null,"exp":4102444800})",     // face not a string
        R"({"uid":1,"name":"a"})",                                  // exp missing
        R"({"uid":1,"name":"a","exp":"tomorrow"})",                 // exp not a number
        R"({"uid":1,"name":"a","iat":"now","exp":4102444800})",     // iat not a number
        R"({"uid":1,"name":"a","level":101,"exp":4102444800})",     // level over 100
        R"({"uid":1,"name":"a","level":-1,"exp":4102444800})",      // level below 0
        R"({"uid":1,"name":"a","level":"9","exp":4102444800})",     // level not a number
        R"({"uid":1,"name":"a","room":0,"exp":4102444800})",        // room 0 is no room
        R"({"uid":1,"name":"a","room":"1","exp":4102444800})",      // room not a number
    };
    for (const char* payload : cases) {
        EXPECT_EQ(error_of(signed_payload(payload)), Errc::token_bad_claims) << payload;
    }
}

TEST(Token, TheUserLevelClaimRoundTripsAndDefaultsToZero) {
    const FakeClock clock;
    Claims leveled = alice();
    leveled.level = 42;
    auto read = verify_token(sign_token(leveled, kSecret), kSecret, clock);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->level, 42);
    auto plain = verify_token(sign_token(alice(), kSecret), kSecret, clock);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->level, 0);
}

TEST(Token, TheRoomClaimRoundTripsAndDefaultsToAnyRoom) {
    const FakeClock clock;
    Claims scoped = alice();
    scoped.room = RoomId{12};
    auto read = verify_token(sign_token(scoped, kSecret), kSecret, clock);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->room, RoomId{12});
    auto plain = verify_token(sign_token(alice(), kSecret), kSecret, clock);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->room, RoomId{0});
}

TEST(Token, RejectsUidOutsideOneToInt64Max) {
    // 0 is the anonymous user; ids above 2^63 - 1 do not fit the signed 64-bit integers users
    // are stored as.
    const char* cases[] = {
        R"({"uid":0,"name":"a","exp":4102444800})",
        R"({"uid":9223372036854775808,"name":"a","exp":4102444800})",
        R"({"uid":18446744073709551615,"name":"a","exp":4102444800})",
    };
    for (const char* payload : cases) {
        EXPECT_EQ(error_of(signed_payload(payload)), Errc::token_bad_claims) << payload;
    }
    const FakeClock clock;
    const Result<Claims> smallest =
        verify_token(signed_payload(R"({"uid":1,"name":"a","exp":4102444800})"), kSecret, clock);
    ASSERT_TRUE(smallest);
    EXPECT_EQ(smallest->uid, UserId{1});
    const Result<Claims> largest =
        verify_token(signed_payload(R"({"uid":9223372036854775807,"name":"a","exp":4102444800})"), kSecret, clock);
    ASSERT_TRUE(largest);
    EXPECT_EQ(largest->uid, UserId{9'223'372'036'854'775'807ULL});
}

TEST(Token, SigningRefusesUidOutsideOneToInt64Max) {
    Claims claims = alice();
    claims.uid = UserId{0};
    EXPECT_DEATH(sign_token(claims, kSecret), "assertion failed");
    claims.uid = UserId{9'223'372'036'854'775'808ULL};
    EXPECT_DEATH(sign_token(claims, kSecret), "assertion failed");
}

TEST(Token, DefaultsFaceAndRole) {
    const FakeClock clock;
    const Result<Claims> claims =
        verify_token(signed_payload(R"({"uid":7,"name":"bob","exp":4102444800})"), kSecret, clock);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->face, "");
    EXPECT_EQ(claims->role, message::Role::viewer);
    EXPECT_EQ(claims->issued_at_s, 0);
}

TEST(Token, AcceptsFractionalNumericDates) {
    const FakeClock clock;
    const Result<Claims> claims = verify_token(
        signed_payload(R"({"uid":7,"name":"bob","iat":1700000000.25,"exp":1700000060.5})"), kSecret, clock);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->expires_at_s, 1'700'000'060);
}

TEST(Token, ChecksSignatureBeforeClaims) {
    // A token with bad claims and a bad signature says nothing about its claims.
    const std::string token = make_token(kHs256Header, R"({"uid":-1})", "other-secret");
    EXPECT_EQ(error_of(token), Errc::token_bad_signature);
}

}  // namespace
}  // namespace barrage::identity
