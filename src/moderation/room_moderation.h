#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "message/role.h"
#include "message/room_message.h"
#include "moderation/flood_detector.h"
#include "moderation/sanction.h"
#include "moderation/word_list.h"
#include "room/room.h"
#include "room/room_extension.h"

namespace barrage::moderation {

// Mutes (or bans, or kicks) one room holds at most.
inline constexpr std::size_t kSanctionsMax = 100'000;

struct ModerationOptions {
    FloodOptions flood;
    Millis kick_ms = 5 * 60 * 1000;  // how long a kicked user stays out when no time is given
};

// Who is speaking, as the rules need them: the effective role in the room, the guard level held
// there, and the user level their token carries.
struct Speaker {
    UserId uid;
    message::Role role = message::Role::viewer;
    std::uint8_t guard_level = 0;
    std::uint8_t level = 0;
};

// One room's moderation state and the rules that read it: mutes, bans, kicks, the room mute,
// slow mode, chat modes, followers, duplicate-flood detection. It is the one place the send and
// join paths ask, so a later cluster can keep this state elsewhere (Redis) behind the same
// questions. Lives in the room (a RoomExtension) on its home loop; owner thread only. Expired
// entries are forgotten as they are met and by sweep().
class RoomModeration final : public room::RoomExtension {
public:
    explicit RoomModeration(const ModerationOptions& options) : options_(options), flood_(options.flood) {}

    static RoomModeration& of(room::Room& room, const ModerationOptions& options) {
        return room.extension<RoomModeration>([&] { return std::make_unique<RoomModeration>(options); });
    }

    // May `speaker` send `text` ("" for bodies without text) now? Checked in this order: room
    // ban, mute, room mute, chat modes, slow mode, duplicate flood. Managers and above pass all
    // but bans; bots pass chat modes, slow mode and the flood check. Global bans are the
    // caller's (GlobalBans), checked first.
    std::optional<Refusal> check_send(const Speaker& speaker, std::string_view text, Millis now_ms);
    // Records an accepted message for slow mode and the flood window.
    void sent(const Speaker& speaker, std::string_view text, Millis now_ms);
    // May `user` join now? Errc::banned or Errc::kicked, with until when.
    std::optional<Refusal> check_join(UserId user, Millis now_ms) const;

    enum class Kind : std::uint8_t { mute, ban, kick };
    // The user's active sanction of that kind, or nullptr.
    const Sanction* find(Kind kind, UserId user, Millis now_ms) const;
    void impose(Kind kind, UserId user, Sanction sanction);
    // False when there was none.
    bool lift(Kind kind, UserId user);
    // Sanctions of a kind held (active or not yet swept): bounded per room by the API
    // (kSanctionsMax) so no moderator can grow a room's tables without end.
    std::size_t count(Kind kind) const { return table(kind).size(); }
    // Active sanctions of a kind, for listing.
    std::vector<std::pair<UserId, Sanction>> active(Kind kind, Millis now_ms) const;

    // The whole room's mute (only managers and above speak).
    const Sanction* room_mute(Millis now_ms) const;
    void mute_room(Sanction sanction) { room_mute_ = std::move(sanction); }
    bool unmute_room();

    const message::ChatModeView& modes() const { return modes_; }
    void set_modes(const message::ChatModeView& modes) { modes_ = modes; }

    // Followers (for the followers-only chat mode): since when, wall clock.
    void follow(UserId user, Millis since_ms) { followers_.try_emplace(user, since_ms); }
    bool unfollow(UserId user) { return followers_.erase(user) > 0; }
    std::optional<Millis> following_since(UserId user) const;
    std::size_t follower_count() const { return followers_.size(); }

    // The room's own word list (the platform's is SharedWordList), swapped whole; null: none.
    const std::shared_ptr<const WordList>& words() const { return words_; }
    void set_words(std::shared_ptr<const WordList> words) { words_ = std::move(words); }

    // Forgets expired sanctions and slow-mode marks.
    void sweep(Millis now_ms);

private:
    using Table = std::unordered_map<UserId, Sanction>;
    Table& table(Kind kind);
    const Table& table(Kind kind) const;

    ModerationOptions options_;
    Table mutes_;
    Table bans_;
    Table kicks_;
    std::optional<Sanction> room_mute_;
    message::ChatModeView modes_;
    std::unordered_map<UserId, Millis> followers_;
    std::unordered_map<UserId, Millis> last_sent_ms_;  // for slow mode
    FloodDetector flood_;
    std::shared_ptr<const WordList> words_;
    std::uint32_t sent_since_sweep_ = 0;
};

}  // namespace barrage::moderation
