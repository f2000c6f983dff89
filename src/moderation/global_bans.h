#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/mutex.h"
#include "moderation/sanction.h"

namespace barrage::moderation {

// Platform-wide bans (admins only): a banned user joins and sends nowhere. Read on every join
// and send from every loop, changed rarely: readers take an immutable snapshot (one atomic
// shared_ptr copy under a short lock), writers copy and swap. Thread-safe.
class GlobalBans {
public:
    using Table = std::unordered_map<UserId, Sanction>;

    // The user's active ban, if any.
    std::optional<Sanction> find(UserId user, Millis now_ms) const;
    void impose(UserId user, Sanction sanction);
    bool lift(UserId user);
    std::vector<std::pair<UserId, Sanction>> active(Millis now_ms) const;
    // At start-up, from storage.
    void restore(Table table);

private:
    std::shared_ptr<const Table> snapshot() const;

    mutable Mutex mutex_;
    std::shared_ptr<const Table> table_ BARRAGE_GUARDED_BY(mutex_) = std::make_shared<const Table>();
};

}  // namespace barrage::moderation
