#include "room/room.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/assert.h"
#include "message/priority.h"

namespace barrage::room {

namespace {

// Distinct uids remembered for `watched`. Past it, a uid not yet remembered counts as a new
// viewer each time it joins (like an anonymous join): the number may then run high, but a
// room with millions of distinct viewers cannot grow this set without bound.
constexpr std::size_t kWatchedUsersMax = 1'000'000;

}  // namespace

Room::Room(RoomConfig config, RoomOptions options, const Clock& clock, std::unique_ptr<Sequencer> sequencer)
    : config_(std::move(config)),
      options_(options),
      clock_(clock),
      history_(options.history_length),
      limiter_(options.rate_limit, clock),
      bot_limiter_(options.bot_rate_limit, clock),
      sequencer_(sequencer ? std::move(sequencer) : std::make_unique<LocalSequencer>()) {
    history_.start_after(sequencer_->last());
}

message::Role Room::effective_role(UserId user, message::Role token_role) const {
    // uid 0 is every anonymous user; an unconfigured host (0) must not promote them.
    if (user.value == 0) {
        return token_role;
    }
    if (user == config_.host) {
        return std::max(token_role, message::Role::host);
    }
    if (std::ranges::find(config_.managers, user) != config_.managers.end()) {
        return std::max(token_role, message::Role::manager);
    }
    return token_role;
}

Result<message::MessagePtr> Room::publish(message::Sender sender, message::Body body) {
    owner_.check();
    const message::Role role = effective_role(sender.uid, sender.role);
    if (role < options_.rate_limit_exempt_from) {
        // Bots (a room's external bot, a load generator) are limited too, at their own rate.
        auto& limiter = role == message::Role::bot ? bot_limiter_ : limiter_;
        if (!limiter.allow(sender.uid)) {
            return make_error_code(Errc::rate_limited);
        }
    }
    return stamp(std::move(sender), std::move(body));
}

message::MessagePtr Room::publish_system(message::Sender sender, message::Body body) {
    return stamp(std::move(sender), std::move(body));
}

// The stored sender carries its effective role, so every dialect shows hosts and managers
// as such (web is_admin, native "role") without knowing the room's configuration.
message::MessagePtr Room::stamp(message::Sender sender, message::Body body) {
    owner_.check();
    sender.role = effective_role(sender.uid, sender.role);
    sender.guard_level = guard_level(sender.uid);
    const bool sequenced = message::is_sequenced(body);
    auto stored = std::make_shared<const message::RoomMessage>(message::RoomMessage{
        .room = config_.id,
        .sequence = sequenced ? sequencer_->next() : 0,
        .time_ms = clock_.wall_ms(),
        .sender = std::move(sender),
        .body = std::move(body),
    });
    if (sequenced) {
        history_.push(stored);
        replay_.forget_before(history_.oldest_sequence());
        if (message::priority_of(stored->body) == message::Priority::critical && options_.critical_history_length > 0) {
            critical_.push_back(stored);
            if (critical_.size() > options_.critical_history_length) {
                critical_.pop_front();
            }
        }
    }
    if (batch_.empty()) {
        batch_started_ms_ = clock_.steady_ms();
    }
    batch_.push_back(stored);
    return stored;
}

void Room::set_live(bool live, std::string title, std::int64_t area_id, std::string area_name) {
    owner_.check();
    config_.live = live;
    config_.title = std::move(title);
    config_.area_id = area_id;
    config_.area_name = std::move(area_name);
}

Room::Replay Room::replay(Sequence after, std::size_t limit, EncodingKey key, const message::OpenAudience* open) {
    owner_.check();
    auto resume = history_.after(after, limit);
    // Past a gap, the critical messages the history no longer holds (or the limit cut) come
    // first, from their own longer ring: a resuming client misses danmaku, not gifts.
    std::vector<message::MessagePtr> missed_critical;
    if (resume.gap) {
        const Sequence replayed_from =
            resume.messages.empty() ? history_.last_sequence() + 1 : resume.messages.front()->sequence;
        for (const auto& kept : critical_) {
            if (kept->sequence > after && kept->sequence < replayed_from) {
                missed_critical.push_back(kept);
            }
        }
    }
    Replay replay{{}, resume.gap, resume.first_available};
    if (!missed_critical.empty()) {
        if (auto frame = encode_for_key(missed_critical, key, open)) {
            replay.frames.push_back(std::move(frame));
        }
    }
    if (key.dialect == message::Dialect::open_platform) {
        // Spelled for the app asking (its open_ids), so not shareable through the block cache;
        // games resume rarely.
        if (auto frame = encode_for_key(resume.messages, key, open)) {
            replay.frames.push_back(std::move(frame));
        }
        return replay;
    }
    auto blocks = replay_.frames(resume.messages, key);
    replay.frames.insert(replay.frames.end(), blocks.begin(), blocks.end());
    return replay;
}

void Room::set_guard(UserId user, std::uint8_t level, Millis expires_ms) {
    owner_.check();
    if (level == 0 || user.value == 0) {
        guards_.erase(user);
        return;
    }
    guards_[user] = GuardMark{level, expires_ms};
}

const Room::GuardMark* Room::guard(UserId user) const {
    owner_.check();
    auto found = guards_.find(user);
    return found == guards_.end() ? nullptr : &found->second;
}

std::uint8_t Room::guard_level(UserId user) const {
    auto found = guards_.find(user);
    if (found == guards_.end() || found->second.expires_ms <= clock_.wall_ms()) {
        return 0;
    }
    return found->second.level;
}

void Room::join(std::size_t thread, EncodingKey key, UserId user) {
    owner_.check();
    if (thread >= members_.size()) {
        members_.resize(thread + 1, std::array<std::uint32_t, kEncodingKeyCount>{});
    }
    ++members_[thread][key.index()];
    ++online_;
    if (user.value == 0) {
        ++anonymous_watched_;
        return;
    }
    if (watched_.contains(user)) {
        return;
    }
    if (watched_.size() < kWatchedUsersMax) {
        watched_.insert(user);
    } else {
        ++anonymous_watched_;
    }
}

void Room::leave(std::size_t thread, EncodingKey key) {
    owner_.check();
    // A leave without its join is the caller's bookkeeping bug: counts would wrap.
    BARRAGE_ASSERT(thread < members_.size());
    BARRAGE_ASSERT(members_[thread][key.index()] > 0);
    BARRAGE_ASSERT(online_ > 0);
    --members_[thread][key.index()];
    --online_;
}

std::vector<std::size_t> Room::threads_with_members() const {
    owner_.check();
    std::vector<std::size_t> threads;
    for (std::size_t thread = 0; thread < members_.size(); ++thread) {
        const auto& counts = members_[thread];
        if (std::any_of(counts.begin(), counts.end(), [](std::uint32_t n) { return n > 0; })) {
            threads.push_back(thread);
        }
    }
    return threads;
}

std::array<bool, kEncodingKeyCount> Room::keys_in_use() const {
    std::array<bool, kEncodingKeyCount> in_use{};
    for (const auto& counts : members_) {
        for (std::size_t key = 0; key < kEncodingKeyCount; ++key) {
            in_use[key] = in_use[key] || counts[key] > 0;
        }
    }
    return in_use;
}

std::array<bool, kEncodingKeyCount> Room::keys_in_use_on(std::size_t thread) const {
    std::array<bool, kEncodingKeyCount> in_use{};
    if (thread >= members_.size()) {
        return in_use;
    }
    for (std::size_t key = 0; key < kEncodingKeyCount; ++key) {
        in_use[key] = members_[thread][key] > 0;
    }
    return in_use;
}

std::optional<Millis> Room::batch_due_at() const {
    if (batch_.empty()) {
        return std::nullopt;
    }
    const Millis interval = batch_interval();
    if (batch_full() || interval <= 0) {
        return batch_started_ms_;
    }
    const Millis gathered = batch_started_ms_ + std::min(kBatchGatherMs, options_.batch_interval_ms);
    if (!last_batch_ms_) {
        return gathered;
    }
    // The oldest message arrived after the last batch went, so this is at most one interval
    // after it arrived.
    return std::max(*last_batch_ms_ + interval, gathered);
}

void Room::batch_delivered(Millis took_ms) {
    const double share = std::clamp(options_.delivery_share_max, 0.01, 1.0);
    stretched_interval_ms_ = took_ms <= 0 ? 0 : static_cast<Millis>(std::ceil(static_cast<double>(took_ms) / share));
}

Millis Room::batch_interval() const {
    if (options_.batch_interval_ms <= 0) {
        return 0;  // every message at once, as asked
    }
    return std::max(options_.batch_interval_ms, stretched_interval_ms_);
}

bool Room::batch_due() const {
    const auto due = batch_due_at();
    return due && *due <= clock_.steady_ms();
}

std::vector<message::MessagePtr> Room::take_batch() {
    owner_.check();
    std::vector<message::MessagePtr> taken;
    taken.swap(batch_);
    last_batch_ms_ = clock_.steady_ms();
    // The next message starts a new wait; stamp() sets the real start when it arrives.
    batch_started_ms_ = 0;
    return taken;
}

}  // namespace barrage::room
