#pragma once

#include <array>
#include <deque>
#include <memory>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/limits.h"
#include "base/owner_thread.h"
#include "base/result.h"
#include "message/room_message.h"
#include "room/encoding.h"
#include "room/history_ring.h"
#include "room/rate_limiter.h"
#include "room/replay_frames.h"
#include "room/room_extension.h"
#include "room/sequencer.h"

namespace barrage::room {

struct RoomConfig {
    RoomId id;
    std::string title;
    UserId host;
    std::vector<UserId> managers;
    std::int64_t danmaku_price = 0;  // coins per danmaku; 0 = free
    std::uint32_t streamer_share_per_mille =
        limits::kStreamerSharePerMilleDefault;  // the host's share of what viewers pay
    // The host's name in the users table when the room was loaded or created ("" when the host
    // is unknown there): gift events name their streamer with it.
    std::string host_name{};
    // Whether the host is live (开播), and the room's area; changed by the host (set_live).
    bool live = false;
    std::int64_t area_id = 0;
    std::string area_name{};
    // The running like total as last saved (restored at start-up); the room's LikeTally counts
    // on from it.
    std::uint64_t like_total = 0;
};

// How long a message to a quiet room waits for company (capped by the batch interval): long
// enough for messages already queued on the loops to join it, short next to the interval.
inline constexpr Millis kBatchGatherMs = 2;

struct RoomOptions {
    std::size_t history_length = 1000;
    std::size_t batch_messages_max = 512;  // flush early when a batch holds this many
    Millis batch_interval_ms = 50;         // a message waits at most this long (unstretched); 0 = at once
    // Under load a room's batches stretch apart, so that delivering them takes at most this
    // share of the home loop's time: when a batch took D ms to deliver there, the next starts
    // no sooner than D / share after it. 1 = never stretch. Why: docs/architecture.md,
    // "Batches under load".
    double delivery_share_max = 0.8;
    UserRateLimiter::Options rate_limit;
    // Tokens with the bot role send at this rate instead: a room's helper answers many viewers.
    UserRateLimiter::Options bot_rate_limit{.per_second = 20.0, .burst = 60.0, .users_max = 10'000};
    message::Role rate_limit_exempt_from = message::Role::manager;  // this role and above skip both
    // Huge rooms: each receiver gets at most about this many danmaku a second (host's and
    // managers' all, and its own), sampled fairly across senders (room/shed_levels.h). 0: off.
    double viewer_danmaku_per_s = 0;
    // Critical messages (gifts, super chats, guards, moderation, notices) kept apart from the
    // history, so a client that resumes past the history's reach still gets them.
    std::size_t critical_history_length = 1000;
};

// One live room: sequence numbers, history, the outgoing batch, per-user rate limits, who is
// listening (counted per I/O thread and encoding key) and the state other modules keep for it
// (extension()). Knows nothing of sockets.
// Owner thread only: the room's home thread, checked where BARRAGE_OWNER_CHECKS is on (a room
// set up on the main thread before the loops start is handed over with release_owner()).
class Room {
public:
    // `sequencer`: who gives this room's sequence numbers (default: a LocalSequencer from 1).
    Room(RoomConfig config, RoomOptions options, const Clock& clock, std::unique_ptr<Sequencer> sequencer = nullptr);

    const RoomConfig& config() const { return config_; }
    const RoomOptions& options() const { return options_; }
    // The host went live or stopped, under this title and area.
    void set_live(bool live, std::string title, std::int64_t area_id, std::string area_name);

    // The host appointed or removed a manager (房管): the room's managers now.
    void set_managers(std::vector<UserId> managers) {
        owner_.check();
        config_.managers = std::move(managers);
    }

    // The role `sender` has here: the token's role raised to host/manager by this room's
    // configuration.
    message::Role effective_role(UserId user, message::Role token_role) const;

    // Accepts a message from a user: checks the rate limit (Errc::rate_limited unless the role is
    // exempt), stamps time and (for sequenced bodies) the next sequence, appends to history
    // and to the pending batch. Returns the stored message.
    Result<message::MessagePtr> publish(message::Sender sender, message::Body body);

    // Adds a server-made message (enter, online count, system) without a rate limit.
    message::MessagePtr publish_system(message::Sender sender, message::Body body);

    // Guard memberships (舰长/提督/总督): a member's level shows on their later messages until
    // it expires (wall clock). Level 0 removes the mark.
    void set_guard(UserId user, std::uint8_t level, Millis expires_ms);
    // The active guard level of `user` now, 0 when none.
    std::uint8_t guard_level(UserId user) const;
    struct GuardMark {
        std::uint8_t level = 0;
        Millis expires_ms = 0;  // wall clock
    };
    // The stored mark, active or expired, or nullptr (for renewals, which extend from it).
    const GuardMark* guard(UserId user) const;

    // Membership, counted per (I/O thread, key). `user` (0 for anonymous) feeds `watched`.
    void join(std::size_t thread, EncodingKey key, UserId user);
    void leave(std::size_t thread, EncodingKey key);

    std::uint64_t online() const { return online_; }
    std::uint64_t watched() const { return watched_.size() + anonymous_watched_; }

    // Threads that have at least one member, and the keys in use across all threads.
    std::vector<std::size_t> threads_with_members() const;
    std::array<bool, kEncodingKeyCount> keys_in_use() const;
    // Keys in use by members on one thread.
    std::array<bool, kEncodingKeyCount> keys_in_use_on(std::size_t thread) const;

    bool batch_empty() const { return batch_.empty(); }
    bool batch_full() const { return batch_.size() >= options_.batch_messages_max; }
    // When the pending batch should go out (steady time, by the injected clock); nullopt when
    // it is empty. A room sends at most one batch per batch_interval(): a message waits for
    // the interval since the last batch to pass, and never longer than the interval. A
    // message to a room that has been quiet for an interval goes out after kBatchGatherMs,
    // so whatever arrives with it (a burst of gifts, publishes that queued behind a busy
    // loop) shares its frame. Full batches and interval 0 are due at once.
    std::optional<Millis> batch_due_at() const;
    // The last batch (taken at the last take_batch()) took `took_ms` to deliver on the home
    // loop: the interval before the next is stretched to took_ms / delivery_share_max when
    // that is longer than batch_interval_ms.
    void batch_delivered(Millis took_ms);
    // batch_interval_ms, or longer while the last batch's delivery stretches it.
    Millis batch_interval() const;
    bool batch_stretched() const { return batch_interval() > options_.batch_interval_ms; }
    // True when batch_due_at() has come.
    bool batch_due() const;
    // Takes the pending batch (in sequence order, unsequenced messages where they fell).
    std::vector<message::MessagePtr> take_batch();

    const HistoryRing& history() const { return history_; }

    struct Replay {
        // The missed messages, in order; past a gap, the critical ones older than the history
        // first (Room::replay).
        std::vector<wire::FramePtr> frames;
        bool gap = false;  // some message after the resume point is gone
        Sequence first_available = 0;
    };
    // What a joiner that last saw `after` missed (at most `limit` messages, the newest),
    // encoded for `key` through the room's ReplayFrames: whole history blocks are encoded once
    // and shared by every joiner. Open-platform keys are spelled for `open` (the resuming game's
    // app) and not cached.
    Replay replay(Sequence after, std::size_t limit, EncodingKey key, const message::OpenAudience* open = nullptr);
    const ReplayFrames& replay_frames() const { return replay_; }

    // The room's state of module type T (a RoomExtension), made by `make()` (returning a
    // std::unique_ptr<T>) on first use. A handful of modules at most, so a short list.
    template <class T, class Make>
    T& extension(Make&& make) {
        owner_.check();
        const void* tag = &kExtensionTag<T>;
        for (auto& [key, state] : extensions_) {
            if (key == tag) {
                return static_cast<T&>(*state);
            }
        }
        std::unique_ptr<RoomExtension> made = make();
        auto& added = extensions_.emplace_back(tag, std::move(made));
        return static_cast<T&>(*added.second);
    }

    // The room's state of type T if some module made it, else nullptr (for visits that must not
    // make state in every room they pass, such as a timer's walk over a loop's rooms).
    template <class T>
    T* find_extension() {
        owner_.check();
        for (auto& [key, state] : extensions_) {
            if (key == &kExtensionTag<T>) {
                return static_cast<T*>(state.get());
            }
        }
        return nullptr;
    }

    // Lets the next use bind the owner check to its thread (see OwnerThread).
    void release_owner() { owner_.release(); }

private:
    // One address per extension type: the key of its slot.
    template <class T>
    static constexpr char kExtensionTag = 0;

    message::MessagePtr stamp(message::Sender sender, message::Body body);

    RoomConfig config_;
    RoomOptions options_;
    const Clock& clock_;
    HistoryRing history_;
    std::deque<message::MessagePtr> critical_;  // the last critical_history_length critical messages
    ReplayFrames replay_;
    UserRateLimiter limiter_;
    UserRateLimiter bot_limiter_;
    std::vector<message::MessagePtr> batch_;
    Millis batch_started_ms_ = 0;          // steady time the oldest pending message arrived
    std::optional<Millis> last_batch_ms_;  // steady time of the last take_batch()
    Millis stretched_interval_ms_ = 0;     // set by batch_delivered()
    std::unique_ptr<Sequencer> sequencer_;
    std::vector<std::array<std::uint32_t, kEncodingKeyCount>> members_;  // [thread][key]
    std::uint64_t online_ = 0;
    std::unordered_set<UserId> watched_;
    std::unordered_map<UserId, GuardMark> guards_;
    std::uint64_t anonymous_watched_ = 0;
    std::vector<std::pair<const void*, std::unique_ptr<RoomExtension>>> extensions_;
    OwnerThread owner_;
};

}  // namespace barrage::room
