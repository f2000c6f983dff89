#include "open/nonce_cache.h"

namespace barrage::open {

void NonceCache::expire(std::int64_t now_s) {
    while (!expiries_.empty() && expiries_.front().expires_s <= now_s) {
        auto& entry = expiries_.front();
        auto found = nonces_.find(entry.key);
        if (found != nonces_.end()) {
            found->second.erase(entry.nonce);
            if (found->second.empty()) {
                nonces_.erase(found);
            }
        }
        expiries_.pop_front();
    }
}

NonceCache::Outcome NonceCache::remember(std::string_view key, std::string_view nonce, std::int64_t now_s) {
    expire(now_s);
    auto& seen = nonces_[std::string(key)];
    if (seen.contains(std::string(nonce))) {
        return Outcome::seen;
    }
    if (seen.size() >= options_.per_key_max) {
        return Outcome::key_full;
    }
    seen.emplace(nonce);
    expiries_.push_back({now_s + options_.remember_s, std::string(key), std::string(nonce)});
    return Outcome::fresh;
}

}  // namespace barrage::open
