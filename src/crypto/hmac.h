#pragma once

#include <array>
#include <string_view>

namespace barrage::crypto {

inline constexpr std::size_t kSha256Bytes = 32;
using Sha256Digest = std::array<unsigned char, kSha256Bytes>;

// HMAC-SHA256 of `data` under `key` (RFC 2104): the one MAC every signed thing in Barrage uses
// (user tokens, payment order ids and callbacks, open-platform requests).
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);

// The digest's bytes as a view, to compare (equal_in_constant_time) or write out (to_hex).
inline std::string_view bytes_of(const Sha256Digest& digest) {
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace barrage::crypto
