#pragma once

#include "base/result.h"
#include "message/role.h"
#include "moderation/sanction.h"

namespace barrage::moderation {

// Who may do what in a room. Roles are the actor's and the target's effective roles there
// (room::Room::effective_role): admin > host > manager > bot > viewer.
//
//   - Managers and above moderate: mute, kick, ban from the room, delete messages, slow mode,
//     chat modes, room mute, the room's word list. The host also appoints and removes
//     managers. Admins alone ban from the whole platform, warn or cut off a room, and edit the
//     global word list.
//   - Nobody acts on a user of their own rank or above: managers cannot act on the host or on
//     each other; the host cannot act on an admin.
//   - A sanction is lifted only by a hand at least as strong as the one that imposed it: a
//     manager cannot unmute what the host or an admin muted; another manager's mute a manager
//     may lift.
enum class Power : std::uint8_t {
    moderate,         // manager and above
    appoint,          // host and above: managers
    operate_platform  // admin: global bans, warnings, cut-offs, global words
};

// Errc::forbidden when `actor` lacks `power`.
Status may_use(message::Role actor, Power power);
// Errc::cannot_moderate when `target` is of `actor`'s rank or above.
Status may_act_on(message::Role actor, message::Role target);
// Errc::cannot_moderate when `sanction` was imposed by a stronger hand than `actor`.
Status may_lift(message::Role actor, const Sanction& sanction);

}  // namespace barrage::moderation
