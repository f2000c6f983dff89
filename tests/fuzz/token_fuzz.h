#pragma once

// What token_fuzz and make_token_corpus share: the secret, so the seeds hold tokens that
// verify, and a token maker independent of identity/token.cpp, so a bug there cannot hide
// itself.

#include <array>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/hmac.h>

inline constexpr std::string_view kTokenFuzzSecret = "fuzz-secret-0123456789abcdef";

// Base64url without padding (RFC 7515 section 2).
inline std::string base64url(std::string_view bytes) {
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

// The third part of a token whose first two are `signing_input`, under `secret`.
inline std::string signature_of(std::string_view signing_input, std::string_view secret = kTokenFuzzSecret) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac.data(), &length);
    return base64url(std::string_view(reinterpret_cast<const char*>(mac.data()), length));
}

// A token of exactly this header and payload JSON, signed with `secret`.
inline std::string signed_token(std::string_view header_json, std::string_view payload_json,
                                std::string_view secret = kTokenFuzzSecret) {
    std::string token = base64url(header_json) + "." + base64url(payload_json);
    return token + "." + signature_of(token, secret);
}
