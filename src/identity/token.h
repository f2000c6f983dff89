#pragma once

// User tokens: HS256 JWTs issued by the operator's site (or `barrage token`) and verified here.
// Claims: {"uid":42,"name":"alice","face":"https://...","role":"viewer","level":12,"iat":...,"exp":...}
// ("face", "role" and "level" are optional: "", "viewer", 0).

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "message/role.h"

namespace barrage::identity {

// A token names a user id in 1..kUidMax. 0 is the anonymous user, whom no token speaks for;
// above 2^63 - 1 an id cannot be stored (SQLite integers and the config are signed 64-bit),
// so it could name no user and would wrap if it reached the database.
inline constexpr std::uint64_t kUidMax = std::numeric_limits<std::int64_t>::max();

// The highest user level a token may claim.
inline constexpr int kLevelMax = 100;

struct Claims {
    UserId uid;  // 1..kUidMax
    std::string name;
    std::string face;
    message::Role role = message::Role::viewer;
    std::int64_t issued_at_s = 0;
    std::int64_t expires_at_s = 0;  // Unix seconds
    std::uint8_t level = 0;         // the operator's user level (UL) of the user, 0..kLevelMax
    // The one room this token may join, send to and like in (an external bot's token, minted
    // with `barrage token --room`); 0: any room.
    RoomId room{};
};

// Signs `claims` with HMAC-SHA256 under `secret`; header {"alg":"HS256","typ":"JWT"}.
// A uid outside 1..kUidMax is the caller's bug (commands check theirs first) and aborts:
// the token would be refused when presented.
std::string sign_token(const Claims& claims, std::string_view secret);

// Verifies signature (constant-time compare), algorithm (only HS256; "none" and others are
// Errc::token_bad_signature), expiry against `clock` and claim types.
// Errc::token_malformed, Errc::token_bad_signature, Errc::token_expired, Errc::token_bad_claims
// (which includes a uid outside 1..kUidMax).
Result<Claims> verify_token(std::string_view token, std::string_view secret, const Clock& clock);

}  // namespace barrage::identity
