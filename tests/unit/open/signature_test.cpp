#include "open/signature.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "crypto/digest.h"

namespace barrage::open {
namespace {

// Made independently with Python's hmac and hashlib: the six headers sorted, "name:value"
// joined by "\n", HMAC-SHA256 under "demo-secret"; the body as blivedm sends it (json.dumps,
// with spaces).
constexpr std::string_view kBody = R"({"code": "ABCDEF123456", "app_id": 1})";
constexpr std::string_view kBodyMd5 = "71c146a85aa40407594d816e995aec47";
constexpr std::string_view kPythonSignature = "57fb6b9a523ad8dcef23e7c3e87be47e1b2ca097c094d9ff869845264aeb88b3";
constexpr std::int64_t kSentAt = 1'700'000'000;

SignedHeaders signed_request() {
    SignedHeaders headers;
    headers.access_key_id = "AKID-demo";
    headers.content_md5 = std::string(kBodyMd5);
    headers.signature_method = "HMAC-SHA256";
    headers.signature_nonce = "9f86d081884c7d659a2feaa0c55ad015";
    headers.signature_version = "1.0";
    headers.timestamp = std::to_string(kSentAt);
    headers.authorization = std::string(kPythonSignature);
    return headers;
}

std::optional<std::string> secret_of(std::string_view key) {
    if (key == "AKID-demo") return std::string("demo-secret");
    if (key == "AKID-other") return std::string("other-secret");
    return std::nullopt;
}

OpenCode verify(const SignedHeaders& headers, std::string_view body, NonceCache& nonces, std::int64_t now_s = kSentAt) {
    return verify_signature(headers, body, secret_of, now_s, nonces);
}

TEST(OpenSignature, CanonicalStringAndSignatureMatchAnIndependentImplementation) {
    EXPECT_EQ(crypto::md5_hex(kBody), kBodyMd5);
    EXPECT_EQ(crypto::md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(canonical_string(signed_request()),
              "x-bili-accesskeyid:AKID-demo\n"
              "x-bili-content-md5:71c146a85aa40407594d816e995aec47\n"
              "x-bili-signature-method:HMAC-SHA256\n"
              "x-bili-signature-nonce:9f86d081884c7d659a2feaa0c55ad015\n"
              "x-bili-signature-version:1.0\n"
              "x-bili-timestamp:1700000000");
    EXPECT_EQ(sign("demo-secret", signed_request()), kPythonSignature);
}

TEST(OpenSignature, AcceptsASignedRequestOnceAndRefusesItsReplay) {
    NonceCache nonces({});
    EXPECT_EQ(verify(signed_request(), kBody, nonces), OpenCode::ok);
    EXPECT_EQ(verify(signed_request(), kBody, nonces, kSentAt + 5), OpenCode::duplicate_request);
}

TEST(OpenSignature, HeaderNamesInAnyCaseAndHexInEitherCase) {
    // Go's resty sends X-Bili-Accesskeyid and the like; the lookup is by lower-case name.
    std::map<std::string, std::string> sent{
        {"x-bili-accesskeyid", "AKID-demo"},        {"x-bili-content-md5", "71C146A85AA40407594D816E995AEC47"},
        {"x-bili-signature-method", "HMAC-SHA256"}, {"x-bili-signature-nonce", "n-1"},
        {"x-bili-signature-version", "1.0"},        {"x-bili-timestamp", "1700000000"},
    };
    auto headers = SignedHeaders::from([&sent](std::string_view name) -> std::string_view {
        auto found = sent.find(std::string(name));
        return found == sent.end() ? std::string_view() : std::string_view(found->second);
    });
    headers.authorization = sign("demo-secret", headers);
    for (char& c : headers.authorization) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    NonceCache nonces({});
    EXPECT_EQ(verify(headers, kBody, nonces), OpenCode::ok);
}

TEST(OpenSignature, EachBrokenPartHasItsOwnCode) {
    NonceCache nonces({});
    const auto with = [](auto change) {
        SignedHeaders headers = signed_request();
        change(headers);
        return headers;
    };
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.access_key_id = ""; }), kBody, nonces), OpenCode::invalid_app);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.access_key_id = "AKID-nobody"; }), kBody, nonces),
              OpenCode::invalid_app);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.signature_method = "HMAC-SHA1"; }), kBody, nonces),
              OpenCode::bad_signature_method);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.signature_version = "2.0"; }), kBody, nonces),
              OpenCode::bad_signature_version);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.signature_nonce = ""; }), kBody, nonces), OpenCode::bad_parameters);
    EXPECT_EQ(verify(signed_request(), kBody, nonces, kSentAt + 601), OpenCode::request_expired);
    EXPECT_EQ(verify(signed_request(), kBody, nonces, kSentAt - 601), OpenCode::request_expired);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.timestamp = "17e8"; }), kBody, nonces), OpenCode::request_expired);
    // The MD5 is of the raw bytes: the same JSON spelled compactly is another body.
    EXPECT_EQ(verify(signed_request(), R"({"code":"ABCDEF123456","app_id":1})", nonces), OpenCode::bad_content_md5);
    // Signed under another secret, or a signed header changed after signing.
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.authorization = sign("wrong-secret", h); }), kBody, nonces),
              OpenCode::bad_signature);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.signature_nonce = "another"; }), kBody, nonces),
              OpenCode::bad_signature);
    EXPECT_EQ(verify(with([](SignedHeaders& h) { h.authorization = ""; }), kBody, nonces), OpenCode::bad_signature);
    // None of those used up the nonce: the genuine request, at the edge of the window, passes.
    EXPECT_EQ(verify(signed_request(), kBody, nonces, kSentAt + 600), OpenCode::ok);
}

TEST(NonceCache, RemembersForTheWindowThenForgets) {
    NonceCache nonces({.remember_s = 1200, .per_key_max = 10});
    EXPECT_EQ(nonces.remember("k", "n", 1000), NonceCache::Outcome::fresh);
    EXPECT_EQ(nonces.remember("k", "n", 2199), NonceCache::Outcome::seen);
    EXPECT_EQ(nonces.remember("other", "n", 2199), NonceCache::Outcome::fresh);  // per key
    EXPECT_EQ(nonces.remember("k", "n", 2200), NonceCache::Outcome::fresh);      // expired, then new
    EXPECT_EQ(nonces.size(), 2U);
}

TEST(NonceCache, AKeyPastItsBoundIsRefusedAndOthersAreNot) {
    NonceCache nonces({.remember_s = 100, .per_key_max = 3});
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(nonces.remember("busy", std::to_string(i), 0), NonceCache::Outcome::fresh);
    }
    EXPECT_EQ(nonces.remember("busy", "3", 1), NonceCache::Outcome::key_full);
    EXPECT_EQ(nonces.remember("calm", "0", 1), NonceCache::Outcome::fresh);
    EXPECT_EQ(nonces.remember("busy", "3", 100), NonceCache::Outcome::fresh);  // the first ones expired
    EXPECT_EQ(nonces.size(), 2U);
}

}  // namespace
}  // namespace barrage::open
