#pragma once

// Server-side gift combos (seed 003, PRODUCT.md part G).

#include <cstddef>
#include <cstdint>
#include <list>
#include <thread>
#include <unordered_map>

#include "base/clock.h"
#include "base/ids.h"

namespace barrage::economy {

// What one gift send adds to its combo.
struct ComboHit {
    std::uint64_t combo_id = 0;     // the same for every hit of one streak
    std::uint32_t combo_count = 0;  // 1 on the streak's first hit, then 2, 3, ...
    std::uint64_t combo_total = 0;  // gifts in the streak so far, this hit included
    bool operator==(const ComboHit&) const = default;
};

// Merges a room's gift sends into combos: a send of the same gift by the same user within
// `window_ms` of that pair's previous send continues its streak; a later one, or the first,
// starts a new streak with a new id. Each (user, gift) pair streaks on its own, so the
// interleaved A1 B1 A2 B2 of seed 003 makes two combos of two hits each.
//
// Time is the clock's steady time: a wall-clock step must neither merge nor split streaks.
// Bounded: entries whose window has passed are dropped on every hit, and past
// `entries_max` live streaks the oldest is forgotten, so that user's next send of that gift
// starts a new combo (a cosmetic loss: the coins and the gift itself are unaffected).
//
// A streak's total follows the ledger's numbering when the hit brings it (`gift_number`, the
// sender's running count of that gift after the hit): sends of one user in flight at once are
// committed in one order and may reach the room's home thread in another, and a total counted
// in arrival order would then disagree with the gift numbers clients order the hits by (a
// banner at the highest number printed the wrong total). Hits with no number count in arrival
// order.
//
// Owner thread only: the room's home thread. The first hit binds the tracker to its thread and
// later hits assert it (it may be built elsewhere and handed over before use).
class ComboTracker {
public:
    struct Options {
        Millis window_ms = 3000;           // Bilibili keeps a combo banner 3 s (combo_stay_time)
        std::size_t entries_max = 10'000;  // live streaks per room
    };

    ComboTracker(Options options, const Clock& clock);

    // Records a send of `count` gifts (count > 0), numbered `gift_number` by the ledger (0:
    // unknown), and returns its place in the streak.
    ComboHit hit(UserId user, std::uint64_t gift_id, std::uint32_t count, std::uint64_t gift_number = 0);

    // Streaks currently remembered (live, or expired but not yet dropped).
    std::size_t size() const { return entries_.size(); }

private:
    struct Key {
        UserId user;
        std::uint64_t gift_id = 0;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept;
    };
    struct Entry {
        Key key;
        ComboHit last;
        Millis last_ms = 0;      // steady time of the streak's latest hit
        std::uint64_t base = 0;  // gift number before the streak's first hit (0: unknown)
    };
    using Recency = std::list<Entry>;  // oldest latest-hit first

    void assert_owner_thread();
    void drop_expired(Millis now_ms);
    std::uint64_t next_combo_id();

    Options options_;
    const Clock& clock_;
    Recency recency_;
    std::unordered_map<Key, Recency::iterator, KeyHash> entries_;
    std::uint64_t next_id_;  // see next_combo_id
    std::thread::id owner_;  // none until the first hit
};

}  // namespace barrage::economy
