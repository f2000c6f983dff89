#pragma once

// Which share of an interactive gift's platform part goes to the app, and from when.

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "base/ids.h"

namespace barrage::economy {

// The app id that names the configured default ratio in a schedule: apps are numbered from 1.
inline constexpr std::uint64_t kDefaultShareApp = 0;

// One change of an app's ratio (or of the default, app kDefaultShareApp): from effective_ms on,
// until the app's next change.
struct AppShareChange {
    std::uint64_t app = 0;
    Millis effective_ms = 0;      // wall clock, UTC
    std::uint32_t per_mille = 0;  // 0..1000 of the platform's part
    bool operator==(const AppShareChange&) const = default;
};

// The ratio in force and since when; effective_ms 0 and from_default when nothing was ever set.
struct AppShareInForce {
    std::uint32_t per_mille = 0;
    Millis effective_ms = 0;
    bool from_default = false;  // the app has no change of its own in force at that time
    bool operator==(const AppShareInForce&) const = default;
};

// Every app's ratio over time: an immutable value, built once from the stored changes and
// shared (std::shared_ptr<const AppShareSchedule>) by the ledger's writer, the API and the
// settlement command. A gift uses the ratio in force when it commits: the app's latest change
// with effective_ms <= commit time, else the default's latest such change, else 0.
//
// Thread rule: immutable, safe from any thread.
class AppShareSchedule {
public:
    AppShareSchedule() = default;
    // Changes in any order; for a repeated (app, effective_ms) the last one given wins.
    explicit AppShareSchedule(const std::vector<AppShareChange>& changes);

    // The ratio for a gift of `app` committed at `at_ms`. A change takes effect at its
    // effective_ms exactly: a gift committed at that millisecond uses the new ratio.
    AppShareInForce at(std::uint64_t app, Millis at_ms) const;

    // Every change, ordered by app, then time.
    std::vector<AppShareChange> changes() const;
    // One app's changes, oldest first (the default's for kDefaultShareApp).
    std::vector<AppShareChange> changes_of(std::uint64_t app) const;

private:
    // app -> (effective_ms -> per_mille)
    std::map<std::uint64_t, std::map<Millis, std::uint32_t>> changes_;
};

}  // namespace barrage::economy
