#include "economy/combo_tracker.h"

#include <functional>
#include <iterator>
#include <limits>
#include <random>

#include "base/assert.h"

namespace barrage::economy {

namespace {

// Combo ids stay below 2^53 so that JavaScript clients, which read JSON numbers as doubles,
// see every id exactly; consecutive ids that rounded to one number would merge two combos.
constexpr std::uint64_t kComboIdLimit = std::uint64_t{1} << 53U;

// A random start makes ids from different rooms and from before a restart unlikely to meet, so
// a client that stays connected across either does not merge a new combo into an old one.
std::uint64_t random_start() {
    std::random_device device;
    const std::uint64_t high = device();
    const std::uint64_t low = device();
    // The lower half of the id space, leaving the upper half for counting up.
    return ((high << 32U) | low) % (kComboIdLimit / 2) + 1;
}

}  // namespace

std::size_t ComboTracker::KeyHash::operator()(const Key& key) const noexcept {
    const std::size_t user = std::hash<std::uint64_t>{}(key.user.value);
    const std::size_t gift = std::hash<std::uint64_t>{}(key.gift_id);
    return user ^ (gift + 0x9e3779b97f4a7c15ULL + (user << 6U) + (user >> 2U));
}

ComboTracker::ComboTracker(Options options, const Clock& clock)
    : options_(options), clock_(clock), next_id_(random_start()) {
    BARRAGE_ASSERT(options_.window_ms >= 0);
    BARRAGE_ASSERT(options_.entries_max >= 1);
}

void ComboTracker::assert_owner_thread() {
    if (owner_ == std::thread::id{}) {
        owner_ = std::this_thread::get_id();
    }
    BARRAGE_ASSERT(owner_ == std::this_thread::get_id());
}

std::uint64_t ComboTracker::next_combo_id() {
    // 2^52 ids per tracker before wrapping; a room sending a combo every millisecond would
    // need 142,000 years to get there.
    if (next_id_ >= kComboIdLimit) {
        next_id_ = 1;
    }
    return next_id_++;
}

void ComboTracker::drop_expired(Millis now_ms) {
    // The list is in order of latest hit, so the expired entries are a prefix of it.
    while (!recency_.empty() && now_ms - recency_.front().last_ms > options_.window_ms) {
        entries_.erase(recency_.front().key);
        recency_.pop_front();
    }
}

ComboHit ComboTracker::hit(UserId user, std::uint64_t gift_id, std::uint32_t count, std::uint64_t gift_number) {
    assert_owner_thread();
    BARRAGE_ASSERT(count > 0);
    const Millis now_ms = clock_.steady_ms();
    drop_expired(now_ms);
    const Key key{.user = user, .gift_id = gift_id};
    if (const auto found = entries_.find(key); found != entries_.end()) {
        Entry& entry = *found->second;
        // A streak of four billion hits restarts rather than wrapping its count.
        if (entry.last.combo_count < std::numeric_limits<std::uint32_t>::max()) {
            entry.last.combo_count += 1;
            if (gift_number != 0 && entry.base != 0 && gift_number > entry.base) {
                entry.last.combo_total = gift_number - entry.base;
            } else if (gift_number != 0 && entry.base != 0) {
                entry.last.combo_total = count;  // committed before the streak's first hit
            } else {
                entry.last.combo_total += count;
            }
            entry.last_ms = now_ms;
            recency_.splice(recency_.end(), recency_, found->second);
            return entry.last;
        }
        recency_.erase(found->second);
        entries_.erase(found);
    }
    if (entries_.size() >= options_.entries_max) {
        entries_.erase(recency_.front().key);
        recency_.pop_front();
    }
    const ComboHit first{.combo_id = next_combo_id(), .combo_count = 1, .combo_total = count};
    const std::uint64_t base = gift_number > count ? gift_number - count : 0;
    recency_.push_back(Entry{.key = key, .last = first, .last_ms = now_ms, .base = base});
    entries_.emplace(key, std::prev(recency_.end()));
    BARRAGE_ASSERT(entries_.size() == recency_.size());
    return first;
}

}  // namespace barrage::economy
