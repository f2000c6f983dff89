#include "crypto/constant_time.h"

#include <openssl/crypto.h>

namespace barrage::crypto {

bool equal_in_constant_time(std::string_view a, std::string_view b) {
    // Lengths are not secret (a MAC's is public), so a length mismatch may answer at once.
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace barrage::crypto
