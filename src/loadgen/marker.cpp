#include "loadgen/marker.h"

#include <charconv>

namespace barrage::loadgen {
namespace {

template <class Integer>
void append_decimal(std::string& out, Integer value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

}  // namespace

void compose_marker_text(std::string& out, std::string_view prefix, std::uint64_t index, std::int64_t send_ns,
                         std::size_t size_bytes) {
    out.assign(prefix);
    append_decimal(out, index);
    out.push_back(':');
    append_decimal(out, send_ns);
    out.push_back(':');
    if (out.size() < size_bytes) {
        out.append(size_bytes - out.size(), 'x');
    }
}

}  // namespace barrage::loadgen
