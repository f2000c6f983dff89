#include "moderation/global_bans.h"

#include <algorithm>

namespace barrage::moderation {

std::shared_ptr<const GlobalBans::Table> GlobalBans::snapshot() const {
    MutexLock lock(mutex_);
    return table_;
}

std::optional<Sanction> GlobalBans::find(UserId user, Millis now_ms) const {
    const auto table = snapshot();
    if (table->empty()) {
        return std::nullopt;
    }
    auto found = table->find(user);
    if (found == table->end() || !found->second.active_at(now_ms)) {
        return std::nullopt;
    }
    return found->second;
}

void GlobalBans::impose(UserId user, Sanction sanction) {
    MutexLock lock(mutex_);
    auto next = std::make_shared<Table>(*table_);
    next->insert_or_assign(user, std::move(sanction));
    table_ = std::move(next);
}

bool GlobalBans::lift(UserId user) {
    MutexLock lock(mutex_);
    if (!table_->contains(user)) {
        return false;
    }
    auto next = std::make_shared<Table>(*table_);
    next->erase(user);
    table_ = std::move(next);
    return true;
}

std::vector<std::pair<UserId, Sanction>> GlobalBans::active(Millis now_ms) const {
    const auto table = snapshot();
    std::vector<std::pair<UserId, Sanction>> out;
    for (const auto& [user, sanction] : *table) {
        if (sanction.active_at(now_ms)) {
            out.emplace_back(user, sanction);
        }
    }
    std::ranges::sort(out, {}, [](const auto& entry) { return entry.first.value; });
    return out;
}

void GlobalBans::restore(Table table) {
    MutexLock lock(mutex_);
    table_ = std::make_shared<const Table>(std::move(table));
}

}  // namespace barrage::moderation
