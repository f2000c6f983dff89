#include "moderation/authority.h"

namespace barrage::moderation {

using message::Role;

Status may_use(Role actor, Power power) {
    Role needed = Role::manager;
    switch (power) {
        case Power::moderate: needed = Role::manager; break;
        case Power::appoint: needed = Role::host; break;
        case Power::operate_platform: needed = Role::admin; break;
    }
    if (actor < needed) {
        return make_error_code(Errc::forbidden);
    }
    return {};
}

Status may_act_on(Role actor, Role target) {
    if (target >= actor) {
        return make_error_code(Errc::cannot_moderate);
    }
    return {};
}

Status may_lift(Role actor, const Sanction& sanction) {
    if (sanction.by_role > actor) {
        return make_error_code(Errc::cannot_moderate);
    }
    return {};
}

}  // namespace barrage::moderation
