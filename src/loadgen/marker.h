#pragma once

// The marker a published message carries so subscribers can tell which message arrived and
// when it was sent, without parsing JSON: "LG<index>:<send_ns>:" then 'x' padding.
//
//   LG 42 : 1234567890123 : xxxxxxxx...
//   |  |    |               padding up to the requested size
//   |  |    steady_clock nanoseconds at send (same process, same clock as the receivers)
//   |  publish index, 0-based within the measured phase
//   prefix; warm-up messages use "LW" so the scanner skips them
//
// Only [A-Z0-9:x] appear, so the text survives JSON encoding unescaped and is found verbatim
// inside any target's push.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace barrage::loadgen {

inline constexpr std::string_view kMeasuredPrefix = "LG";
inline constexpr std::string_view kWarmupPrefix = "LW";

// Replaces `out` with the marker for (index, send_ns) padded with 'x' to `size_bytes`. A size
// below the marker's own length yields the bare marker. Reuses `out`'s capacity.
void compose_marker_text(std::string& out, std::string_view prefix, std::uint64_t index, std::int64_t send_ns,
                         std::size_t size_bytes);

// Longest marker text: prefix, 20 digits, ':', 19 digits, ':'.
inline constexpr std::size_t kMarkerBytesMax = 2 + 20 + 1 + 19 + 1;

struct Marker {
    std::uint64_t index = 0;
    std::int64_t send_ns = 0;
};

namespace detail {

// Parses "<digits>:" at `pos`; advances `pos` past the colon. False if not that shape.
inline bool parse_number_colon(std::string_view text, std::size_t& pos, std::uint64_t& value) {
    const std::size_t start = pos;
    value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 20) {
        value = value * 10 + static_cast<std::uint64_t>(text[pos] - '0');
        ++pos;
    }
    if (pos == start || pos >= text.size() || text[pos] != ':') {
        return false;
    }
    ++pos;
    return true;
}

}  // namespace detail

// Calls on_marker(Marker) for every measured marker in `payload`, in order. memchr for the
// rare 'L' runs at memory speed (SIMD); memmem for a two-byte needle measured 3x slower and
// was a quarter of the generator's CPU at a million deliveries per second.
template <class OnMarker>
void scan_markers(std::string_view payload, OnMarker&& on_marker) {
    static_assert(kMeasuredPrefix.size() == 2);
    std::size_t pos = 0;
    while (pos + kMeasuredPrefix.size() <= payload.size()) {
        const void* hit = std::memchr(payload.data() + pos, kMeasuredPrefix[0], payload.size() - pos - 1);
        if (hit == nullptr) {
            return;
        }
        pos = static_cast<std::size_t>(static_cast<const char*>(hit) - payload.data()) + 1;
        if (payload[pos] != kMeasuredPrefix[1]) {
            continue;
        }
        ++pos;
        std::uint64_t index = 0;
        std::uint64_t send_ns = 0;
        if (detail::parse_number_colon(payload, pos, index) && detail::parse_number_colon(payload, pos, send_ns)) {
            on_marker(Marker{.index = index, .send_ns = static_cast<std::int64_t>(send_ns)});
        }
    }
}

}  // namespace barrage::loadgen
