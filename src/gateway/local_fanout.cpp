#include "gateway/local_fanout.h"

#include <algorithm>

#include "base/assert.h"

namespace barrage::gateway {

void LocalFanout::subscribe(RoomId room, room::EncodingKey key, Subscriber& member, std::uint64_t online) {
    auto& local = rooms_[room];
    local.online = online;
    auto& members = local.members[key.index()];
    member.member_slot = members.size();
    members.push_back(&member);
}

void LocalFanout::unsubscribe(RoomId room, room::EncodingKey key, Subscriber& member) {
    auto found = rooms_.find(room);
    BARRAGE_ASSERT(found != rooms_.end());
    auto& members = found->second.members[key.index()];
    std::size_t slot = member.member_slot;
    BARRAGE_ASSERT(slot < members.size() && members[slot] == &member);
    members[slot] = members.back();
    members[slot]->member_slot = slot;
    members.pop_back();
}

std::size_t ShedOptions::level_for(std::size_t queued) const {
    if (queued < soft_bytes) {
        return 0;
    }
    if (hard_bytes <= soft_bytes) {
        return room::kTopLevel;
    }
    const std::size_t level = 1 + (queued - soft_bytes) * room::kTopLevel / (hard_bytes - soft_bytes);
    return std::min<std::size_t>(level, room::kTopLevel);
}

std::size_t ShedOptions::next_level(ShedState& state, std::size_t queued, std::size_t whole_bytes) const {
    std::size_t level = state.level > 0 ? state.level - 1 : 0;
    if (queued + whole_bytes >= soft_bytes && queued > state.queued) {
        level = std::min<std::size_t>(state.level + 1, room::kTopLevel);
    }
    level = std::max(level, level_for(queued));
    state = ShedState{.level = level, .queued = queued};
    return level;
}

LocalFanout::Delivered LocalFanout::deliver(RoomId room, const room::BatchFrames& batch, std::uint64_t online,
                                            const ShedOptions& shed) {
    Delivered delivered;
    auto found = rooms_.find(room);
    if (found == rooms_.end()) {
        return delivered;
    }
    auto& local = found->second;
    local.online = online;
    const std::size_t floor = batch.budget_level();
    for (std::size_t index = 0; index < room::kEncodingKeyCount; ++index) {
        const auto& full = batch.full()[index];
        if (!full) {
            continue;
        }
        const auto key = room::EncodingKey::from_index(index);
        // A delivery may close a member (outbound overflow), which unsubscribes it: the loop
        // walks the live list by index rather than a copy.
        auto& members = local.members[index];
        for (std::size_t i = 0; i < members.size();) {
            Subscriber* member = members[i];
            const std::size_t level =
                std::max(floor, shed.next_level(member->shed, member->queued_bytes(), full->bytes.size()));
            if (level == 0) {
                member->deliver(full);
                ++delivered.frames;
                delivered.bytes += full->bytes.size();
            } else {
                const auto left_out = batch.shed(level);
                const auto budget = batch.shed(floor);
                delivered.budget_sampled += budget.sampled;
                delivered.sampled += left_out.sampled - budget.sampled;
                delivered.coalesced += left_out.coalesced;
                if (const auto frame = batch.frame(level, key)) {
                    member->deliver(frame);
                    ++delivered.frames;
                    delivered.bytes += frame->bytes.size();
                }
                // Its own messages after the sample, unless that closed it.
                const bool still = i < members.size() && members[i] == member;
                if (const auto own = still ? batch.own(level, member->user, key) : nullptr) {
                    member->deliver(own);
                    ++delivered.frames;
                    delivered.bytes += own->bytes.size();
                }
            }
            // A member that closed itself was swapped out of slot i; look at i again.
            if (i < members.size() && members[i] == member) {
                ++i;
            }
        }
    }
    return delivered;
}

std::size_t LocalFanout::kick(std::optional<RoomId> room, UserId user, std::error_code why) {
    // Found first, kicked after: a kick may unsubscribe its member from the lists walked here.
    std::vector<Subscriber*> found;
    auto collect = [&](const LocalRoom& local) {
        for (const auto& members : local.members) {
            for (auto* member : members) {
                if (member->user == user) {
                    found.push_back(member);
                }
            }
        }
    };
    if (room) {
        if (auto at = rooms_.find(*room); at != rooms_.end()) {
            collect(at->second);
        }
    } else {
        for (const auto& [id, local] : rooms_) {
            collect(local);
        }
    }
    for (auto* member : found) {
        member->kick(why);
    }
    return found.size();
}

std::uint64_t LocalFanout::online(RoomId room) const {
    auto found = rooms_.find(room);
    return found == rooms_.end() ? 0 : found->second.online;
}

}  // namespace barrage::gateway
