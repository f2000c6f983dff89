#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace barrage {

// Number of code points in `text` if it is valid UTF-8 (no overlongs, no surrogates,
// nothing above U+10FFFF), otherwise nullopt.
std::optional<std::size_t> utf8_code_points(std::string_view text);

}  // namespace barrage
