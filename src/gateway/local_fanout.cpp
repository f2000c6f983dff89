#include "gateway/local_fanout.h"

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

LocalFanout::Delivered LocalFanout::deliver(RoomId room, const room::FrameSet& frames, std::uint64_t online) {
    Delivered delivered;
    auto found = rooms_.find(room);
    if (found == rooms_.end()) {
        return delivered;
    }
    auto& local = found->second;
    local.online = online;
    for (std::size_t key = 0; key < room::kEncodingKeyCount; ++key) {
        const auto& frame = frames[key];
        if (!frame) {
            continue;
        }
        // A delivery may close a member (outbound overflow), which unsubscribes it: the loop
        // walks the live list by index rather than a copy.
        auto& members = local.members[key];
        for (std::size_t i = 0; i < members.size();) {
            Subscriber* member = members[i];
            member->deliver(frame);
            // A member that closed itself was swapped out of slot i; look at i again.
            if (i < members.size() && members[i] == member) {
                ++i;
            }
            ++delivered.frames;
            delivered.bytes += frame->bytes.size();
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
