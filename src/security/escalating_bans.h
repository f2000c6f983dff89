#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"

namespace barrage::security {

// Bans that lengthen on every repeat: a key that passes its limit is banned for the first
// step (1 min by default); banned again within `repeat_window_ms` of its last ban, for the next
// step (10 min, 1 h, 1 day), and the last step for every repeat after. A key that stays out of
// trouble for the window starts again at the first step.
//
// Bounded: at most `keys_max` records. A record is forgotten once its ban is over and the
// window has passed (it could no longer lengthen a ban). When the map is full, records whose
// ban is over are forgotten first (the key loses its place on the ladder, nothing more); when
// every record is an active ban, the new ban is not recorded (ban() returns nullopt) and the
// caller refuses the call that earned it all the same: its limiter goes on refusing.
//
// Owner thread only (AbuseGuard holds one per kind behind its mutex).
class EscalatingBans {
public:
    struct Options {
        std::vector<Millis> steps_ms = {60'000, 600'000, 3'600'000, 86'400'000};
        Millis repeat_window_ms = 86'400'000;  // a ban this soon after the last one is a repeat
        std::size_t keys_max = 100'000;
    };

    // One ban as operators see it.
    struct Ban {
        std::string key;
        std::uint64_t id = 0;   // stable while the record lives; the operator lifts by it
        std::size_t level = 0;  // 1 for the first step
        Millis since_ms = 0;    // steady time the ban began
        Millis until_ms = 0;    // steady time it ends
        std::string reason;
    };

    EscalatingBans(Options options, const Clock& clock);

    // Bans `key` now, one step further than its last ban when that was within the window.
    // nullopt when the map is full of active bans (see above).
    std::optional<Ban> ban(const std::string& key, std::string reason);
    // The ban on `key` if it is still running.
    std::optional<Ban> active(const std::string& key) const;
    // Every running ban, soonest end first.
    std::vector<Ban> list() const;
    // Ends the ban with that id at once (the key keeps its level for the window: an operator's
    // pardon is not a clean record). False when no running ban has that id.
    bool lift(std::uint64_t id);
    std::size_t active_count() const;
    std::size_t tracked_keys() const { return records_.size(); }

private:
    struct Record {
        std::uint64_t id = 0;
        std::size_t level = 0;  // index into steps_ms
        Millis since_ms = 0;
        Millis until_ms = 0;
        std::string reason;
    };
    Ban view(const std::string& key, const Record& record) const;
    // Forgets records that can no longer matter; with `also_ended`, every ended ban too.
    void forget(Millis now_ms, bool also_ended);

    Options options_;
    const Clock& clock_;
    std::unordered_map<std::string, Record> records_;
    std::uint64_t next_id_ = 1;
};

}  // namespace barrage::security
