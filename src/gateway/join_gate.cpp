#include "gateway/join_gate.h"

#include "security/connection_caps.h"

namespace barrage::gateway {

JoinGate::JoinGate(Options options, const Clock& clock)
    : per_address_({options.per_address.per_second, options.per_address.burst, options.keys_max}, clock),
      per_user_({options.per_user.per_second, options.per_user.burst, options.keys_max}, clock) {}

Status JoinGate::admit(std::string_view address, UserId user) {
    // Counted by the key the connection caps use, so one IPv6 subscriber is one address.
    if (!per_address_.allow(security::address_key(address))) {
        return make_error_code(Errc::rate_limited);
    }
    if (user.value != 0 && !per_user_.allow(user)) {
        return make_error_code(Errc::rate_limited);
    }
    return {};
}

}  // namespace barrage::gateway
