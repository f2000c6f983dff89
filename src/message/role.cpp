#include "message/role.h"

#include <array>
#include <utility>

namespace barrage::message {

namespace {

// The spellings used in token claims, config and the admin API; indexed by the enum value.
constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames{{
    {Role::anonymous, "anonymous"},
    {Role::viewer, "viewer"},
    {Role::bot, "bot"},
    {Role::manager, "manager"},
    {Role::host, "host"},
    {Role::admin, "admin"},
}};

}  // namespace

std::string_view to_string(Role role) {
    for (const auto& [value, name] : kRoleNames) {
        if (value == role) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Role> parse_role(std::string_view text) {
    for (const auto& [value, name] : kRoleNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace barrage::message
