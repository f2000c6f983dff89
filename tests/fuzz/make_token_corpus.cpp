// Writes the seed corpus of token_fuzz: a mode byte (see token_fuzz.cpp), then a whole token
// (mode 0), claims JSON (mode 1) or header JSON, NUL, claims JSON (mode 2).
// Usage: make_token_corpus <directory>   (the files in tests/fuzz/corpus/token came from
// `cmake --build build/fuzz --target make_token_corpus` and running it there; found_* files
// are inputs the fuzzer found, kept as they were).

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "identity/token.h"
#include "token_fuzz.h"

namespace {

using barrage::UserId;
using barrage::identity::Claims;

constexpr std::string_view kAliceClaims =
    R"({"uid":42,"name":"alice","face":"https://example.com/alice.png","role":"manager",)"
    R"("iat":1700000000,"exp":4102444800})";

void write(const std::string& directory, const std::string& name, char mode, std::string_view bytes) {
    std::ofstream file(directory + "/" + name, std::ios::binary);
    file.put(mode);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

Claims alice(std::int64_t expires_at_s) {
    return Claims{.uid = UserId{42},
                  .name = "alice",
                  .face = "https://example.com/alice.png",
                  .role = barrage::message::Role::manager,
                  .issued_at_s = 1'700'000'000,
                  .expires_at_s = expires_at_s};
}

void write_tokens(const std::string& dir) {
    using barrage::identity::sign_token;
    const std::string valid = sign_token(alice(4'102'444'800), kTokenFuzzSecret);
    write(dir, "token_signed", 0, valid);
    write(dir, "token_expired", 0, sign_token(alice(1'600'000'000), kTokenFuzzSecret));
    write(dir, "token_other_secret", 0, sign_token(alice(4'102'444'800), "another-secret"));
    const std::string admin_claims = R"({"uid":42,"name":"alice","role":"admin","iat":1700000000,"exp":4102444800})";
    const std::size_t first = valid.find('.');
    const std::size_t second = valid.rfind('.');
    write(dir, "token_tampered", 0, valid.substr(0, first + 1) + base64url(admin_claims) + valid.substr(second));
    write(dir, "token_alg_none", 0, base64url(R"({"alg":"none","typ":"JWT"})") + "." + base64url(admin_claims) + ".");
    write(dir, "token_garbage", 0, "Bearer not-a-token");
}

void write_claims(const std::string& dir) {
    write(dir, "claims_full", 1, kAliceClaims);
    write(dir, "claims_minimal", 1, R"({"uid":7,"name":"bob","exp":4102444800})");
    write(dir, "claims_javascript_issuer", 1,
          R"({"uid":1001,"name":"弹幕 tester","role":"viewer","iat":1700000000.125,)"
          R"("exp":1700003600.5,"jti":"a1b2"})");
    write(dir, "claims_wrong_kinds", 1, R"({"uid":"42","name":7,"role":"owner","exp":"tomorrow"})");
    write(dir, "claims_largest_uid", 1, R"({"uid":9223372036854775807,"name":"max","exp":4102444800})");
    std::string header_then_claims(R"({"typ":"JWT","alg":"HS256","kid":"2024-01"})");
    header_then_claims += '\0';
    header_then_claims += kAliceClaims;
    write(dir, "header_with_kid", 2, header_then_claims);
    std::string none_then_claims(R"({"alg":"none"})");
    none_then_claims += '\0';
    none_then_claims += kAliceClaims;
    write(dir, "header_alg_none", 2, none_then_claims);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
        return 2;
    }
    write_tokens(argv[1]);
    write_claims(argv[1]);
    return 0;
}
