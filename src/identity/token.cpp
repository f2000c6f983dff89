#include "identity/token.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "base/assert.h"
#include "crypto/constant_time.h"
#include "crypto/hmac.h"

namespace barrage::identity {

namespace {

// Tokens arrive in an HTTP header or an auth packet body. Real ones are a few hundred bytes;
// 8 KiB leaves room for long names and avatar URLs while bounding the base64 and JSON work an
// unauthenticated caller can make us do. Longer tokens are token_malformed.
constexpr std::size_t kTokenBytesMax = 8 * 1024;

using Signature = crypto::Sha256Digest;

constexpr std::string_view kBase64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::uint32_t byte_at(std::string_view bytes, std::size_t i) {
    return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0U;
}

// Base64url without padding (RFC 7515 section 2): each group of up to three bytes becomes
// one more character than it has bytes.
std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t group = byte_at(bytes, i) << 16 | byte_at(bytes, i + 1) << 8 | byte_at(bytes, i + 2);
        const std::size_t characters = std::min<std::size_t>(bytes.size() - i, 3) + 1;
        for (std::size_t k = 0; k < characters; ++k) {
            out += kBase64UrlAlphabet[group >> (18 - 6 * k) & 0x3F];
        }
    }
    return out;
}

// Value of one base64url character, or -1.
int base64url_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-') {
        return 62;
    }
    if (c == '_') {
        return 63;
    }
    return -1;
}

// Decodes unpadded base64url. Padding, characters outside the alphabet, an impossible length
// (4n+1) and non-zero leftover bits are rejected, so each byte string has exactly one accepted
// spelling and a signature cannot be re-spelled into a second valid token.
std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (const char c : text) {
        const int value = base64url_value(c);
        if (value < 0) {
            return std::nullopt;
        }
        bits = (bits << 6 | static_cast<std::uint32_t>(value)) & 0xFFFFFF;
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out += static_cast<char>(bits >> bit_count & 0xFF);
        }
    }
    const std::uint32_t leftover_mask = (1U << bit_count) - 1;
    if ((bits & leftover_mask) != 0) {
        return std::nullopt;
    }
    return out;
}

// Decodes one base64url part holding a JSON object.
std::optional<boost::json::object> decode_json_object(std::string_view part) {
    const std::optional<std::string> text = base64url_decode(part);
    if (!text) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(*text, ec);
    if (ec || !value.is_object()) {
        return std::nullopt;
    }
    return std::move(value.as_object());
}

// A JSON integer as int64 (uint64 above INT64_MAX saturates), or nullopt for other kinds.
std::optional<std::int64_t> as_int64(const boost::json::value& value) {
    if (value.is_int64()) {
        return value.get_int64();
    }
    if (value.is_uint64()) {
        const std::uint64_t v = value.get_uint64();
        return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? std::numeric_limits<std::int64_t>::max()
                   : static_cast<std::int64_t>(v);
    }
    return std::nullopt;
}

// NumericDate (RFC 7519): seconds, possibly fractional. Fractions are truncated; issuers in
// JavaScript often write Date.now() / 1000.
std::optional<std::int64_t> as_numeric_date(const boost::json::value& value) {
    if (const auto integer = as_int64(value)) {
        return integer;
    }
    if (value.is_double()) {
        const double v = value.get_double();
        // 2^62 is far past any real date and keeps the cast defined.
        if (std::isfinite(v) && std::fabs(v) < 4.6e18) {
            return static_cast<std::int64_t>(v);
        }
    }
    return std::nullopt;
}

// An optional string member: absent → `fallback`, present but not a string → nullopt.
std::optional<std::string> optional_string(const boost::json::object& object, std::string_view key,
                                           std::string_view fallback) {
    const boost::json::value* value = object.if_contains(key);
    if (value == nullptr) {
        return std::string(fallback);
    }
    if (!value->is_string()) {
        return std::nullopt;
    }
    return std::string(value->get_string());
}

// Reads and type-checks the claims except expiry, which the caller checks against the clock.
Result<Claims> read_claims(const boost::json::object& payload) {
    const auto bad_claims = make_error_code(Errc::token_bad_claims);
    Claims claims;

    const boost::json::value* uid = payload.if_contains("uid");
    if (uid == nullptr) {
        return bad_claims;
    }
    // Boost.JSON holds integers up to 2^63 - 1 as int64, so a uint64 uid is above kUidMax.
    if (!uid->is_int64() || uid->get_int64() < 1) {
        return bad_claims;
    }
    claims.uid = UserId{static_cast<std::uint64_t>(uid->get_int64())};

    const boost::json::value* name = payload.if_contains("name");
    if (name == nullptr || !name->is_string()) {
        return bad_claims;
    }
    claims.name = std::string(name->get_string());

    std::optional<std::string> face = optional_string(payload, "face", "");
    std::optional<std::string> role_name = optional_string(payload, "role", "viewer");
    if (!face || !role_name) {
        return bad_claims;
    }
    claims.face = std::move(*face);
    const std::optional<message::Role> role = message::parse_role(*role_name);
    if (!role) {
        return bad_claims;
    }
    claims.role = *role;

    // The operator's user level (UL), optional: the "minimum user level" chat mode reads it.
    if (const boost::json::value* level = payload.if_contains("level")) {
        if (!level->is_int64() || level->get_int64() < 0 || level->get_int64() > kLevelMax) {
            return bad_claims;
        }
        claims.level = static_cast<std::uint8_t>(level->get_int64());
    }
    // The one room the token may be used in, optional (an external bot's token).
    if (const boost::json::value* room = payload.if_contains("room")) {
        if (!room->is_int64() || room->get_int64() <= 0) {
            return bad_claims;
        }
        claims.room = RoomId{static_cast<std::uint64_t>(room->get_int64())};
    }

    if (const boost::json::value* iat = payload.if_contains("iat")) {
        const auto issued_at_s = as_numeric_date(*iat);
        if (!issued_at_s) {
            return bad_claims;
        }
        claims.issued_at_s = *issued_at_s;
    }
    const boost::json::value* exp = payload.if_contains("exp");
    const auto expires_at_s = exp == nullptr ? std::nullopt : as_numeric_date(*exp);
    if (!expires_at_s) {
        return bad_claims;
    }
    claims.expires_at_s = *expires_at_s;
    return claims;
}

}  // namespace

std::string sign_token(const Claims& claims, std::string_view secret) {
    // An empty secret would let anyone mint tokens; config loading rejects it before here.
    BARRAGE_ASSERT(!secret.empty());
    BARRAGE_ASSERT(claims.uid.value >= 1 && claims.uid.value <= kUidMax);
    const boost::json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
    boost::json::object payload{
        {"uid", claims.uid.value},   {"name", claims.name},
        {"face", claims.face},       {"role", message::to_string(claims.role)},
        {"iat", claims.issued_at_s}, {"exp", claims.expires_at_s},
    };
    if (claims.level != 0) {
        payload["level"] = claims.level;
    }
    if (claims.room.value != 0) {
        payload["room"] = claims.room.value;
    }
    std::string token = base64url_encode(boost::json::serialize(header));
    token += '.';
    token += base64url_encode(boost::json::serialize(payload));
    const Signature mac = crypto::hmac_sha256(secret, token);
    token += '.';
    token += base64url_encode(crypto::bytes_of(mac));
    return token;
}

// Order of checks: shape first (three parts, base64url, JSON objects) so a garbled token is
// always token_malformed; then algorithm and signature; only then the claims, so nothing in an
// unauthenticated payload decides anything but "malformed".
Result<Claims> verify_token(std::string_view token, std::string_view secret, const Clock& clock) {
    const auto malformed = make_error_code(Errc::token_malformed);
    const auto bad_signature = make_error_code(Errc::token_bad_signature);
    if (token.size() > kTokenBytesMax) {
        return malformed;
    }
    const std::size_t first_dot = token.find('.');
    const std::size_t second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
        return malformed;
    }
    const std::string_view signing_input = token.substr(0, second_dot);
    const auto header = decode_json_object(token.substr(0, first_dot));
    const auto payload = decode_json_object(token.substr(first_dot + 1, second_dot - first_dot - 1));
    const auto signature = base64url_decode(token.substr(second_dot + 1));
    if (!header || !payload || !signature) {
        return malformed;
    }

    // Only HS256: accepting "none" or letting the token pick its algorithm is the classic JWT
    // forgery.
    const boost::json::value* alg = header->if_contains("alg");
    if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") {
        return bad_signature;
    }
    // An empty secret would verify tokens anyone can make.
    if (secret.empty()) {
        return bad_signature;
    }
    const Signature expected = crypto::hmac_sha256(secret, signing_input);
    if (!crypto::equal_in_constant_time(crypto::bytes_of(expected), *signature)) {
        return bad_signature;
    }

    Result<Claims> claims = read_claims(*payload);
    if (!claims) {
        return claims;
    }
    const std::int64_t now_s = clock.wall_ms() / 1000;
    if (claims->expires_at_s <= now_s) {
        return make_error_code(Errc::token_expired);
    }
    return claims;
}

}  // namespace barrage::identity
