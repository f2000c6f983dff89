// libFuzzer target for user tokens (identity/token.h). The first byte picks what the rest is:
//   0  a whole token, as an attacker without the secret would present it;
//   1  the claims JSON of a token signed with the right secret, as a careless or hostile
//      issuer (the operator's site) would make it;
//   2  a header JSON, a NUL, then claims JSON, signed with the right secret.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - errors are only the four token errors;
//   - nothing verifies, and no claim is looked at, unless the signature is the HMAC of the
//     token under the secret (checked here with OpenSSL directly);
//   - a verified token has a uid in 1..2^63-1, a known role and an expiry after now, and
//     signing its claims again gives a token that verifies to the same claims;
//   - a correctly signed token is refused only for its shape or its claims, never its signature,
//     unless its header names another algorithm.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "base/assert.h"
#include "base/clock.h"
#include "identity/token.h"
#include "token_fuzz.h"

namespace {

using barrage::Errc;
using barrage::Result;
using barrage::identity::Claims;

constexpr std::string_view kSecret = kTokenFuzzSecret;
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";
// identity/token.cpp refuses longer tokens as malformed.
constexpr std::size_t kTokenBytesMax = 8 * 1024;

// True when the last part of `token` is the HMAC of the rest under kSecret.
bool carries_signature(std::string_view token) {
    const std::size_t dot = token.rfind('.');
    return dot != std::string_view::npos && token.substr(dot + 1) == signature_of(token.substr(0, dot));
}

bool header_names_hs256(std::string_view header_json) {
    boost::system::error_code ec;
    const boost::json::value header = boost::json::parse(header_json, ec);
    if (ec || !header.is_object()) {
        return false;
    }
    const boost::json::value* alg = header.get_object().if_contains("alg");
    return alg != nullptr && alg->is_string() && alg->get_string() == "HS256";
}

bool same_claims(const Claims& left, const Claims& right) {
    return left.uid == right.uid && left.name == right.name && left.face == right.face && left.role == right.role &&
           left.issued_at_s == right.issued_at_s && left.expires_at_s == right.expires_at_s &&
           left.level == right.level && left.room == right.room;
}

Result<Claims> verify_checked(std::string_view token, const barrage::Clock& clock) {
    Result<Claims> claims = barrage::identity::verify_token(token, kSecret, clock);
    if (!claims) {
        const std::error_code error = claims.error();
        BARRAGE_ASSERT(error == Errc::token_malformed || error == Errc::token_bad_signature ||
                       error == Errc::token_expired || error == Errc::token_bad_claims);
        // Claims are read only after the signature is checked.
        if (error == Errc::token_expired || error == Errc::token_bad_claims) {
            BARRAGE_ASSERT(carries_signature(token));
        }
        return claims;
    }
    BARRAGE_ASSERT(carries_signature(token));
    BARRAGE_ASSERT(claims->uid.value >= 1);
    BARRAGE_ASSERT(claims->uid.value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    BARRAGE_ASSERT(barrage::message::to_string(claims->role) != "unknown");
    BARRAGE_ASSERT(claims->expires_at_s > clock.wall_ms() / 1000);
    return claims;
}

// Signing verified claims again must give a token that verifies to the same claims.
void check_resign(const Claims& claims, const barrage::Clock& clock) {
    const std::string token = barrage::identity::sign_token(claims, kSecret);
    const Result<Claims> again = barrage::identity::verify_token(token, kSecret, clock);
    if (token.size() > kTokenBytesMax) {
        BARRAGE_ASSERT(!again && again.error() == Errc::token_malformed);
        return;
    }
    BARRAGE_ASSERT(again && same_claims(claims, *again));
}

void check_signed(std::string_view header_json, std::string_view payload_json, const barrage::Clock& clock) {
    const std::string token = signed_token(header_json, payload_json);
    const Result<Claims> claims = verify_checked(token, clock);
    if (claims) {
        BARRAGE_ASSERT(header_names_hs256(header_json));
        check_resign(*claims, clock);
        return;
    }
    if (claims.error() == Errc::token_bad_signature) {
        BARRAGE_ASSERT(!header_names_hs256(header_json));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const barrage::FakeClock clock;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 3) {
        case 0: {
            const Result<Claims> claims = verify_checked(rest, clock);
            if (claims) {
                check_resign(*claims, clock);
            }
            break;
        }
        case 1: check_signed(kHs256Header, rest, clock); break;
        default: {
            const std::size_t nul = rest.find('\0');
            if (nul != std::string_view::npos) {
                check_signed(rest.substr(0, nul), rest.substr(nul + 1), clock);
            }
            break;
        }
    }
    return 0;
}
