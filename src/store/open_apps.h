#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

enum class AppStatus : std::uint8_t { draft, in_review, approved, rejected };
std::string_view to_string(AppStatus status);
std::optional<AppStatus> parse_app_status(std::string_view text);

struct OpenApp {
    std::int64_t app_id = 0;
    UserId developer;
    std::string name;
    std::string access_key_id;
    std::string access_key_secret;
    AppStatus status = AppStatus::draft;
    std::string reject_reason;
};

// A streamer room's identity code: 14 characters of [0-9A-Z] from the CSPRNG (36^14, about
// 2^72), the form clients check (`[0-9A-Z]{12,14}`).
struct IdentityCode {
    RoomId room;
    std::string code;
};

inline constexpr std::size_t kIdentityCodeLength = 14;

// The open platform's stored state: developers' apps with their access keys and review status,
// each room's identity code, and an audit row for every change to either. Blocking; the store
// pool, the CLI or start-up only.
class OpenApps {
public:
    OpenApps(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    // A new app for `developer` with fresh random keys (the secret is returned here, and shown
    // once by whoever asked), as a draft, or approved at once (`approve`: the operator's CLI).
    Result<OpenApp> create_app(UserId developer, std::string_view name, bool approve, UserId actor);
    std::optional<OpenApp> find_by_key(std::string_view access_key_id);
    std::optional<OpenApp> find(std::int64_t app_id);
    // The developer's oldest app of that name (the demo's app at start-up).
    std::optional<OpenApp> find_by_name(UserId developer, std::string_view name);

    // The room's identity code, made on first use; `refresh` replaces it (the old one stops
    // working at once).
    Result<IdentityCode> identity_code(RoomId room, bool refresh, UserId actor);
    // The room a code names, if any.
    std::optional<RoomId> room_of_code(std::string_view code);

private:
    Status audit(UserId actor, std::string_view action, std::int64_t app_id, RoomId room, std::string_view detail);

    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
