#include "gateway/hub.h"

#include <chrono>
#include <optional>
#include <queue>

#include <boost/asio/post.hpp>

#include "base/assert.h"
#include "net/run_on.h"

namespace barrage::gateway {

namespace asio = boost::asio;

// This loop's members of one room, grouped by encoding key so a delivery is a plain loop over
// receivers that all take the same frame.
struct Hub::LocalRoom {
    std::array<std::vector<Subscriber*>, room::kEncodingKeyCount> members;
    std::uint64_t online = 0;  // last count the home loop told us, for heartbeat replies
};

struct Hub::Shard {
    explicit Shard(asio::io_context& context) : batch_timer(context), online_timer(context) {}

    // Rooms whose home is this loop.
    std::unordered_map<RoomId, std::unique_ptr<room::Room>> rooms;
    // Homed rooms with a pending batch, each with one entry in batch_dues (earliest first).
    // An entry can be early (the batch went out full and a later one is pending): it is
    // pushed again with the room's new due time when it comes up.
    std::unordered_set<RoomId> dirty;
    using BatchDue = std::pair<Millis, RoomId>;
    std::priority_queue<BatchDue, std::vector<BatchDue>, std::greater<>> batch_dues;
    // The batch timer's pending wait, if any; a re-arm bumps the generation so the wait it
    // replaced does nothing when it completes.
    std::optional<Millis> batch_timer_due;
    std::uint64_t batch_timer_generation = 0;
    struct OnlinePushed {
        std::uint64_t online = 0;
        Millis at_ms = 0;  // steady
    };
    std::unordered_map<RoomId, OnlinePushed> last_online_pushed;
    // This loop's connections, per room.
    std::unordered_map<RoomId, LocalRoom> local;
    asio::steady_timer batch_timer;
    asio::steady_timer online_timer;
    bool stopped = false;
    LoopCounters counters;
};

Hub::Hub(net::IoThreads& loops, HubOptions options, const Clock& clock)
    : loops_(loops), options_(std::move(options)), clock_(clock) {
    for (std::size_t i = 0; i < loops.size(); ++i) {
        shards_.push_back(std::make_unique<Shard>(loops.context(i)));
    }
}

Hub::~Hub() = default;

std::size_t Hub::loop_count() const { return shards_.size(); }

std::size_t Hub::home_of(RoomId room) const {
    // Fibonacci hashing spreads sequential room ids over the loops.
    return static_cast<std::size_t>((room.value * 0x9E3779B97F4A7C15ULL) >> 32) % shards_.size();
}

Hub::Shard& Hub::shard(std::size_t loop) const {
    BARRAGE_ASSERT(loop < shards_.size());
    return *shards_[loop];
}

room::Room* Hub::find(std::size_t loop, RoomId room) const {
    auto& rooms = shard(loop).rooms;
    auto found = rooms.find(room);
    return found == rooms.end() ? nullptr : found->second.get();
}

LoopCounters& Hub::counters(std::size_t loop) { return shard(loop).counters; }

std::vector<const LoopCounters*> Hub::all_counters() const {
    std::vector<const LoopCounters*> out;
    for (const auto& s : shards_) {
        out.push_back(&s->counters);
    }
    return out;
}

void Hub::add_room(room::RoomConfig config) {
    auto home = home_of(config.id);
    auto id = config.id;
    auto [_, inserted] = shard(home).rooms.emplace(
        id, std::make_unique<room::Room>(std::move(config), options_.room, clock_));
    if (inserted) {
        room_count_.fetch_add(1, std::memory_order_relaxed);
    }
}

room::Room* Hub::room_for_setup(RoomId room) { return find(home_of(room), room); }

void Hub::start() {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        asio::post(loops_.context(i), [this, i] { schedule_online_tick(i); });
    }
}

void Hub::stop() {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        asio::post(loops_.context(i), [this, i] {
            auto& s = shard(i);
            s.stopped = true;
            s.batch_timer.cancel();
            s.online_timer.cancel();
            for (auto& [id, room] : s.rooms) {
                flush(i, *room);
            }
            s.dirty.clear();
            s.batch_dues = {};
        });
    }
}

void Hub::arm_batch_timer(std::size_t loop, Millis due_ms) {
    auto& s = shard(loop);
    if (s.batch_timer_due && *s.batch_timer_due <= due_ms) {
        return;
    }
    s.batch_timer_due = due_ms;
    const auto generation = ++s.batch_timer_generation;
    s.batch_timer.expires_after(std::chrono::milliseconds(std::max<Millis>(0, due_ms - clock_.steady_ms())));
    s.batch_timer.async_wait([this, loop, generation](boost::system::error_code) {
        auto& fired = shard(loop);
        if (fired.stopped || generation != fired.batch_timer_generation) {
            return;  // stopping, or replaced by an earlier wait
        }
        fired.batch_timer_due.reset();
        flush_due_batches(loop);
    });
}

void Hub::flush_due_batches(std::size_t loop) {
    auto& s = shard(loop);
    const Millis now = clock_.steady_ms();
    while (!s.batch_dues.empty() && s.batch_dues.top().first <= now) {
        const RoomId id = s.batch_dues.top().second;
        s.batch_dues.pop();
        auto* r = find(loop, id);
        const auto due = r != nullptr ? r->batch_due_at() : std::nullopt;
        if (!due) {
            s.dirty.erase(id);
        } else if (*due <= now) {
            flush(loop, *r);
            s.dirty.erase(id);
        } else {
            s.batch_dues.emplace(*due, id);
        }
    }
    if (!s.batch_dues.empty()) {
        arm_batch_timer(loop, s.batch_dues.top().first);
    }
}

void Hub::schedule_online_tick(std::size_t loop) {
    auto& s = shard(loop);
    s.online_timer.expires_after(std::chrono::milliseconds(options_.online_push_interval_ms));
    s.online_timer.async_wait([this, loop](boost::system::error_code ec) {
        if (ec || shard(loop).stopped) {
            return;
        }
        push_online_counts(loop);
        schedule_online_tick(loop);
    });
}

void Hub::push_online_counts(std::size_t loop) {
    // Counts go out when they change, and at least every kOnlineRefreshMs while anyone listens,
    // as Bilibili's rooms do: clients show a live number and some treat silence as a dead link.
    constexpr Millis kOnlineRefreshMs = 30'000;
    auto& s = shard(loop);
    Millis now = clock_.steady_ms();
    for (auto& [id, r] : s.rooms) {
        auto& last = s.last_online_pushed[id];
        bool changed = r->online() != last.online;
        bool stale = r->online() > 0 && now - last.at_ms >= kOnlineRefreshMs;
        if (!changed && !stale) {
            continue;
        }
        last = {r->online(), now};
        r->publish_system({}, message::OnlineCount{r->online(), r->watched()});
        batch_added(loop, *r);
    }
}

void Hub::batch_added(std::size_t home, room::Room& r) {
    const auto due = r.batch_due_at();
    BARRAGE_ASSERT(due.has_value());
    if (*due <= clock_.steady_ms()) {
        flush(home, r);
        return;
    }
    auto& s = shard(home);
    if (s.stopped) {
        flush(home, r);  // no timer runs any more
        return;
    }
    if (s.dirty.insert(r.config().id).second) {
        s.batch_dues.emplace(*due, r.config().id);
        arm_batch_timer(home, *due);
    }
}

void Hub::flush(std::size_t home, room::Room& r) {
    if (r.batch_empty()) {
        return;
    }
    auto batch = r.take_batch();
    auto frames = std::make_shared<const room::FrameSet>(room::encode_for_keys(batch, r.keys_in_use()));
    LoopCounters::add(shard(home).counters.batches_encoded_total);
    std::uint64_t online = r.online();
    RoomId id = r.config().id;
    for (std::size_t loop : r.threads_with_members()) {
        if (loop == home) {
            deliver(loop, id, *frames, online);
            continue;
        }
        asio::post(loops_.context(loop), [this, loop, id, frames, online] { deliver(loop, id, *frames, online); });
    }
}

void Hub::deliver(std::size_t loop, RoomId room, const room::FrameSet& frames, std::uint64_t online) {
    auto& s = shard(loop);
    auto found = s.local.find(room);
    if (found == s.local.end()) {
        return;
    }
    auto& local = found->second;
    local.online = online;
    std::uint64_t frames_out = 0;
    std::uint64_t bytes_out = 0;
    for (std::size_t key = 0; key < room::kEncodingKeyCount; ++key) {
        const auto& frame = frames[key];
        if (!frame) {
            continue;
        }
        // Copy the list: a delivery may close a member (outbound overflow), which unsubscribes it.
        auto& members = local.members[key];
        for (std::size_t i = 0; i < members.size();) {
            Subscriber* member = members[i];
            member->deliver(frame);
            // A member that closed itself was swapped out of slot i; look at i again.
            if (i < members.size() && members[i] == member) {
                ++i;
            }
            ++frames_out;
            bytes_out += frame->bytes.size();
        }
    }
    LoopCounters::add(s.counters.frames_delivered_total, frames_out);
    LoopCounters::add(s.counters.bytes_delivered_total, bytes_out);
}

void Hub::subscribe(std::size_t loop, RoomId room, room::EncodingKey key, Subscriber& member,
                    std::uint64_t online) {
    auto& local = shard(loop).local[room];
    local.online = online;
    auto& members = local.members[key.index()];
    member.member_slot = members.size();
    members.push_back(&member);
}

void Hub::unsubscribe(std::size_t loop, RoomId room, room::EncodingKey key, Subscriber& member) {
    auto& s = shard(loop);
    auto found = s.local.find(room);
    BARRAGE_ASSERT(found != s.local.end());
    auto& members = found->second.members[key.index()];
    std::size_t slot = member.member_slot;
    BARRAGE_ASSERT(slot < members.size() && members[slot] == &member);
    members[slot] = members.back();
    members[slot]->member_slot = slot;
    members.pop_back();
}

std::uint64_t Hub::online_on(std::size_t loop, RoomId room) const {
    const auto& local = shard(loop).local;
    auto found = local.find(room);
    return found == local.end() ? 0 : found->second.online;
}

void Hub::leave(RoomId room, std::size_t loop, room::EncodingKey key) {
    std::size_t home = home_of(room);
    asio::post(loops_.context(home), [this, home, room, loop, key] {
        if (auto* r = find(home, room)) {
            r->leave(loop, key);
        }
    });
}

asio::awaitable<Result<JoinReply>> Hub::join(JoinRequest join) {
    std::size_t home = home_of(join.room);
    auto work = [this, home, join = std::move(join)]() -> Result<JoinReply> {
        auto* r = find(home, join.room);
        if (r == nullptr) {
            return make_error_code(Errc::unknown_room);
        }
        // Send what is pending first, so the newcomer never gets a message both in its replay
        // and in a batch.
        flush(home, *r);
        r->join(join.loop, join.key, join.sender.uid);
        JoinReply reply;
        reply.online = r->online();
        // Small notices are made for this joiner; the history itself comes encoded once per
        // block and key, shared with every other joiner (room::ReplayFrames).
        auto notice = [&](message::Body body) {
            const std::array one{std::make_shared<const message::RoomMessage>(
                message::RoomMessage{join.room, 0, clock_.wall_ms(), {}, std::move(body)})};
            if (auto frame = room::encode_for_key(one, join.key)) {
                reply.replay.push_back(std::move(frame));
            }
        };
        if (join.last_sequence) {
            const auto encodings_before = r->replay_frames().encodings();
            auto resume = r->replay(*join.last_sequence, options_.resume_messages_max, join.key);
            LoopCounters::add(shard(home).counters.replay_encodings_total,
                              r->replay_frames().encodings() - encodings_before);
            if (resume.gap) {
                notice(message::HistoryGap{*join.last_sequence, resume.first_available});
            }
            reply.replay.insert(reply.replay.end(), resume.frames.begin(), resume.frames.end());
        }
        // The newcomer learns the room's counts at once instead of at the next change.
        notice(message::OnlineCount{r->online(), r->watched()});
        bool announce = options_.enter_events == EnterEvents::all ||
                        (options_.enter_events == EnterEvents::users && join.sender.uid.value != 0);
        if (announce) {
            r->publish_system(join.sender, message::Enter{});
            batch_added(home, *r);
        }
        return reply;
    };
    // Awaitables with by-value arguments are made in their own statement: GCC 12 destroys
    // non-trivial temporaries of a co_await full-expression twice.
    auto pending = net::run_on(loops_.executor(home), std::move(work));
    co_return co_await std::move(pending);
}

asio::awaitable<Result<message::MessagePtr>> Hub::publish(RoomId room, message::Sender sender,
                                                          message::Body body) {
    std::size_t home = home_of(room);
    auto work = [this, home, room, sender = std::move(sender), body = std::move(body)]() mutable
        -> Result<message::MessagePtr> {
            auto* r = find(home, room);
            auto& counters = shard(home).counters;
            if (r == nullptr) {
                LoopCounters::add(counters.publish_rejected_total);
                return make_error_code(Errc::unknown_room);
            }
            if (r->config().danmaku_price > 0 && std::holds_alternative<message::Danmaku>(body)) {
                LoopCounters::add(counters.publish_rejected_total);
                return make_error_code(Errc::payment_required);
            }
            auto stored = r->publish(std::move(sender), std::move(body));
            if (!stored) {
                LoopCounters::add(counters.publish_rejected_total);
                return stored;
            }
            LoopCounters::add(counters.messages_published_total);
            batch_added(home, *r);
            return stored;
        };
    auto pending = net::run_on(loops_.executor(home), std::move(work));
    co_return co_await std::move(pending);
}

asio::awaitable<Result<message::MessagePtr>> Hub::publish_made(RoomId room, MakeEvent make) {
    auto always = [make = std::move(make)](room::Room& r, std::size_t home) -> Result<std::optional<MadeEvent>> {
        auto made = make(r, home);
        if (!made) {
            return made.error();
        }
        return std::optional<MadeEvent>(std::move(*made));
    };
    auto publishing = publish_made_if(room, std::move(always));
    co_return co_await std::move(publishing);
}

asio::awaitable<Result<message::MessagePtr>> Hub::publish_made_if(RoomId room, MaybeEvent make) {
    std::size_t home = home_of(room);
    auto work = [this, home, room, make = std::move(make)]() -> Result<message::MessagePtr> {
        auto* r = find(home, room);
        if (r == nullptr) {
            return make_error_code(Errc::unknown_room);
        }
        auto made = make(*r, home);
        if (!made) {
            return made.error();
        }
        if (!*made) {
            return message::MessagePtr();
        }
        auto stored = r->publish_system(std::move((*made)->first), std::move((*made)->second));
        LoopCounters::add(shard(home).counters.messages_published_total);
        batch_added(home, *r);
        return stored;
    };
    auto pending = net::run_on(loops_.executor(home), std::move(work));
    co_return co_await std::move(pending);
}

asio::awaitable<Status> Hub::create_room(room::RoomConfig config) {
    std::size_t home = home_of(config.id);
    auto work = [this, home, config = std::move(config)]() -> Status {
        auto& rooms = shard(home).rooms;
        if (rooms.contains(config.id)) {
            return make_error_code(Errc::room_exists);
        }
        auto id = config.id;
        rooms.emplace(id, std::make_unique<room::Room>(config, options_.room, clock_));
        room_count_.fetch_add(1, std::memory_order_relaxed);
        return {};
    };
    auto pending = net::run_on(loops_.executor(home), std::move(work));
    co_return co_await std::move(pending);
}

namespace {
RoomSnapshot snapshot_of(const room::Room& r) {
    return {r.config(), r.online(), r.watched(), r.history().last_sequence()};
}
}  // namespace

asio::awaitable<Result<RoomSnapshot>> Hub::snapshot(RoomId room) {
    std::size_t home = home_of(room);
    auto work = [this, home, room]() -> Result<RoomSnapshot> {
        auto* r = find(home, room);
        if (r == nullptr) {
            return make_error_code(Errc::unknown_room);
        }
        return snapshot_of(*r);
    };
    auto pending = net::run_on(loops_.executor(home), std::move(work));
    co_return co_await std::move(pending);
}

asio::awaitable<std::vector<RoomSnapshot>> Hub::list_rooms() {
    std::vector<RoomSnapshot> all;
    for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
        auto work = [this, loop] {
            std::vector<RoomSnapshot> out;
            for (const auto& [id, r] : shard(loop).rooms) {
                out.push_back(snapshot_of(*r));
            }
            return out;
        };
        auto pending = net::run_on(loops_.executor(loop), std::move(work));
        auto part = co_await std::move(pending);
        all.insert(all.end(), part.begin(), part.end());
    }
    co_return all;
}

asio::awaitable<Result<HistoryPage>> Hub::history(RoomId room, Sequence after, std::size_t limit) {
    std::size_t home = home_of(room);
    auto work = [this, home, room, after, limit]() -> Result<HistoryPage> {
        auto* r = find(home, room);
        if (r == nullptr) {
            return make_error_code(Errc::unknown_room);
        }
        auto resume = r->history().after(after, limit);
        return HistoryPage{std::move(resume.messages), resume.gap, resume.first_available,
                           r->history().last_sequence()};
    };
    auto pending = net::run_on(loops_.executor(home), std::move(work));
    co_return co_await std::move(pending);
}

}  // namespace barrage::gateway
