#include "gateway/hub.h"

#include <chrono>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/assert.h"
#include "bot/room_bots.h"
#include "gateway/batch_scheduler.h"
#include "gateway/fanout.h"
#include "gateway/like_room.h"
#include "gateway/room_shedding.h"
#include "moderation/word_filter.h"
#include "room/batch_frames.h"
#include "room/shed_levels.h"
#include "hook/webhook.h"
#include "gateway/local_fanout.h"
#include "gateway/online_counts.h"
#include "gateway/open_room.h"

namespace barrage::gateway {

namespace asio = boost::asio;

// One loop's part of the hub: the rooms homed there (with their batch scheduling and online
// count pushes) and its own members of every room. Owner loop only.
struct Hub::Shard {
    explicit Shard(asio::io_context& context)
        : batch_timer(context), online_timer(context), like_timer(context), bot_timer(context) {}

    std::unordered_map<RoomId, std::unique_ptr<room::Room>> rooms;
    BatchScheduler batches;
    OnlineCounts online_counts;
    LocalFanout members;
    // This loop's connections of each open-platform game, by game id.
    std::unordered_map<std::string, std::vector<GameMember*>> game_members;
    // The batch timer's pending wait, if any; a re-arm bumps the generation so the wait it
    // replaced does nothing when it completes.
    std::optional<Millis> batch_timer_due;
    std::uint64_t batch_timer_generation = 0;
    asio::steady_timer batch_timer;
    asio::steady_timer online_timer;
    // Rooms homed here whose likes have something to say; the like timer runs while any are.
    std::vector<RoomId> liked_rooms;
    asio::steady_timer like_timer;
    asio::steady_timer bot_timer;
    bool stopped = false;
    LoopCounters counters;
    // The word filter's per-thread state, made on first use on this loop.
    std::unique_ptr<moderation::FilterScratch> filter_scratch;
    std::unique_ptr<hook::LuaHook> lua;
    std::unique_ptr<hook::WebhookClient> webhook;
};

Hub::Hub(net::IoThreads& loops, HubOptions options, const Clock& clock)
    : loops_(loops),
      options_(std::move(options)),
      clock_(clock),
      fanout_(
          std::make_unique<NodeFanout>(loops, [this](std::size_t loop, RoomId room, const room::BatchFrames& frames,
                                                     std::uint64_t online) { deliver(loop, room, frames, online); })) {
    for (std::size_t i = 0; i < loops.size(); ++i) {
        shards_.push_back(std::make_unique<Shard>(loops.context(i)));
    }
    if (options_.webhook) {
        webhook_guard_ = std::make_unique<hook::WebhookGuard>(*options_.webhook, clock_);
    }
}

void Hub::set_fanout(std::unique_ptr<Fanout> fanout) {
    fanout_ = std::move(fanout);
}

Hub::~Hub() = default;

std::size_t Hub::loop_count() const {
    return shards_.size();
}

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

LoopCounters& Hub::counters(std::size_t loop) {
    return shard(loop).counters;
}

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
    auto [_, inserted] =
        shard(home).rooms.emplace(id, std::make_unique<room::Room>(std::move(config), options_.room, clock_));
    if (inserted) {
        room_count_.fetch_add(1, std::memory_order_relaxed);
    }
}

room::Room* Hub::room_for_setup(RoomId room) {
    return find(home_of(room), room);
}

void Hub::start() {
    // Rooms were set up here on the main thread (configuration, restored purchases); from now
    // on each belongs to its home loop, which the owner check binds on first use.
    for (auto& s : shards_) {
        for (auto& [id, room] : s->rooms) {
            room->release_owner();
        }
    }
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        asio::post(loops_.context(i), [this, i] {
            schedule_online_tick(i);
            schedule_bot_tick(i);
        });
    }
}

void Hub::stop() {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        asio::post(loops_.context(i), [this, i] {
            auto& s = shard(i);
            s.stopped = true;
            s.batch_timer.cancel();
            s.online_timer.cancel();
            s.like_timer.cancel();
            s.bot_timer.cancel();
            // The last window: its total is said and saved (the sink) before the batches go.
            close_like_windows(i);
            for (auto& [id, room] : s.rooms) {
                flush(i, *room);
            }
            s.batches.clear();
        });
    }
}

// --- batches --------------------------------------------------------------------------------

void Hub::arm_batch_timer(std::size_t loop, Millis due_ms) {
    auto& s = shard(loop);
    if (s.batch_timer_due && *s.batch_timer_due <= due_ms) {
        return;
    }
    s.batch_timer_due = due_ms;
    const auto generation = ++s.batch_timer_generation;
    // The due time is the injected Clock's; the wait is asio's. A clock that stands still
    // (a test's FakeClock) just finds nothing due yet, and the timer is armed again.
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
    s.batches.run_due(now, [&](RoomId id) -> std::optional<Millis> {
        auto* r = find(loop, id);
        const auto due = r != nullptr ? r->batch_due_at() : std::nullopt;
        if (due && *due <= now) {
            flush(loop, *r);
        }
        return due;
    });
    if (auto next = s.batches.next_due()) {
        arm_batch_timer(loop, *next);
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
    if (s.batches.schedule(r.config().id, *due)) {
        arm_batch_timer(home, *due);
    }
}

void Hub::flush(std::size_t home, room::Room& r) {
    if (r.batch_empty()) {
        return;
    }
    auto messages = r.take_batch();
    const auto& open = OpenRoom::of(r);
    auto full = room::encode_for_keys(messages, r.keys_in_use(), open.audience());
    auto& shedding = RoomShedding::of(r);
    auto levels = room::shed_levels(messages, shedding.batches);
    const auto budget = shedding.budget_level(messages, levels, r.options().viewer_danmaku_per_s, clock_.steady_ms());
    Fanout::Batch batch{r.config().id,
                        std::make_shared<const room::BatchFrames>(std::move(messages), std::move(full),
                                                                  std::move(levels), open.audience_ptr(), budget),
                        r.threads_with_members(), r.online()};
    LoopCounters::add(shard(home).counters.batches_encoded_total);
    if (r.batch_stretched()) {
        LoopCounters::add(shard(home).counters.batches_stretched_total);
    }
    // The home loop delivers to its own members inside send(): how long that took stretches
    // the room's next interval when the loop is busy delivering it (Room::batch_delivered).
    const Millis started_ms = clock_.steady_ms();
    fanout_->send(home, std::move(batch));
    r.batch_delivered(clock_.steady_ms() - started_ms);
}

// --- members on each loop -------------------------------------------------------------------

void Hub::deliver(std::size_t loop, RoomId room, const room::BatchFrames& frames, std::uint64_t online) {
    auto& s = shard(loop);
    const auto delivered = s.members.deliver(room, frames, online, options_.shedding);
    LoopCounters::add(s.counters.frames_delivered_total, delivered.frames);
    LoopCounters::add(s.counters.bytes_delivered_total, delivered.bytes);
    LoopCounters::add(s.counters.shed_sampled_total, delivered.sampled);
    LoopCounters::add(s.counters.shed_coalesced_total, delivered.coalesced);
    LoopCounters::add(s.counters.shed_budget_sampled_total, delivered.budget_sampled);
}

void Hub::subscribe(std::size_t loop, RoomId room, room::EncodingKey key, Subscriber& member, std::uint64_t online) {
    shard(loop).members.subscribe(room, key, member, online);
}

void Hub::unsubscribe(std::size_t loop, RoomId room, room::EncodingKey key, Subscriber& member) {
    shard(loop).members.unsubscribe(room, key, member);
}

void Hub::add_game_member(std::size_t loop, const std::string& game_id, GameMember& member) {
    shard(loop).game_members[game_id].push_back(&member);
}

void Hub::remove_game_member(std::size_t loop, const std::string& game_id, GameMember& member) {
    auto& games = shard(loop).game_members;
    auto found = games.find(game_id);
    if (found == games.end()) {
        return;
    }
    std::erase(found->second, &member);
    if (found->second.empty()) {
        games.erase(found);
    }
}

void Hub::end_game_members(std::size_t loop, const std::string& game_id, const std::string& body) {
    auto& games = shard(loop).game_members;
    auto found = games.find(game_id);
    if (found == games.end()) {
        return;
    }
    // end_game closes the connection, whose departure removes it from this very list.
    const auto members = std::move(found->second);
    games.erase(found);
    for (auto* member : members) {
        member->end_game(body);
    }
}

std::uint64_t Hub::online_on(std::size_t loop, RoomId room) const {
    return shard(loop).members.online(room);
}

// --- online counts --------------------------------------------------------------------------

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
    auto& s = shard(loop);
    const Millis now = clock_.steady_ms();
    for (auto& [id, r] : s.rooms) {
        if (s.online_counts.due(id, r->online(), now)) {
            r->publish_system({}, message::OnlineCount{r->online(), r->watched()});
            batch_added(loop, *r);
        }
    }
}

// --- built-in bots ----------------------------------------------------------------------------

void Hub::schedule_bot_tick(std::size_t loop) {
    auto& s = shard(loop);
    if (s.stopped) {
        return;
    }
    s.bot_timer.expires_after(std::chrono::milliseconds(options_.bot_tick_ms));
    s.bot_timer.async_wait([this, loop](boost::system::error_code ec) {
        if (ec || shard(loop).stopped) {
            return;
        }
        announce_due(loop);
        schedule_bot_tick(loop);
    });
}

void Hub::announce_due(std::size_t loop) {
    auto& s = shard(loop);
    const Millis steady = clock_.steady_ms();
    const Millis wall = clock_.wall_ms();
    std::vector<message::Danmaku> due;
    for (auto& [id, r] : s.rooms) {
        auto* bots = bot::RoomBots::find(*r);
        if (bots == nullptr || !bots->scheduled()) {
            continue;
        }
        const auto offline_before = bots->counters().announcements_offline;
        due.clear();
        bots->due_announcements(steady, wall, r->config().live, due);
        LoopCounters::add(s.counters.bot_announcements_offline_total,
                          bots->counters().announcements_offline - offline_before);
        for (auto& text : due) {
            r->publish_system(bots->speaker(), std::move(text));
            LoopCounters::add(s.counters.bot_announcements_total);
        }
        if (!due.empty()) {
            batch_added(loop, *r);
        }
    }
}

void Hub::bot_welcome(std::size_t home, room::Room& r, const message::Sender& member) {
    auto* bots = bot::RoomBots::find(r);
    if (bots == nullptr) {
        return;
    }
    if (auto welcome = bots->welcome(member, clock_.steady_ms())) {
        r.publish_system(bots->speaker(), std::move(*welcome));
        LoopCounters::add(shard(home).counters.bot_welcomes_total);
        batch_added(home, r);
    }
}

void Hub::bot_reply(std::size_t home, room::Room& r, const message::RoomMessage& said) {
    const auto* danmaku = std::get_if<message::Danmaku>(&said.body);
    auto* bots = danmaku != nullptr ? bot::RoomBots::find(r) : nullptr;
    if (bots == nullptr) {
        return;
    }
    if (auto reply = bots->reply(said.sender, danmaku->text, clock_.steady_ms())) {
        r.publish_system(bots->speaker(), std::move(*reply));
        LoopCounters::add(shard(home).counters.bot_replies_total);
        batch_added(home, r);
    }
}

// --- likes ----------------------------------------------------------------------------------

void Hub::set_like_sink(LikeTotalSink sink) {
    like_sink_ = std::move(sink);
}

asio::awaitable<Result<room::LikeReceipt>> Hub::like(RoomId room, message::Sender sender, std::uint32_t taps) {
    auto work = [this, sender = std::move(sender), taps](room::Room& r, std::size_t home) -> Result<room::LikeReceipt> {
        if (sender.scope.value != 0 && sender.scope != r.config().id) {
            return make_error_code(Errc::forbidden);
        }
        auto& likes = LikeRoom::of(r, options_.likes);
        // Games hear of likes only while one runs here and the host is live (PROTOCOL.md §4).
        const bool for_games = r.config().live && OpenRoom::of(r).audience() != nullptr;
        auto receipt = likes.tally.add(sender, taps, clock_.steady_ms(), for_games);
        auto& counters = shard(home).counters;
        LoopCounters::add(counters.like_taps_total, receipt.accepted);
        LoopCounters::add(counters.like_taps_capped_total, receipt.capped);
        if (!likes.in_windows && likes.tally.pending()) {
            likes.in_windows = true;
            auto& rooms = shard(home).liked_rooms;
            rooms.push_back(r.config().id);
            if (rooms.size() == 1) {
                schedule_like_window(home);
            }
        }
        return receipt;
    };
    auto pending = on_home(room, std::move(work));
    co_return co_await std::move(pending);
}

void Hub::schedule_like_window(std::size_t loop) {
    auto& s = shard(loop);
    if (s.stopped) {
        return;
    }
    s.like_timer.expires_after(std::chrono::milliseconds(options_.likes.window_ms));
    s.like_timer.async_wait([this, loop](boost::system::error_code ec) {
        if (ec || shard(loop).stopped) {
            return;
        }
        close_like_windows(loop);
        if (!shard(loop).liked_rooms.empty()) {
            schedule_like_window(loop);
        }
    });
}

void Hub::close_like_windows(std::size_t loop) {
    auto& s = shard(loop);
    const Millis now = clock_.steady_ms();
    std::vector<RoomId> still;
    for (RoomId id : s.liked_rooms) {
        auto* r = find(loop, id);
        if (r == nullptr) {
            continue;
        }
        auto& likes = LikeRoom::of(*r, options_.likes);
        auto window = likes.tally.close_window(now);
        // Who tapped, then the total that counts them.
        for (auto& clicker : window.clicks) {
            r->publish_system(std::move(clicker), message::LikeClick{});
        }
        for (auto& sum : window.open) {
            r->publish_system(std::move(sum.sender), message::LikeBurst{sum.count});
        }
        if (window.total) {
            r->publish_system({}, message::LikeTotal{*window.total});
            if (like_sink_) {
                like_sink_(id, *window.total);
            }
        }
        if (!r->batch_empty()) {
            batch_added(loop, *r);
        }
        if (likes.tally.pending()) {
            still.push_back(id);
        } else {
            likes.in_windows = false;
        }
    }
    s.liked_rooms = std::move(still);
}

// --- work on a room's home loop -------------------------------------------------------------

void Hub::leave(RoomId room, std::size_t loop, room::EncodingKey key) {
    std::size_t home = home_of(room);
    asio::post(loops_.context(home), [this, home, room, loop, key] {
        if (auto* r = find(home, room)) {
            r->leave(loop, key);
        }
    });
}

Result<JoinReply> Hub::join_on_home(room::Room& r, std::size_t home, const JoinRequest& join) {
    if (join.sender.scope.value != 0 && join.sender.scope != join.room) {
        return make_error_code(Errc::forbidden);
    }
    // A banned or kicked user does not get back in (anonymous viewers are uid 0, never refused).
    if (join.sender.uid.value != 0) {
        const Millis now_ms = clock_.wall_ms();
        if (global_bans_ != nullptr && global_bans_->find(join.sender.uid, now_ms)) {
            return make_error_code(Errc::banned);
        }
        if (auto refusal = moderation::RoomModeration::of(r, options_.moderation).check_join(join.sender.uid, now_ms)) {
            return refusal->code;
        }
    }
    const auto& open_room = OpenRoom::of(r);
    if (join.game && !open_room.live(join.game->game_id, join.game->app_id)) {
        return make_error_code(Errc::game_ended);
    }
    const message::OpenAudience* audience = join.game ? open_room.audience() : nullptr;
    // Send what is pending first, so the newcomer never gets a message both in its replay
    // and in a batch.
    flush(home, r);
    r.join(join.loop, join.key, join.sender.uid);
    JoinReply reply;
    reply.online = r.online();
    // Small notices are made for this joiner; the history itself comes encoded once per block
    // and key, shared with every other joiner (room::ReplayFrames).
    auto notice = [&](message::Body body) {
        const std::array one{std::make_shared<const message::RoomMessage>(
            message::RoomMessage{join.room, 0, clock_.wall_ms(), {}, std::move(body)})};
        if (auto frame = room::encode_for_key(one, join.key, audience)) {
            reply.replay.push_back(std::move(frame));
        }
    };
    if (join.last_sequence) {
        const auto encodings_before = r.replay_frames().encodings();
        auto resume = r.replay(*join.last_sequence, options_.resume_messages_max, join.key, audience);
        LoopCounters::add(shard(home).counters.replay_encodings_total,
                          r.replay_frames().encodings() - encodings_before);
        if (resume.gap) {
            notice(message::HistoryGap{*join.last_sequence, resume.first_available});
        }
        reply.replay.insert(reply.replay.end(), resume.frames.begin(), resume.frames.end());
    }
    // The newcomer learns the room's counts at once instead of at the next change.
    notice(message::OnlineCount{r.online(), r.watched()});
    bool announce = options_.enter_events == EnterEvents::all ||
                    (options_.enter_events == EnterEvents::users && join.sender.uid.value != 0);
    if (announce) {
        r.publish_system(join.sender, message::Enter{});
        batch_added(home, r);
    }
    bot_welcome(home, r, join.sender);
    return reply;
}

void Hub::start_open_game(RoomId room, std::shared_ptr<const message::OpenAudience> audience, std::string game_id) {
    const std::size_t home = home_of(room);
    asio::post(loops_.context(home),
               [this, home, room, audience = std::move(audience), game_id = std::move(game_id)]() mutable {
                   if (auto* r = find(home, room)) {
                       // What the room accepted before goes out as it was, before the audience can move.
                       flush(home, *r);
                       OpenRoom::of(*r).start(std::move(audience), std::move(game_id));
                   }
               });
}

void Hub::end_open_game(RoomId room, std::string game_id) {
    const std::size_t home = home_of(room);
    asio::post(loops_.context(home), [this, home, room, game_id = std::move(game_id)] {
        auto* r = find(home, room);
        if (r == nullptr || !OpenRoom::of(*r).end(game_id)) {
            return;
        }
        // The game's connections get what the room accepted while it ran, then its end: the
        // batch's frames are posted to each loop before the notice is.
        flush(home, *r);
        auto body =
            std::make_shared<const std::string>(message::interaction_end_body(game_id, clock_.wall_ms() / 1000));
        for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
            asio::post(loops_.context(loop), [this, loop, game_id, body] { end_game_members(loop, game_id, *body); });
        }
    });
}

asio::awaitable<Result<JoinReply>> Hub::join(JoinRequest join) {
    const RoomId room = join.room;
    auto work = [this, join = std::move(join)](room::Room& r, std::size_t home) { return join_on_home(r, home, join); };
    auto pending = on_home(room, std::move(work));
    co_return co_await std::move(pending);
}

namespace {

// The text moderation reads (slow mode ignores it; the flood check compares it).
std::string_view text_of(const message::Body& body) {
    if (const auto* danmaku = std::get_if<message::Danmaku>(&body)) {
        return danmaku->text;
    }
    return {};
}

Published refused(std::error_code code) {
    return Published{nullptr, moderation::Refusal{code}};
}

}  // namespace

std::optional<moderation::Refusal> Hub::screen(room::Room& r, const message::Sender& sender, const message::Body& body,
                                               Millis now_ms) {
    if (global_bans_ != nullptr) {
        if (auto ban = global_bans_->find(sender.uid, now_ms)) {
            return moderation::Refusal{make_error_code(Errc::banned), ban->until_ms, ban->reason};
        }
    }
    const moderation::Speaker speaker{sender.uid, r.effective_role(sender.uid, sender.role), r.guard_level(sender.uid),
                                      sender.level};
    return moderation::RoomModeration::of(r, options_.moderation).check_send(speaker, text_of(body), now_ms);
}

namespace {

// The text the filter and the hook read and change, or null for bodies without one.
std::string* text_in(message::Body& body) {
    if (auto* danmaku = std::get_if<message::Danmaku>(&body)) {
        return &danmaku->text;
    }
    if (auto* chat = std::get_if<message::SuperChat>(&body)) {
        return &chat->text;
    }
    // A bot's notice goes through the operator's lists and hook like anyone's text.
    if (auto* notice = std::get_if<message::System>(&body)) {
        return &notice->text;
    }
    return nullptr;
}

}  // namespace

std::optional<moderation::Refusal> Hub::filter(std::size_t home, room::Room& r, const message::Sender& sender,
                                               message::Body& body, bool paid) {
    std::string* text = text_in(body);
    if (text == nullptr || text->empty()) {
        return std::nullopt;
    }
    auto& s = shard(home);
    const auto global = global_words_ != nullptr ? global_words_->get() : nullptr;
    const auto& own = moderation::RoomModeration::of(r, options_.moderation).words();
    if (global || own) {
        if (!s.filter_scratch) {
            s.filter_scratch = std::make_unique<moderation::FilterScratch>();
        }
        const std::array<const moderation::WordList*, 2> lists{global.get(), own.get()};
        auto verdict = moderation::screen(*text, lists, *s.filter_scratch);
        if (verdict.blocked && !paid) {
            LoopCounters::add(s.counters.words_blocked_total);
            return moderation::Refusal{make_error_code(Errc::blocked_word)};
        }
        if (verdict.blocked || verdict.masked) {
            LoopCounters::add(s.counters.words_masked_total);
            *text = std::move(verdict.text);
        }
    }
    // Paid messages are never refused by the hook: their money moved already.
    if (options_.lua == nullptr || options_.lua->generation() == 0 || paid) {
        return std::nullopt;
    }
    if (!s.lua) {
        s.lua = std::make_unique<hook::LuaHook>(options_.lua_options, *options_.lua);
    }
    const hook::HookMessage message{
        .room = r.config().id.value,
        .uid = sender.uid.value,
        .uname = sender.name,
        .role = std::string(message::to_string(r.effective_role(sender.uid, sender.role))),
        .kind = std::holds_alternative<message::System>(body) ? "system" : "danmaku",
        .text = *text,
    };
    auto verdict = s.lua->on_message(message);
    switch (verdict.action) {
        case hook::HookAction::allow: break;
        case hook::HookAction::reject:
            return moderation::Refusal{make_error_code(Errc::hook_rejected), 0, std::move(verdict.reason)};
        case hook::HookAction::rewrite: *text = std::move(verdict.text); break;
    }
    return std::nullopt;
}

asio::awaitable<hook::HookCounters> Hub::lua_counters() {
    hook::HookCounters total;
    for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
        auto read = [this, loop] {
            const auto& lua = shard(loop).lua;
            return lua ? lua->counters() : hook::HookCounters{};
        };
        auto pending = net::run_on(loops_.executor(loop), std::move(read));
        total += co_await std::move(pending);
    }
    co_return total;
}

asio::awaitable<hook::HookCounters> Hub::webhook_counters() {
    hook::HookCounters total;
    for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
        auto read = [this, loop] {
            const auto& webhook = shard(loop).webhook;
            return webhook ? webhook->counters() : hook::HookCounters{};
        };
        auto pending = net::run_on(loops_.executor(loop), std::move(read));
        total += co_await std::move(pending);
    }
    co_return total;
}

Result<Published> Hub::accept(room::Room& r, std::size_t home, message::Sender sender, message::Body body,
                              bool screened) {
    auto& counters = shard(home).counters;
    const Millis now_ms = clock_.wall_ms();
    const bool out_of_scope = sender.scope.value != 0 && sender.scope != r.config().id;
    if (out_of_scope || (std::holds_alternative<message::System>(body) &&
                         r.effective_role(sender.uid, sender.role) < message::Role::bot)) {
        LoopCounters::add(counters.publish_rejected_total);
        return refused(make_error_code(Errc::forbidden));
    }
    if (!screened) {
        if (auto refusal = screen(r, sender, body, now_ms)) {
            LoopCounters::add(counters.publish_rejected_total);
            LoopCounters::add(counters.moderation_refused_total);
            return Published{nullptr, std::move(*refusal)};
        }
        if (auto refusal = filter(home, r, sender, body, false)) {
            LoopCounters::add(counters.publish_rejected_total);
            LoopCounters::add(counters.moderation_refused_total);
            return Published{nullptr, std::move(*refusal)};
        }
    } else if (auto refusal = screen(r, sender, message::Body{message::Enter{}}, now_ms)) {
        // Muted or banned while the webhook answered (the flood check is not repeated: it ran).
        LoopCounters::add(counters.publish_rejected_total);
        LoopCounters::add(counters.moderation_refused_total);
        return Published{nullptr, std::move(*refusal)};
    }
    if (r.config().danmaku_price > 0 && std::holds_alternative<message::Danmaku>(body)) {
        LoopCounters::add(counters.publish_rejected_total);
        auto answer = refused(make_error_code(Errc::payment_required));
        answer.to_pay = std::get<message::Danmaku>(body);
        return answer;
    }
    const moderation::Speaker speaker{sender.uid, r.effective_role(sender.uid, sender.role), 0, sender.level};
    const std::string text(text_of(body));
    auto stored = r.publish(std::move(sender), std::move(body));
    if (!stored) {
        LoopCounters::add(counters.publish_rejected_total);
        return refused(stored.error());
    }
    moderation::RoomModeration::of(r, options_.moderation).sent(speaker, text, now_ms);
    LoopCounters::add(counters.messages_published_total);
    batch_added(home, r);
    bot_reply(home, r, **stored);
    return Published{std::move(*stored)};
}

asio::awaitable<hook::HookVerdict> Hub::ask_webhook(std::size_t home, hook::HookMessage message) {
    auto& s = shard(home);
    if (!s.webhook) {
        s.webhook = std::make_unique<hook::WebhookClient>(*options_.webhook, *webhook_guard_, clock_);
    }
    co_return co_await s.webhook->call(message);
}

asio::awaitable<Published> Hub::publish(RoomId room, message::Sender sender, message::Body body) {
    // Without a webhook (or for bodies it is not asked about) one turn on the home loop does it all.
    if (!options_.webhook || !std::holds_alternative<message::Danmaku>(body)) {
        auto work = [this, sender = std::move(sender), body = std::move(body)](
                        room::Room& r, std::size_t home) mutable -> Result<Published> {
            return accept(r, home, std::move(sender), std::move(body), false);
        };
        auto pending = on_home(room, std::move(work), &LoopCounters::publish_rejected_total);
        auto answer = co_await std::move(pending);
        if (!answer) {
            co_return refused(answer.error());
        }
        co_return std::move(*answer);
    }
    // With a webhook: limits, mutes, the filter and the Lua hook on the home loop first; then the
    // webhook, asked by the home loop's client while the home loop goes on with other work (a
    // hanging hook stalls only the messages waiting for it, within its deadline); then the
    // message is accepted there.
    const std::size_t home = home_of(room);
    struct Screened {
        std::optional<moderation::Refusal> refusal;
        message::Body body;  // as the filter and the Lua hook left it
        message::Role role = message::Role::viewer;
    };
    auto screening = [this, sender, body](room::Room& r, std::size_t at) mutable -> Result<Screened> {
        auto& counters = shard(at).counters;
        auto refusal = screen(r, sender, body, clock_.wall_ms());
        if (!refusal) {
            refusal = filter(at, r, sender, body, false);
        }
        if (refusal) {
            LoopCounters::add(counters.publish_rejected_total);
            LoopCounters::add(counters.moderation_refused_total);
        }
        return Screened{std::move(refusal), std::move(body), r.effective_role(sender.uid, sender.role)};
    };
    auto pending_screen = on_home(room, std::move(screening), &LoopCounters::publish_rejected_total);
    auto screened = co_await std::move(pending_screen);
    if (!screened) {
        co_return refused(screened.error());
    }
    if (screened->refusal) {
        co_return Published{nullptr, std::move(*screened->refusal)};
    }
    auto danmaku = std::get<message::Danmaku>(std::move(screened->body));
    hook::HookMessage asked{.room = room.value,
                            .uid = sender.uid.value,
                            .uname = sender.name,
                            .role = std::string(message::to_string(screened->role)),
                            .kind = "danmaku",
                            .text = danmaku.text};
    auto asking = asio::co_spawn(loops_.executor(home), ask_webhook(home, std::move(asked)), asio::use_awaitable);
    auto verdict = co_await std::move(asking);
    if (verdict.action == hook::HookAction::reject) {
        co_return Published{nullptr, moderation::Refusal{make_error_code(Errc::hook_rejected), 0, verdict.reason}};
    }
    if (verdict.action == hook::HookAction::rewrite) {
        danmaku.text = std::move(verdict.text);
    }
    auto work = [this, sender = std::move(sender), danmaku = std::move(danmaku)](
                    room::Room& r, std::size_t at) mutable -> Result<Published> {
        return accept(r, at, std::move(sender), message::Body{std::move(danmaku)}, true);
    };
    auto pending = on_home(room, std::move(work), &LoopCounters::publish_rejected_total);
    auto answer = co_await std::move(pending);
    if (!answer) {
        co_return refused(answer.error());
    }
    co_return std::move(*answer);
}

asio::awaitable<Result<message::MessagePtr>> Hub::moderate(RoomId room, message::Sender actor, ModerationAct act) {
    auto work = [this, actor = std::move(actor), act = std::move(act)](
                    room::Room& r, std::size_t home) mutable -> Result<message::MessagePtr> {
        auto& state = moderation::RoomModeration::of(r, options_.moderation);
        const Millis now_ms = clock_.wall_ms();
        auto event = act(r, state, now_ms);
        if (!event) {
            return event.error();
        }
        state.sweep(now_ms);
        if (!*event) {
            return message::MessagePtr();
        }
        LoopCounters::add(shard(home).counters.moderation_actions_total);
        const auto kind = (*event)->kind;
        const UserId target = (*event)->target;
        auto stored = r.publish_system(std::move(actor), std::move(**event));
        LoopCounters::add(shard(home).counters.messages_published_total);
        if (kind == message::ModerationKind::kick || kind == message::ModerationKind::ban) {
            kick_from_room(home, r, target,
                           make_error_code(kind == message::ModerationKind::kick ? Errc::kicked : Errc::banned));
        } else {
            batch_added(home, r);
        }
        return stored;
    };
    auto pending = on_home(room, std::move(work));
    co_return co_await std::move(pending);
}

void Hub::kick_from_room(std::size_t home, room::Room& r, UserId user, std::error_code why) {
    // The event goes out first: each loop gets the batch's frames before the kick is posted.
    flush(home, r);
    const RoomId room = r.config().id;
    for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
        asio::post(loops_.context(loop), [this, loop, room, user, why] {
            LoopCounters::add(counters(loop).connections_kicked_total, shard(loop).members.kick(room, user, why));
        });
    }
}

void Hub::kick_everywhere(UserId user, std::error_code why) {
    for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
        asio::post(loops_.context(loop), [this, loop, user, why] {
            LoopCounters::add(counters(loop).connections_kicked_total,
                              shard(loop).members.kick(std::nullopt, user, why));
        });
    }
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
    auto work = [this, make = std::move(make)](room::Room& r, std::size_t home) -> Result<message::MessagePtr> {
        auto made = make(r, home);
        if (!made) {
            return made.error();
        }
        if (!*made) {
            return message::MessagePtr();
        }
        // Paid text (a super chat's) is masked, never refused.
        (void)filter(home, r, (*made)->first, (*made)->second, true);
        auto stored = r.publish_system(std::move((*made)->first), std::move((*made)->second));
        LoopCounters::add(shard(home).counters.messages_published_total);
        batch_added(home, r);
        return stored;
    };
    auto pending = on_home(room, std::move(work));
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
RoomSnapshot snapshot_of(room::Room& r, const room::LikeOptions& likes) {
    return {r.config(), r.online(), r.watched(), r.history().last_sequence(), LikeRoom::of(r, likes).tally.total()};
}
}  // namespace

asio::awaitable<Result<RoomSnapshot>> Hub::snapshot(RoomId room) {
    auto work = [this](room::Room& r, std::size_t) -> Result<RoomSnapshot> { return snapshot_of(r, options_.likes); };
    auto pending = on_home(room, std::move(work));
    co_return co_await std::move(pending);
}

asio::awaitable<std::vector<RoomSnapshot>> Hub::list_rooms() {
    std::vector<RoomSnapshot> all;
    for (std::size_t loop = 0; loop < shards_.size(); ++loop) {
        auto work = [this, loop] {
            std::vector<RoomSnapshot> out;
            for (const auto& [id, r] : shard(loop).rooms) {
                out.push_back(snapshot_of(*r, options_.likes));
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
    auto work = [after, limit](room::Room& r, std::size_t) -> Result<HistoryPage> {
        auto resume = r.history().after(after, limit);
        return HistoryPage{std::move(resume.messages), resume.gap, resume.first_available, r.history().last_sequence()};
    };
    auto pending = on_home(room, std::move(work));
    co_return co_await std::move(pending);
}

}  // namespace barrage::gateway
