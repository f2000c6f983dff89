#pragma once

// A room's likes (点赞): viewers' clients batch their taps, the room's home thread adds them up
// here, and once per window the room says what changed — never one message per tap.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "message/room_message.h"

namespace barrage::room {

struct LikeOptions {
    // How often a room that was tapped says so (LIKE_INFO_V3_UPDATE and the sampled clicks).
    // Bilibili's own page updates about three times a second.
    Millis window_ms = 300;
    // Taps one user may add per second (by the room's clock); the rest are counted as capped.
    // A thumb manages about 15 taps a second and an auto-clicker thousands: this keeps the
    // total honest without answering an error storm to a client that batches too eagerly.
    std::uint32_t per_user_per_second = 50;
    // LIKE_INFO_V3_CLICK events per window, one per user: enough for a "X liked" ticker, few
    // enough that a storm of ten thousand tappers sends ten a second, not ten thousand.
    std::size_t clicks_per_window = 3;
    // The open platform's LIVE_OPEN_PLATFORM_LIKE adds a user's taps up over this long
    // (PROTOCOL.md §4: 2 s).
    Millis open_aggregate_ms = 2000;
};

// The answer to one batch of taps.
struct LikeReceipt {
    std::uint32_t accepted = 0;  // added to the room's total
    std::uint32_t capped = 0;    // over the user's per-second cap: counted, not added
    std::uint64_t total = 0;     // the room's running total, these taps included
};

// One user's taps added up for the open platform.
struct OpenLike {
    message::Sender sender;
    std::uint64_t count = 0;
};

// What a window has to say; empty parts say nothing.
struct LikeWindow {
    std::optional<std::uint64_t> total;   // the running total, when it moved this window
    std::vector<message::Sender> clicks;  // sampled tappers, at most clicks_per_window, distinct
    std::vector<OpenLike> open;           // users whose open_aggregate_ms has run out
};

// Owner thread only (a RoomExtension's home thread). Memory is bounded by the users who tapped
// within the last second (or open_aggregate_ms): forget() drops the rest at every window.
class LikeTally {
public:
    LikeTally(LikeOptions options, std::uint64_t restored_total);

    // Adds `taps` (> 0) from `sender` at steady time `now_ms`. `for_games`: a game is live in
    // the room and the host is live, so the taps are also added up for LIVE_OPEN_PLATFORM_LIKE.
    LikeReceipt add(const message::Sender& sender, std::uint32_t taps, Millis now_ms, bool for_games);

    // What the window ending at `now_ms` has to say; starts the next window.
    LikeWindow close_window(Millis now_ms);

    // True when a later window may still have something to say (taps since the last window,
    // or open-platform sums not yet due): the room keeps its window timer while this holds.
    bool pending() const;

    std::uint64_t total() const { return total_; }
    std::uint64_t capped_total() const { return capped_total_; }
    // Users the tally remembers now (for tests of its bound).
    std::size_t users_remembered() const { return users_.size(); }

private:
    struct User {
        Millis second_start_ms = 0;  // the user's current one-second cap period
        std::uint32_t taps_this_second = 0;
        std::uint64_t open_count = 0;  // taps not yet sent to games
        Millis open_first_ms = 0;      // when the first of them came
        message::Sender sender;        // as of the latest batch
        bool clicked = false;          // sampled in the current window
    };

    LikeOptions options_;
    std::uint64_t total_ = 0;
    std::uint64_t capped_total_ = 0;
    bool total_moved_ = false;
    std::vector<message::Sender> clicks_;
    std::unordered_map<UserId, User> users_;
    std::size_t open_pending_ = 0;  // users with open_count > 0
};

}  // namespace barrage::room
