#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace barrage::open {

// The signature nonces seen per access key, each remembered for the whole timestamp window
// (PROTOCOL.md §2: a replayed request inside it is 4004). Bounded: only requests whose
// signature verified are remembered (so only a key's holder can add entries), and one key holds
// at most `per_key_max` at once; past it its requests are refused until old ones expire.
// Owner thread only.
class NonceCache {
public:
    struct Options {
        std::int64_t remember_s = 1200;     // the ±600 s window, both sides
        std::size_t per_key_max = 100'000;  // ~80 requests a second for the whole window
    };

    enum class Outcome : std::uint8_t { fresh, seen, key_full };

    explicit NonceCache(Options options) : options_(options) {}

    // Records `nonce` for `key` at `now_s` unless seen inside the window or the key is full.
    Outcome remember(std::string_view key, std::string_view nonce, std::int64_t now_s);
    std::size_t size() const { return expiries_.size(); }

private:
    struct Entry {
        std::int64_t expires_s;
        std::string key;
        std::string nonce;
    };
    void expire(std::int64_t now_s);

    Options options_;
    std::deque<Entry> expiries_;  // in the order remembered, so oldest first
    std::unordered_map<std::string, std::unordered_set<std::string>> nonces_;  // key → nonces
};

}  // namespace barrage::open
