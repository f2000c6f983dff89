#pragma once

#include <cstddef>

#include "base/clock.h"
#include "base/ids.h"
#include "security/keyed_rate_limiter.h"

namespace barrage::room {

// Token bucket per user: `burst` sends at once, refilled at `per_second`, at most `users_max`
// users tracked (see security::KeyedRateLimiter for how the bound is kept). Owner thread only.
class UserRateLimiter {
public:
    struct Options {
        double per_second = 2.0;
        double burst = 5.0;
        std::size_t users_max = 100'000;
    };

    UserRateLimiter(Options options, const Clock& clock)
        : limiter_({.per_second = options.per_second, .burst = options.burst, .keys_max = options.users_max}, clock) {}

    // Takes one token for `user` if there is one.
    bool allow(UserId user) { return limiter_.allow(user); }

    std::size_t tracked_users() const { return limiter_.tracked_keys(); }

private:
    security::KeyedRateLimiter<UserId> limiter_;
};

}  // namespace barrage::room
