#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/ids.h"
#include "base/limits.h"
#include "base/result.h"
#include "message/role.h"
#include "store/database.h"

namespace barrage::store {

struct RoomRecord {
    RoomId id;
    std::string title;
    UserId host;
    std::vector<UserId> managers;
    std::int64_t danmaku_price = 0;  // coins per danmaku; 0 = free
    std::uint32_t streamer_share_per_mille =
        limits::kStreamerSharePerMilleDefault;  // the host's share of what viewers pay
    bool live = false;                          // the host is live (开播)
    std::int64_t area_id = 0;
    std::string area_name{};
    std::uint64_t likes = 0;  // the running like total, as last saved
};

struct UserRecord {
    UserId uid;
    std::string name;
    std::string face;
    message::Role role = message::Role::viewer;
};

// Rooms and users kept in the database. Blocking; store pool or start-up only.
class Directory {
public:
    explicit Directory(Database& database) : database_(database) {}

    std::vector<RoomRecord> load_rooms();
    // Errc::room_exists when the id is taken.
    Status insert_room(const RoomRecord& room, Millis created_ms);
    // Inserts the room unless it exists (config and demo rooms at start-up).
    void ensure_room(const RoomRecord& room, Millis created_ms);
    // Stores a room's live status, title and area (its host's PUT .../live).
    Status set_live(RoomId room, bool live, const std::string& title, std::int64_t area_id,
                    const std::string& area_name);

    // Saves rooms' running like totals in one transaction (unknown rooms are skipped).
    Status save_like_totals(const std::vector<std::pair<RoomId, std::uint64_t>>& totals);

    std::optional<UserRecord> find_user(UserId uid);
    void ensure_user(const UserRecord& user);

    // A named value (e.g. the generated token secret); set_if_absent returns the stored one.
    std::string setting_or_set(const std::string& name, const std::string& value_if_absent);

private:
    Database& database_;
};

}  // namespace barrage::store
