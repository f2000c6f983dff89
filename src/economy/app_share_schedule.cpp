#include "economy/app_share_schedule.h"

namespace barrage::economy {

namespace {

// The latest entry at or before at_ms, if any.
const std::pair<const Millis, std::uint32_t>* latest_at(const std::map<Millis, std::uint32_t>& entries, Millis at_ms) {
    auto after = entries.upper_bound(at_ms);
    if (after == entries.begin()) {
        return nullptr;
    }
    return &*std::prev(after);
}

}  // namespace

AppShareSchedule::AppShareSchedule(const std::vector<AppShareChange>& changes) {
    for (const auto& change : changes) {
        changes_[change.app][change.effective_ms] = change.per_mille;
    }
}

AppShareInForce AppShareSchedule::at(std::uint64_t app, Millis at_ms) const {
    if (app != kDefaultShareApp) {
        if (auto found = changes_.find(app); found != changes_.end()) {
            if (const auto* entry = latest_at(found->second, at_ms)) {
                return {.per_mille = entry->second, .effective_ms = entry->first, .from_default = false};
            }
        }
    }
    if (auto found = changes_.find(kDefaultShareApp); found != changes_.end()) {
        if (const auto* entry = latest_at(found->second, at_ms)) {
            return {.per_mille = entry->second, .effective_ms = entry->first, .from_default = true};
        }
    }
    return {.per_mille = 0, .effective_ms = 0, .from_default = true};
}

std::vector<AppShareChange> AppShareSchedule::changes() const {
    std::vector<AppShareChange> out;
    for (const auto& [app, entries] : changes_) {
        for (const auto& [effective_ms, per_mille] : entries) {
            out.push_back({app, effective_ms, per_mille});
        }
    }
    return out;
}

std::vector<AppShareChange> AppShareSchedule::changes_of(std::uint64_t app) const {
    std::vector<AppShareChange> out;
    if (auto found = changes_.find(app); found != changes_.end()) {
        for (const auto& [effective_ms, per_mille] : found->second) {
            out.push_back({app, effective_ms, per_mille});
        }
    }
    return out;
}

}  // namespace barrage::economy
