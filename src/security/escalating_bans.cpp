#include "security/escalating_bans.h"

#include <algorithm>

#include "base/assert.h"

namespace barrage::security {

EscalatingBans::EscalatingBans(Options options, const Clock& clock) : options_(std::move(options)), clock_(clock) {
    BARRAGE_ASSERT(!options_.steps_ms.empty());
}

std::optional<EscalatingBans::Ban> EscalatingBans::ban(const std::string& key, std::string reason) {
    const Millis now_ms = clock_.steady_ms();
    auto found = records_.find(key);
    if (found != records_.end() && now_ms - found->second.until_ms >= options_.repeat_window_ms) {
        records_.erase(found);  // a clean window: back to the first step
        found = records_.end();
    }
    if (found == records_.end()) {
        if (records_.size() >= options_.keys_max) {
            forget(now_ms, false);
        }
        if (records_.size() >= options_.keys_max) {
            forget(now_ms, true);
        }
        if (records_.size() >= options_.keys_max) {
            return std::nullopt;  // every record is a running ban: the limiter keeps refusing
        }
        Record fresh;
        fresh.id = next_id_++;
        found = records_.emplace(key, std::move(fresh)).first;
    } else if (now_ms >= found->second.until_ms) {
        found->second.level = std::min(found->second.level + 1, options_.steps_ms.size() - 1);
        found->second.id = next_id_++;
    }
    // (A ban asked for while one runs, which callers do not do, leaves the running one as is.)
    Record& record = found->second;
    if (now_ms >= record.until_ms) {
        record.since_ms = now_ms;
        record.until_ms = now_ms + options_.steps_ms[record.level];
        record.reason = std::move(reason);
    }
    return view(key, record);
}

std::optional<EscalatingBans::Ban> EscalatingBans::active(const std::string& key) const {
    const auto found = records_.find(key);
    if (found == records_.end() || clock_.steady_ms() >= found->second.until_ms) {
        return std::nullopt;
    }
    return view(key, found->second);
}

std::vector<EscalatingBans::Ban> EscalatingBans::list() const {
    const Millis now_ms = clock_.steady_ms();
    std::vector<Ban> out;
    for (const auto& [key, record] : records_) {
        if (now_ms < record.until_ms) {
            out.push_back(view(key, record));
        }
    }
    std::sort(out.begin(), out.end(), [](const Ban& a, const Ban& b) {
        return a.until_ms != b.until_ms ? a.until_ms < b.until_ms : a.key < b.key;
    });
    return out;
}

bool EscalatingBans::lift(std::uint64_t id) {
    const Millis now_ms = clock_.steady_ms();
    for (auto& [key, record] : records_) {
        if (record.id == id && now_ms < record.until_ms) {
            record.until_ms = now_ms;
            return true;
        }
    }
    return false;
}

std::size_t EscalatingBans::active_count() const {
    const Millis now_ms = clock_.steady_ms();
    return static_cast<std::size_t>(std::count_if(
        records_.begin(), records_.end(), [now_ms](const auto& entry) { return now_ms < entry.second.until_ms; }));
}

EscalatingBans::Ban EscalatingBans::view(const std::string& key, const Record& record) const {
    return {.key = key,
            .id = record.id,
            .level = record.level + 1,
            .since_ms = record.since_ms,
            .until_ms = record.until_ms,
            .reason = record.reason};
}

void EscalatingBans::forget(Millis now_ms, bool also_ended) {
    std::erase_if(records_, [&](const auto& entry) {
        const Millis until_ms = entry.second.until_ms;
        return now_ms - until_ms >= options_.repeat_window_ms || (also_ended && now_ms >= until_ms);
    });
}

}  // namespace barrage::security
