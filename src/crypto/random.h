#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace barrage::crypto {

// Bytes from the operating system's CSPRNG (through OpenSSL). Used for everything an attacker
// must not guess: secrets, nonces, order ids, request ids, identity codes. The process stops
// if the system has no randomness to give, since nothing secret could be made without it.
void random_bytes(std::span<unsigned char> out);

// `bytes` random bytes in lowercase hex (2 × bytes characters).
std::string random_hex(std::size_t bytes);

// `length` characters drawn uniformly from `alphabet` (at most 256 distinct characters), with
// no modulo bias: identity codes and other secrets people type.
std::string random_string(std::string_view alphabet, std::size_t length);

}  // namespace barrage::crypto
