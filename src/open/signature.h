#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "open/nonce_cache.h"
#include "open/open_code.h"

namespace barrage::open {

// The seven headers of a signed open-platform request (PROTOCOL.md §2, signature version 1.0),
// values as sent. Header names arrive in any case; `from` matches them case-insensitively.
struct SignedHeaders {
    std::string access_key_id;      // x-bili-accesskeyid
    std::string content_md5;        // x-bili-content-md5: lowercase hex MD5 of the raw body
    std::string signature_method;   // x-bili-signature-method: HMAC-SHA256
    std::string signature_nonce;    // x-bili-signature-nonce
    std::string signature_version;  // x-bili-signature-version: 1.0
    std::string timestamp;          // x-bili-timestamp: Unix seconds
    std::string authorization;      // Authorization: lowercase hex HMAC-SHA256 of the canonical string

    // Reads them through `header` (a lookup by lower-case name; "" when absent).
    static SignedHeaders from(const std::function<std::string_view(std::string_view lower_name)>& header);
};

// The string a request signs: the six x-bili-* headers as "name:value", names lower-case and
// sorted, joined by "\n" with no trailing newline.
std::string canonical_string(const SignedHeaders& headers);

// What a client puts in Authorization (for tests, the debug tool and `barrage open` samples).
std::string sign(std::string_view access_key_secret, const SignedHeaders& headers);

struct SignatureLimits {
    std::int64_t window_s = 600;  // |x-bili-timestamp - now| must be at most this
};

// Checks a request as Bilibili's open platform does, in this order: the key (4001: empty or
// unknown), the method (4005), the version (4006), a nonce at all (4000), the timestamp (4003),
// the body's MD5 (4012, over the raw bytes, never re-serialised; hex in either case), the
// signature (4002, compared in constant time; hex in either case),
// and only then the nonce (4004), so requests an attacker cannot sign never fill the nonce
// cache (a key past its cache bound is 4009). `secret_of` finds a key's current secret.
OpenCode verify_signature(const SignedHeaders& headers, std::string_view body,
                          const std::function<std::optional<std::string>(std::string_view key_id)>& secret_of,
                          std::int64_t now_s, NonceCache& nonces, const SignatureLimits& limits = {});

}  // namespace barrage::open
