#pragma once

#include <string>
#include <string_view>

namespace barrage::crypto {

// Lowercase hex MD5 of `bytes`. Not for secrets: the open platform's x-bili-content-md5 names
// the body a signature covers, and MD5 is what its clients send.
std::string md5_hex(std::string_view bytes);

// Lowercase hex SHA-256 of `bytes` (64 characters): the asset library's content address.
std::string sha256_hex(std::string_view bytes);

}  // namespace barrage::crypto
