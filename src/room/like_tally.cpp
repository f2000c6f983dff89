#include "room/like_tally.h"

#include <algorithm>

#include "base/assert.h"

namespace barrage::room {

namespace {

constexpr Millis kCapPeriodMs = 1000;

}  // namespace

LikeTally::LikeTally(LikeOptions options, std::uint64_t restored_total) : options_(options), total_(restored_total) {}

LikeReceipt LikeTally::add(const message::Sender& sender, std::uint32_t taps, Millis now_ms, bool for_games) {
    BARRAGE_ASSERT(taps > 0);
    auto& user = users_[sender.uid];
    if (now_ms - user.second_start_ms >= kCapPeriodMs) {
        user.second_start_ms = now_ms;
        user.taps_this_second = 0;
    }
    const std::uint32_t room_left =
        options_.per_user_per_second - std::min(options_.per_user_per_second, user.taps_this_second);
    const std::uint32_t accepted = std::min(taps, room_left);
    user.taps_this_second += accepted;
    user.sender = sender;
    total_ += accepted;
    capped_total_ += taps - accepted;
    if (accepted > 0) {
        total_moved_ = true;
        if (!user.clicked && clicks_.size() < options_.clicks_per_window) {
            user.clicked = true;
            clicks_.push_back(sender);
        }
        if (for_games) {
            if (user.open_count == 0) {
                user.open_first_ms = now_ms;
                ++open_pending_;
            }
            user.open_count += accepted;
        }
    }
    return {accepted, taps - accepted, total_};
}

LikeWindow LikeTally::close_window(Millis now_ms) {
    LikeWindow window;
    if (total_moved_) {
        window.total = total_;
        total_moved_ = false;
    }
    window.clicks = std::move(clicks_);
    clicks_.clear();
    for (auto it = users_.begin(); it != users_.end();) {
        auto& user = it->second;
        user.clicked = false;
        if (user.open_count > 0 && now_ms - user.open_first_ms >= options_.open_aggregate_ms) {
            window.open.push_back({user.sender, user.open_count});
            user.open_count = 0;
            --open_pending_;
        }
        // Forgotten once neither the cap nor the open platform needs it: a storm's memory
        // lasts a second past its last tap.
        const bool capping = now_ms - user.second_start_ms < kCapPeriodMs;
        it = (capping || user.open_count > 0) ? std::next(it) : users_.erase(it);
    }
    return window;
}

bool LikeTally::pending() const {
    return total_moved_ || !clicks_.empty() || open_pending_ > 0;
}

}  // namespace barrage::room
