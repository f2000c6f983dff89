#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace barrage::message {

// What a user may do. Ordered: a higher role may do everything a lower one may.
// `bot` is exempt from per-user rate limits (bots and load generators) but has no
// moderation powers; it sorts between viewer and manager only for that reason.
enum class Role : std::uint8_t { anonymous = 0, viewer = 1, bot = 2, manager = 3, host = 4, admin = 5 };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

}  // namespace barrage::message
