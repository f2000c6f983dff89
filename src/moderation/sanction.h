#pragma once

#include <string>
#include <system_error>

#include "base/clock.h"
#include "base/ids.h"
#include "message/role.h"

namespace barrage::moderation {

// A mute, ban or kick: who imposed it, why, and until when. Lifting it takes a hand at least as
// strong as the one that imposed it (authority.h).
struct Sanction {
    Millis until_ms = 0;  // wall clock; 0 = until lifted
    UserId by{};
    message::Role by_role = message::Role::manager;
    std::string reason{};
    Millis at_ms = 0;  // wall clock, when it was imposed

    bool active_at(Millis now_ms) const { return until_ms == 0 || now_ms < until_ms; }
};

// Why a user may not do something now: the code (Errc::muted, ...) and, where it applies, until
// when (wall clock ms; 0 = until lifted) and a reason to show.
struct Refusal {
    std::error_code code;
    Millis until_ms = 0;
    std::string reason{};
};

}  // namespace barrage::moderation
