#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// An app's review status. A developer writes a draft and submits it (in_review); an operator
// approves or rejects it. A draft or rejected app may be edited and (re)submitted; editing an
// approved app makes it a draft again, since only what was reviewed may run in strangers'
// rooms; an operator may also reject an approved app, withdrawing its approval.
enum class AppStatus : std::uint8_t { draft, in_review, approved, rejected };
std::string_view to_string(AppStatus status);
std::optional<AppStatus> parse_app_status(std::string_view text);

// What happens to an app, for next_status().
enum class AppStep : std::uint8_t { edit, submit, approve, reject };
// The status an app in `from` has after `step`, or Errc::wrong_app_status when `step` is not
// allowed in `from` (editing or submitting an app under review, approving one not submitted...).
Result<AppStatus> next_status(AppStatus from, AppStep step);

struct OpenApp {
    std::int64_t app_id = 0;
    UserId developer;
    std::string name;
    std::string description;
    std::string access_key_id;
    std::string access_key_secret;
    AppStatus status = AppStatus::draft;
    std::string reject_reason;  // the operator's, while rejected; "" otherwise
    Millis submitted_ms = 0;    // wall clock of the last submission; 0 if never submitted
};

// A streamer room's identity code: 14 characters of [0-9A-Z] from the CSPRNG (36^14, about
// 2^72), the form clients check (`[0-9A-Z]{12,14}`).
struct IdentityCode {
    RoomId room;
    std::string code;
};

inline constexpr std::size_t kIdentityCodeLength = 14;
// Apps one developer may create through the developer API (the operator's CLI is not held to
// it). Each app is a pair of keys, a review and rows of audit; 20 is more than a studio ships,
// and a draft or rejected app can be edited into another instead of making a new one.
inline constexpr std::size_t kAppsPerDeveloperMax = 20;
// Test rooms on one app's whitelist, beside its developer's own rooms. An app not yet approved
// is tried out in a few rooms of colleagues and testers; more would be running unreviewed in
// public.
inline constexpr std::size_t kTestRoomsMax = 10;

// A developer's new app (a draft); the developer is also who created it.
struct NewApp {
    UserId developer{};
    std::string name{};
    std::string description{};
};

// A developer's edit of an app's text.
struct AppEdit {
    std::int64_t app_id = 0;
    UserId actor{};
    std::string name{};
    std::string description{};
};

// An operator's decision on an app. A reason is what the developer reads (required to reject:
// the HTTP layer checks it).
struct AppReview {
    std::int64_t app_id = 0;
    UserId actor{};
    bool approve = false;
    std::string reason{};
};

// A room added to or removed from an app's test-room whitelist.
struct TestRoomChange {
    std::int64_t app_id = 0;
    RoomId room{};
    UserId actor{};
};

// The open platform's stored state: developers' apps with their access keys, review status and
// test rooms, each room's identity code, and an audit row (store/open_audit.h) for every change
// to any of them, in the same transaction. Blocking; the store pool, the CLI or start-up only.
class OpenApps {
public:
    OpenApps(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    // A new app for `developer` with fresh random keys (the secret is returned here, and shown
    // once by whoever asked), as a draft, or approved at once (`approve`: the operator's CLI).
    Result<OpenApp> create_app(UserId developer, std::string_view name, bool approve, UserId actor);
    // A developer's new draft; Errc::apps_limit when the developer holds kAppsPerDeveloperMax.
    Result<OpenApp> create_draft(const NewApp& app);
    std::optional<OpenApp> find_by_key(std::string_view access_key_id);
    std::optional<OpenApp> find(std::int64_t app_id);
    // The developer's oldest app of that name (the demo's app at start-up).
    std::optional<OpenApp> find_by_name(UserId developer, std::string_view name);

    // A developer's apps, oldest first.
    Result<std::vector<OpenApp>> apps_of(UserId developer);

    // The review lifecycle (next_status()): each answers the app as it is now, or
    // Errc::unknown_app, Errc::wrong_app_status. A submission clears the last rejection's
    // reason; the audit keeps it.
    Result<OpenApp> edit(const AppEdit& edit);
    Result<OpenApp> submit(std::int64_t app_id, UserId actor);
    Result<OpenApp> review(const AppReview& review);
    // Apps in review, oldest submission first, at most `limit`.
    Result<std::vector<OpenApp>> review_queue(std::size_t limit);

    // A new access key secret (returned here, once); the old one stops working at once, as the
    // signed API looks the secret up on every request. The key id stays.
    Result<OpenApp> rotate_secret(std::int64_t app_id, UserId actor);

    // The app's whitelist of test rooms. Adding answers false when the room was on it already,
    // Errc::unknown_room when no such room exists, Errc::whitelist_full past kTestRoomsMax;
    // removing answers false when it was not on it. Errc::unknown_app for either.
    Result<bool> add_test_room(const TestRoomChange& change);
    Result<bool> remove_test_room(const TestRoomChange& change);
    Result<std::vector<RoomId>> test_rooms(std::int64_t app_id);
    // Whether `app` may start a game in `room` (hosted by `room_host`): an approved app
    // anywhere; any other in its developer's own rooms and on its whitelist. False when the
    // whitelist cannot be read.
    bool may_run_in(const OpenApp& app, RoomId room, UserId room_host);
    // Whether `room` is one of the app's test rooms, approved or not: its developer's own rooms
    // and its whitelist (where the debug tool may inject events).
    bool is_test_room(const OpenApp& app, RoomId room, UserId room_host);

    // The room's identity code, made on first use; `refresh` replaces it (the old one stops
    // working at once).
    Result<IdentityCode> identity_code(RoomId room, bool refresh, UserId actor);
    // The room a code names, if any.
    std::optional<RoomId> room_of_code(std::string_view code);
    // The scheduled refresh: replaces at most `limit` codes made before `made_before_ms` (wall
    // time), oldest first, each audited as refreshed by actor 0 (the schedule). Running games
    // keep their sessions; the streamer looks the new code up. Returns how many were replaced.
    Result<std::size_t> refresh_codes_made_before(Millis made_before_ms, std::size_t limit);

private:
    Result<OpenApp> insert_app(OpenApp app, UserId actor);
    // Moves the app through `step` in one transaction with its audit row (`detail`), after
    // `change` (which may alter the app's text) ran on it.
    template <class Change>
    Result<OpenApp> step(std::int64_t app_id, AppStep step, UserId actor, std::string_view detail, Change change);
    Status audit(UserId actor, std::string_view action, std::int64_t app_id, RoomId room, std::string_view detail);

    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
