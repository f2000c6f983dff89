#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// What an open_audit row records (docs/open-platform.md lists them with their fields).
namespace audit_action {
inline constexpr std::string_view app_created = "app_created";
inline constexpr std::string_view app_created_approved = "app_created_approved";
inline constexpr std::string_view app_edited = "app_edited";
inline constexpr std::string_view app_submitted = "app_submitted";
inline constexpr std::string_view app_approved = "app_approved";
inline constexpr std::string_view app_rejected = "app_rejected";
inline constexpr std::string_view secret_rotated = "secret_rotated";
inline constexpr std::string_view test_room_added = "test_room_added";
inline constexpr std::string_view test_room_removed = "test_room_removed";
inline constexpr std::string_view developer_granted = "developer_granted";
inline constexpr std::string_view developer_revoked = "developer_revoked";
inline constexpr std::string_view identity_code_created = "identity_code_created";
inline constexpr std::string_view identity_code_refreshed = "identity_code_refreshed";
inline constexpr std::string_view app_share_scheduled = "app_share_scheduled";
inline constexpr std::string_view default_share_recorded = "default_share_recorded";
inline constexpr std::string_view asset_uploaded = "asset_uploaded";
inline constexpr std::string_view gift_created = "gift_created";
inline constexpr std::string_view gift_edited = "gift_edited";
inline constexpr std::string_view gift_submitted = "gift_submitted";
inline constexpr std::string_view gift_approved = "gift_approved";
inline constexpr std::string_view gift_rejected = "gift_rejected";
}  // namespace audit_action

// One row of the open platform's audit log: who did what, to which app, room or user, when and
// why. Never a secret or an identity code.
struct OpenAuditEntry {
    std::int64_t id = 0;      // set when written; rows of one database only grow
    Millis at_ms = 0;         // wall clock; set when written
    UserId actor{};           // who: a user, or 0 for the command line
    std::string action{};     // one of audit_action
    std::int64_t app_id = 0;  // 0: no app
    RoomId room{};            // 0: no room
    UserId subject{};         // the user acted on (a developer granted or revoked); 0: none
    std::string detail{};     // why (a reviewer's reason), or what (an app's new name)
};

// The open_audit table: written beside every change to the open platform's state, in the same
// transaction, and read a page at a time. Blocking; the store pool, the CLI or start-up only.
class OpenAudit {
public:
    OpenAudit(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    // Appends `entry` (its id and time are set here).
    Status write(const OpenAuditEntry& entry);
    // Up to `limit` rows with ids below `before`, newest first: of one app, or of everything
    // when `app_id` is 0.
    Result<std::vector<OpenAuditEntry>> page(std::int64_t app_id, std::int64_t before, std::size_t limit);

private:
    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
