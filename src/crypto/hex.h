#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace barrage::crypto {

// Lowercase hex of bytes, two digits each: how digests, nonces and secrets are written.
std::string to_hex(std::string_view bytes);

// The bytes of a hex text (either case), or nullopt when its length is odd or a character is
// not a hex digit.
std::optional<std::vector<unsigned char>> from_hex(std::string_view text);

}  // namespace barrage::crypto
