#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "security/keyed_rate_limiter.h"

namespace barrage::gateway {

// How often one client address, and one signed-in user, may join a room (an op 7 that got past
// its checks). A join is the dearest thing a client can ask for with a few bytes: the member is
// counted on the home loop, its replay is sent, its enter event is broadcast. Reconnect storms
// stay well inside these rates; a client that joins in a loop does not.
//
// Thread rule: safe from any thread (connections of one address land on every loop).
class JoinGate {
public:
    struct Options {
        security::Rate per_address{.per_second = 20.0, .burst = 100.0};
        security::Rate per_user{.per_second = 2.0, .burst = 20.0};
        std::size_t keys_max = 100'000;  // addresses or users tracked at once, each
    };

    JoinGate(Options options, const Clock& clock);

    // Takes a join from `address` (and `user` unless anonymous): Errc::rate_limited when
    // either has joined too often. A refusal by the user's rate still spends the address's.
    Status admit(std::string_view address, UserId user);

private:
    security::SharedRateLimiter<std::string> per_address_;
    security::SharedRateLimiter<UserId> per_user_;
};

}  // namespace barrage::gateway
