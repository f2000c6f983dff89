#include "base/utf8.h"

#include <cstdint>

namespace barrage {

namespace {

// Length of the sequence announced by `lead`, or 0 when `lead` cannot start one: stray
// continuation bytes (0x80..0xBF), the always-overlong leads 0xC0/0xC1 and 0xF5..0xFF, which
// could only encode values above U+10FFFF.
std::size_t sequence_length(std::uint8_t lead) {
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        return 4;
    }
    return 0;
}

// Allowed range of the byte after `lead`. Narrowing the second byte is how the Unicode table
// of well-formed sequences (Unicode 15, table 3-7) rules out overlong three- and four-byte
// forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and values above U+10FFFF (F4 90..).
struct ByteRange {
    std::uint8_t low;
    std::uint8_t high;
};

ByteRange second_byte_range(std::uint8_t lead) {
    switch (lead) {
        case 0xE0: return {0xA0, 0xBF};
        case 0xED: return {0x80, 0x9F};
        case 0xF0: return {0x90, 0xBF};
        case 0xF4: return {0x80, 0x8F};
        default: return {0x80, 0xBF};
    }
}

bool is_continuation(std::uint8_t byte) {
    return byte >= 0x80 && byte <= 0xBF;
}

}  // namespace

std::optional<std::size_t> utf8_code_points(std::string_view text) {
    std::size_t code_points = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<std::uint8_t>(text[i]);
        const std::size_t length = sequence_length(lead);
        if (length == 0 || length > text.size() - i) {
            return std::nullopt;
        }
        if (length > 1) {
            const ByteRange second = second_byte_range(lead);
            const auto byte = static_cast<std::uint8_t>(text[i + 1]);
            if (byte < second.low || byte > second.high) {
                return std::nullopt;
            }
            for (std::size_t k = 2; k < length; ++k) {
                if (!is_continuation(static_cast<std::uint8_t>(text[i + k]))) {
                    return std::nullopt;
                }
            }
        }
        i += length;
        ++code_points;
    }
    return code_points;
}

}  // namespace barrage
