#include "crypto/random.h"

#include <climits>
#include <vector>

#include <openssl/rand.h>

#include "base/assert.h"
#include "crypto/hex.h"

namespace barrage::crypto {

void random_bytes(std::span<unsigned char> out) {
    BARRAGE_ASSERT(out.size() <= static_cast<std::size_t>(INT_MAX));
    const int filled = RAND_bytes(out.data(), static_cast<int>(out.size()));
    BARRAGE_ASSERT(filled == 1);
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    random_bytes(buffer);
    return to_hex({reinterpret_cast<const char*>(buffer.data()), buffer.size()});
}

std::string random_string(std::string_view alphabet, std::size_t length) {
    BARRAGE_ASSERT(!alphabet.empty() && alphabet.size() <= 256);
    // Bytes at or above the largest multiple of the alphabet's size are drawn again, so every
    // character is equally likely.
    const unsigned limit = 256 - 256 % static_cast<unsigned>(alphabet.size());
    std::string out;
    out.reserve(length);
    unsigned char pool[64];
    std::size_t used = sizeof pool;
    while (out.size() < length) {
        if (used == sizeof pool) {
            random_bytes(pool);
            used = 0;
        }
        const unsigned byte = pool[used++];
        if (byte < limit) {
            out += alphabet[byte % alphabet.size()];
        }
    }
    return out;
}

}  // namespace barrage::crypto
