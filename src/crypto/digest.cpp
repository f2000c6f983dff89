#include "crypto/digest.h"

#include <array>

#include <openssl/evp.h>

#include "base/assert.h"
#include "crypto/hex.h"

namespace barrage::crypto {

std::string md5_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const int done = EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_md5(), nullptr);
    // Fails only when OpenSSL itself is broken (no MD5 provider, no memory).
    BARRAGE_ASSERT(done == 1 && length == 16);
    return to_hex({reinterpret_cast<const char*>(digest.data()), length});
}

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const int done = EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
    BARRAGE_ASSERT(done == 1 && length == 32);
    return to_hex({reinterpret_cast<const char*>(digest.data()), length});
}

}  // namespace barrage::crypto
