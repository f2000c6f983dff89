#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// A streamer's report of a problem with a game in their room, and the game's developer's answer
// (seed 004's feedback channel between streamers and developers).
struct FeedbackEntry {
    std::int64_t id = 0;  // set when written
    std::int64_t app_id = 0;
    RoomId room{};
    UserId reporter{};
    std::string text{};
    Millis created_ms = 0;  // wall clock; set when written
    std::string answer{};   // "" until the developer answers
    Millis answered_ms = 0;
    UserId answered_by{};
};

// The open_feedback table. Blocking; the store pool only.
class OpenFeedback {
public:
    OpenFeedback(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    // Writes a report (its id and time set here) and answers its id.
    Result<std::int64_t> add(const FeedbackEntry& entry);
    // The newest `limit` reports about one app, or by one reporter.
    Result<std::vector<FeedbackEntry>> of_app(std::int64_t app_id, std::size_t limit);
    Result<std::vector<FeedbackEntry>> of_reporter(UserId reporter, std::size_t limit);
    // Sets (or replaces) the answer to report `id` about `app_id`: Errc::not_found when there is
    // no such report of that app.
    Status answer(std::int64_t id, std::int64_t app_id, const std::string& text, UserId by);

private:
    Result<std::vector<FeedbackEntry>> select(std::string_view where, std::int64_t key, std::size_t limit);

    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
