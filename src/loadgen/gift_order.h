#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace barrage::loadgen {

// The first "order_id" in a gift's answer or push body; nothing when it has none. Both are the
// server's own compact JSON, where the key appears once, so a search for it is enough and
// costs no parse per delivery.
inline std::optional<std::uint64_t> order_id_in(std::string_view json_text) {
    constexpr std::string_view kKey = R"("order_id":)";
    const std::size_t at = json_text.find(kKey);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const char* begin = json_text.data() + at + kKey.size();
    const auto [end, ec] = std::from_chars(begin, json_text.data() + json_text.size(), value);
    if (ec != std::errc{} || end == begin) {
        return std::nullopt;
    }
    return value;
}

}  // namespace barrage::loadgen
