#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"

namespace barrage::store {

// A list of uids as one TEXT column holds it (rooms.managers): comma-separated decimals.
std::string join_uids(const std::vector<UserId>& uids);
// The reverse; parts that are not a number are skipped.
std::vector<UserId> split_uids(std::string_view text);

}  // namespace barrage::store
