#include "open/signature.h"

#include <algorithm>
#include <charconv>

#include "crypto/constant_time.h"
#include "crypto/digest.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"

namespace barrage::open {

SignedHeaders SignedHeaders::from(const std::function<std::string_view(std::string_view lower_name)>& header) {
    SignedHeaders headers;
    headers.access_key_id = header("x-bili-accesskeyid");
    headers.content_md5 = header("x-bili-content-md5");
    headers.signature_method = header("x-bili-signature-method");
    headers.signature_nonce = header("x-bili-signature-nonce");
    headers.signature_version = header("x-bili-signature-version");
    headers.timestamp = header("x-bili-timestamp");
    headers.authorization = header("authorization");
    return headers;
}

std::string canonical_string(const SignedHeaders& headers) {
    std::string out;
    out.reserve(256);
    out.append("x-bili-accesskeyid:").append(headers.access_key_id);
    out.append("\nx-bili-content-md5:").append(headers.content_md5);
    out.append("\nx-bili-signature-method:").append(headers.signature_method);
    out.append("\nx-bili-signature-nonce:").append(headers.signature_nonce);
    out.append("\nx-bili-signature-version:").append(headers.signature_version);
    out.append("\nx-bili-timestamp:").append(headers.timestamp);
    return out;
}

std::string sign(std::string_view access_key_secret, const SignedHeaders& headers) {
    return crypto::to_hex(crypto::bytes_of(crypto::hmac_sha256(access_key_secret, canonical_string(headers))));
}

namespace {

std::optional<std::int64_t> seconds_of(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

OpenCode verify_signature(const SignedHeaders& headers, std::string_view body,
                          const std::function<std::optional<std::string>(std::string_view key_id)>& secret_of,
                          std::int64_t now_s, NonceCache& nonces, const SignatureLimits& limits) {
    if (headers.access_key_id.empty()) {
        return OpenCode::invalid_app;
    }
    const std::optional<std::string> secret = secret_of(headers.access_key_id);
    if (!secret || secret->empty()) {
        return OpenCode::invalid_app;
    }
    if (headers.signature_method != "HMAC-SHA256") {
        return OpenCode::bad_signature_method;
    }
    if (headers.signature_version != "1.0") {
        return OpenCode::bad_signature_version;
    }
    if (headers.signature_nonce.empty()) {
        return OpenCode::bad_parameters;  // nothing to tell a replay from the first request by
    }
    const auto sent_s = seconds_of(headers.timestamp);
    if (!sent_s || *sent_s < now_s - limits.window_s || *sent_s > now_s + limits.window_s) {
        return OpenCode::request_expired;
    }
    // Clients send lowercase hex; some libraries print MD5 in capitals, and both name the same
    // bytes, so the comparison ignores case.
    const std::string md5 = crypto::md5_hex(body);
    const auto same_digit = [](char ours, char theirs) {
        return ours == (theirs >= 'A' && theirs <= 'F' ? theirs - 'A' + 'a' : theirs);
    };
    if (headers.content_md5.size() != md5.size() ||
        !std::equal(md5.begin(), md5.end(), headers.content_md5.begin(), same_digit)) {
        return OpenCode::bad_content_md5;
    }
    std::string authorization = headers.authorization;
    for (char& c : authorization) {
        c = c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (!crypto::equal_in_constant_time(authorization, sign(*secret, headers))) {
        return OpenCode::bad_signature;
    }
    switch (nonces.remember(headers.access_key_id, headers.signature_nonce, now_s)) {
        case NonceCache::Outcome::fresh: return OpenCode::ok;
        case NonceCache::Outcome::seen: return OpenCode::duplicate_request;
        case NonceCache::Outcome::key_full: return OpenCode::access_limited;
    }
    return OpenCode::access_limited;
}

}  // namespace barrage::open
