#pragma once

// Strict UTF-8 decoding of one code point, shared by the normaliser and the masking in
// screen() so that both agree on where each code point of a message begins and ends.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace barrage::moderation {

struct Decoded {
    char32_t code_point = 0;
    std::uint32_t length = 0;  // 0: the bytes at that offset are not one code point
};

// The code point at `at` (< text.size()): no overlongs, surrogates or values past U+10FFFF.
inline Decoded decode_utf8(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
    const auto continuation = [&](std::size_t k) { return at + k < text.size() && (byte(k) & 0xC0) == 0x80; };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return {lead, 1};
    if (lead >= 0xC2 && lead <= 0xDF && continuation(1)) {
        return {static_cast<char32_t>(((lead & 0x1F) << 6) | (byte(1) & 0x3F)), 2};
    }
    if (lead >= 0xE0 && lead <= 0xEF && continuation(1) && continuation(2)) {
        const auto c = static_cast<char32_t>(((lead & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F));
        if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return {};
        return {c, 3};
    }
    if (lead >= 0xF0 && lead <= 0xF4 && continuation(1) && continuation(2) && continuation(3)) {
        const auto c = static_cast<char32_t>(((lead & 0x07) << 18) | ((byte(1) & 0x3F) << 12) |
                                             ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F));
        if (c < 0x10000 || c > 0x10FFFF) return {};
        return {c, 4};
    }
    return {};
}

}  // namespace barrage::moderation
