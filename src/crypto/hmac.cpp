#include "crypto/hmac.h"

#include <climits>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/assert.h"

namespace barrage::crypto {

Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
    BARRAGE_ASSERT(key.size() <= static_cast<std::size_t>(INT_MAX));
    Sha256Digest mac{};
    unsigned int mac_length = 0;
    const unsigned char* result =
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &mac_length);
    // HMAC fails only when OpenSSL itself is broken (no SHA-256 provider, no memory): nothing
    // signed can be trusted then, so the process stops rather than answer with a zero MAC.
    BARRAGE_ASSERT(result != nullptr && mac_length == kSha256Bytes);
    return mac;
}

}  // namespace barrage::crypto
