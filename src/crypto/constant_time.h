#pragma once

#include <string_view>

namespace barrage::crypto {

// Whether two secrets (MACs, signatures) are equal, in a time that depends on their lengths
// only, never on where they first differ: comparing a presented MAC with `==` would let an
// attacker find the right one a byte at a time by timing the answers.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace barrage::crypto
