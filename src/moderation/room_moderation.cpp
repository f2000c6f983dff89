#include "moderation/room_moderation.h"

#include <algorithm>

namespace barrage::moderation {

using message::Role;

namespace {

Refusal refusal(Errc code, Millis until_ms = 0, std::string reason = {}) {
    return Refusal{make_error_code(code), until_ms, std::move(reason)};
}

}  // namespace

RoomModeration::Table& RoomModeration::table(Kind kind) {
    switch (kind) {
        case Kind::mute: return mutes_;
        case Kind::ban: return bans_;
        case Kind::kick: break;
    }
    return kicks_;
}

const RoomModeration::Table& RoomModeration::table(Kind kind) const {
    return const_cast<RoomModeration&>(*this).table(kind);
}

const Sanction* RoomModeration::find(Kind kind, UserId user, Millis now_ms) const {
    const auto& entries = table(kind);
    auto found = entries.find(user);
    if (found == entries.end() || !found->second.active_at(now_ms)) {
        return nullptr;
    }
    return &found->second;
}

void RoomModeration::impose(Kind kind, UserId user, Sanction sanction) {
    table(kind).insert_or_assign(user, std::move(sanction));
}

bool RoomModeration::lift(Kind kind, UserId user) {
    return table(kind).erase(user) > 0;
}

std::vector<std::pair<UserId, Sanction>> RoomModeration::active(Kind kind, Millis now_ms) const {
    std::vector<std::pair<UserId, Sanction>> out;
    for (const auto& [user, sanction] : table(kind)) {
        if (sanction.active_at(now_ms)) {
            out.emplace_back(user, sanction);
        }
    }
    std::ranges::sort(out, {}, [](const auto& entry) { return entry.first.value; });
    return out;
}

const Sanction* RoomModeration::room_mute(Millis now_ms) const {
    return room_mute_ && room_mute_->active_at(now_ms) ? &*room_mute_ : nullptr;
}

bool RoomModeration::unmute_room() {
    const bool was = room_mute_.has_value();
    room_mute_.reset();
    return was;
}

std::optional<Millis> RoomModeration::following_since(UserId user) const {
    auto found = followers_.find(user);
    if (found == followers_.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::optional<Refusal> RoomModeration::check_join(UserId user, Millis now_ms) const {
    if (user.value == 0) {
        return std::nullopt;
    }
    if (const auto* ban = find(Kind::ban, user, now_ms)) {
        return refusal(Errc::banned, ban->until_ms, ban->reason);
    }
    if (const auto* kick = find(Kind::kick, user, now_ms)) {
        return refusal(Errc::kicked, kick->until_ms, kick->reason);
    }
    return std::nullopt;
}

std::optional<Refusal> RoomModeration::check_send(const Speaker& speaker, std::string_view text, Millis now_ms) {
    if (const auto* ban = find(Kind::ban, speaker.uid, now_ms)) {
        return refusal(Errc::banned, ban->until_ms, ban->reason);
    }
    if (speaker.role >= Role::manager) {
        return std::nullopt;
    }
    if (const auto* mute = find(Kind::mute, speaker.uid, now_ms)) {
        return refusal(Errc::muted, mute->until_ms, mute->reason);
    }
    if (const auto* silence = room_mute(now_ms)) {
        return refusal(Errc::room_silenced, silence->until_ms, silence->reason);
    }
    if (speaker.role >= Role::bot) {
        return std::nullopt;
    }
    if (modes_.min_level > 0 && speaker.level < modes_.min_level) {
        return refusal(Errc::level_too_low);
    }
    if (modes_.guards_only && speaker.guard_level == 0) {
        return refusal(Errc::guards_only);
    }
    if (modes_.followers_only_min >= 0) {
        const auto since = following_since(speaker.uid);
        const Millis needed_ms = static_cast<Millis>(modes_.followers_only_min) * 60'000;
        if (!since) {
            return refusal(Errc::followers_only);
        }
        if (now_ms - *since < needed_ms) {
            return refusal(Errc::followers_only, *since + needed_ms);
        }
    }
    if (modes_.slow_s > 0) {
        auto last = last_sent_ms_.find(speaker.uid);
        const Millis gap_ms = static_cast<Millis>(modes_.slow_s) * 1000;
        if (last != last_sent_ms_.end() && now_ms - last->second < gap_ms) {
            return refusal(Errc::slow_mode, last->second + gap_ms);
        }
    }
    if (!text.empty() && flood_.floods(speaker.uid, text, now_ms)) {
        return refusal(Errc::duplicate_flood);
    }
    return std::nullopt;
}

void RoomModeration::sent(const Speaker& speaker, std::string_view text, Millis now_ms) {
    if (speaker.role >= Role::bot) {
        return;
    }
    // Slow-mode marks of users who left are forgotten now and then, so the table stays the
    // size of the room's recent speakers.
    if (++sent_since_sweep_ >= 4096) {
        sent_since_sweep_ = 0;
        sweep(now_ms);
    }
    if (modes_.slow_s > 0) {
        last_sent_ms_.insert_or_assign(speaker.uid, now_ms);
    }
    if (!text.empty()) {
        flood_.record(speaker.uid, text, now_ms);
    }
}

void RoomModeration::sweep(Millis now_ms) {
    for (auto* entries : {&mutes_, &bans_, &kicks_}) {
        std::erase_if(*entries, [now_ms](const auto& entry) { return !entry.second.active_at(now_ms); });
    }
    if (room_mute_ && !room_mute_->active_at(now_ms)) {
        room_mute_.reset();
    }
    const Millis gap_ms = static_cast<Millis>(modes_.slow_s) * 1000;
    std::erase_if(last_sent_ms_, [&](const auto& entry) { return now_ms - entry.second >= gap_ms; });
}

}  // namespace barrage::moderation
