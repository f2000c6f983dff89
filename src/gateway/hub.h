#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "gateway/local_fanout.h"
#include "gateway/metrics.h"
#include "gateway/subscriber.h"
#include "message/open_dialect.h"
#include "message/room_message.h"
#include "moderation/global_bans.h"
#include "moderation/room_moderation.h"
#include "moderation/sanction.h"
#include "moderation/shared_word_list.h"
#include "hook/lua_hook.h"
#include "hook/lua_script_source.h"
#include "hook/webhook_guard.h"
#include "hook/webhook_options.h"
#include "open/game_ticket.h"
#include "net/io_threads.h"
#include "net/run_on.h"
#include "room/encoding.h"
#include "room/like_tally.h"
#include "room/room.h"

namespace barrage::gateway {

// Who gets an enter event when they join.
enum class EnterEvents : std::uint8_t { none, users, all };

class Fanout;

struct HubOptions {
    room::RoomOptions room;
    Millis online_push_interval_ms = 5000;  // ONLINE_RANK_COUNT / WATCHED_CHANGE when changed
    EnterEvents enter_events = EnterEvents::users;
    std::size_t resume_messages_max = 1000;  // replay at most this many on reconnect
    room::LikeOptions likes;
    moderation::ModerationOptions moderation;
    // The operator's Lua hook (docs/hooks.md): one state per loop following this source; null:
    // no hook.
    const hook::LuaScriptSource* lua = nullptr;
    hook::LuaHookOptions lua_options{};
    // The operator's HTTP webhook (docs/hooks.md), asked after the Lua hook; nullopt: none. Its
    // URL must parse (hook::parse_webhook_url).
    std::optional<hook::WebhookOptions> webhook{};
    // How often each loop asks its rooms' built-in bots for announcements that came due
    // (docs/bots.md). Cron schedules name whole minutes, so a second is plenty.
    Millis bot_tick_ms = 1000;
    // Receivers that fall behind get sampled batches (gateway/local_fanout.h); the hard bound
    // is the session's outbound bound.
    ShedOptions shedding{};
};

// What a publish did: the stored message, or why not. A moderation refusal also says until
// when and why (muted until ..., slow mode until ...). A danmaku in a room that charges for
// them comes back as Errc::payment_required with the danmaku as screened (masked), to be paid
// for and published through publish_made.
struct Published {
    message::MessagePtr message{};  // null when refused
    moderation::Refusal refusal{};  // refusal.code says why
    std::optional<message::Danmaku> to_pay{};

    explicit operator bool() const { return message != nullptr; }
};

struct JoinRequest {
    RoomId room;
    std::size_t loop = 0;  // the joining connection's loop
    room::EncodingKey key;
    message::Sender sender;
    std::optional<Sequence> last_sequence;  // resume point from the auth body
    // An open-platform game's connection: refused (Errc::game_ended) unless the game is live.
    std::optional<open::GameTicket> game;
};

struct JoinReply {
    std::vector<wire::FramePtr> replay;  // missed messages (and a gap notice), in order
    std::uint64_t online = 0;
};

struct RoomSnapshot {
    room::RoomConfig config;
    std::uint64_t online = 0;
    std::uint64_t watched = 0;
    Sequence last_sequence = 0;
    std::uint64_t likes = 0;  // the running like total
};

struct HistoryPage {
    std::vector<message::MessagePtr> messages;
    bool gap = false;
    Sequence first_available = 0;
    Sequence last_sequence = 0;
};

// Rooms and fan-out over the I/O loops. Each room lives on its home loop (hash of its id),
// which owns its sequence, history and batch; each loop keeps the list of its own connections
// per room and encoding key. A flushed batch is encoded once per key in use and the same
// frames are posted to every loop that has members.
//
// Thread rule: coroutine methods may be called from any loop's coroutine and hop to the home
// loop themselves; `subscribe`/`unsubscribe`, `online_on` and `counters` are owner-loop only
// (the loop index passed in must be the caller's).
class Hub {
public:
    Hub(net::IoThreads& loops, HubOptions options, const Clock& clock);
    ~Hub();

    std::size_t home_of(RoomId room) const;

    // Before start(): rooms from configuration and storage.
    void add_room(room::RoomConfig config);
    // Before start() only (main thread): direct access for restoring state, or nullptr.
    room::Room* room_for_setup(RoomId room);
    // Starts the online timers; each loop's batch timer runs only while a room has a pending
    // batch. Batch due times come from the injected Clock and are waited for on asio's steady
    // clock, so batching (batch_interval_ms > 0) needs a Clock that moves with it: tests on a
    // FakeClock set the interval to 0.
    void start();
    // Flushes every pending batch and stops the timers (shutdown). Safe from any thread.
    void stop();
    // Before start(): where flushed batches go (default: a NodeFanout over this hub's loops,
    // delivering through deliver()). For a cluster's Fanout (gateway/fanout.h).
    void set_fanout(std::unique_ptr<Fanout> fanout);
    // Hands this loop's members of `room` their frames (owner loop): what a NodeFanout calls.
    void deliver(std::size_t loop, RoomId room, const room::BatchFrames& frames, std::uint64_t online);

    boost::asio::awaitable<Status> create_room(room::RoomConfig config);
    boost::asio::awaitable<Result<RoomSnapshot>> snapshot(RoomId room);
    boost::asio::awaitable<std::vector<RoomSnapshot>> list_rooms();
    boost::asio::awaitable<Result<HistoryPage>> history(RoomId room, Sequence after, std::size_t limit);

    // Registers `join.sender` as a member on the home loop and returns what it missed. The
    // caller adds its Subscriber with subscribe() right after, on its own loop, before any later
    // batch can arrive there.
    boost::asio::awaitable<Result<JoinReply>> join(JoinRequest join);
    // Removes a member (fire and forget; from the member's loop).
    void leave(RoomId room, std::size_t loop, room::EncodingKey key);

    // Accepts a message into a room, in the order of the sender's path: global ban, the room's
    // moderation (mutes, room mute, chat modes, slow mode, duplicate flood), the per-user rate
    // limit, then sequence, history and batch. A danmaku in a room that charges for them is
    // Errc::payment_required: paid ones come through publish_made. A system notice needs a bot
    // or above, and a token scoped to another room is refused (both Errc::forbidden).
    boost::asio::awaitable<Published> publish(RoomId room, message::Sender sender, message::Body body);

    // A moderation action on the room's home loop: `act` checks and changes the room's
    // moderation state (and the room, e.g. its managers) and returns the event members are told
    // (or nullopt for none), published as `actor`'s. A kick or ban event also closes the
    // target's connections in the room on every loop, after the event reaches them.
    using ModerationAct = std::function<Result<std::optional<message::Moderation>>(
        room::Room& room, moderation::RoomModeration& state, Millis now_ms)>;
    boost::asio::awaitable<Result<message::MessagePtr>> moderate(RoomId room, message::Sender actor, ModerationAct act);
    // Before start(): platform-wide bans, asked on every join and send (null: none).
    void set_global_bans(const moderation::GlobalBans* bans) { global_bans_ = bans; }
    // Before start(): the platform-wide word list (null: none).
    void set_global_words(const moderation::SharedWordList* words) { global_words_ = words; }
    // Sums of every loop's Lua hook counters (for /metrics; owner loops write them, so this is
    // a relaxed read of plain counters: call it from a loop's coroutine via lua_counters()).
    boost::asio::awaitable<hook::HookCounters> lua_counters();
    // The same for every loop's webhook client.
    boost::asio::awaitable<hook::HookCounters> webhook_counters();
    // Closes every connection of `user` on every loop (a platform ban). Safe from any thread.
    void kick_everywhere(UserId user, std::error_code why);

    // Runs `make` on the room's home loop (with the room and the home loop's index) and
    // publishes what it returns, without a rate limit: for events already paid for and
    // committed (gifts, super chats, guards, paid danmaku). `make` runs only there, so it may
    // use the room's own state, its extensions included (Room::extension).
    using MadeEvent = std::pair<message::Sender, message::Body>;
    using MakeEvent = std::function<Result<MadeEvent>(room::Room& room, std::size_t home)>;
    boost::asio::awaitable<Result<message::MessagePtr>> publish_made(RoomId room, MakeEvent make);
    // The same for a change that may have nothing to show (a refund of a purchase whose super
    // chat is no longer pinned): `make` returns nullopt, and the answer is a null message.
    using MaybeEvent = std::function<Result<std::optional<MadeEvent>>(room::Room& room, std::size_t home)>;
    boost::asio::awaitable<Result<message::MessagePtr>> publish_made_if(RoomId room, MaybeEvent make);

    // A viewer's batch of like taps, counted on the home loop at once (room/like_tally.h) and
    // announced with the room's next like window: LIKE_INFO_V3_UPDATE with the running total
    // and a few sampled clicks; for a game, while it and the host are live, each user's taps
    // summed over 2 s (LIVE_OPEN_PLATFORM_LIKE). Windows run on a timer of each loop, only
    // while one of its rooms has something to say.
    boost::asio::awaitable<Result<room::LikeReceipt>> like(RoomId room, message::Sender sender, std::uint32_t taps);
    // Before start(): told a room's like total (on its home loop) whenever a window moves it
    // and once more at stop(), so it can be saved. Must not block.
    using LikeTotalSink = std::function<void(RoomId, std::uint64_t)>;
    void set_like_sink(LikeTotalSink sink);

    // The open platform (http/open_api) started a game of `audience->app_id` in the room: its
    // connections may join, and the room's open-platform pushes are spelled for that app.
    // The game ended (its `end`, or no heartbeat in time): what the room accepted before now is
    // sent, then each of the game's connections receives LIVE_OPEN_PLATFORM_INTERACTION_END and
    // is closed.
    // Both post to the room's home loop and return: safe from any thread; calls from one thread
    // take effect in the order made, and a join that starts after start_open_game returned finds
    // the game live (the home loop runs what is posted to it in order). Unknown rooms: nothing.
    void start_open_game(RoomId room, std::shared_ptr<const message::OpenAudience> audience, std::string game_id);
    void end_open_game(RoomId room, std::string game_id);

    // Owner loop only.
    // `online` is the count the join reply carried, for heartbeat replies until the next batch.
    void subscribe(std::size_t loop, RoomId room, room::EncodingKey key, Subscriber& member, std::uint64_t online);
    void unsubscribe(std::size_t loop, RoomId room, room::EncodingKey key, Subscriber& member);
    // A connection of an open-platform game, found again when the game ends.
    void add_game_member(std::size_t loop, const std::string& game_id, GameMember& member);
    void remove_game_member(std::size_t loop, const std::string& game_id, GameMember& member);
    std::uint64_t online_on(std::size_t loop, RoomId room) const;
    LoopCounters& counters(std::size_t loop);

    std::vector<const LoopCounters*> all_counters() const;
    std::uint64_t room_count() const { return room_count_.load(std::memory_order_relaxed); }
    std::size_t loop_count() const;

private:
    struct Shard;

    Shard& shard(std::size_t loop) const;
    room::Room* find(std::size_t loop, RoomId room) const;

    // Runs `work(room, home)` on the room's home loop and resumes the caller, on its own loop,
    // with the Result it returns; Errc::unknown_room (bumping `missing` on the home loop's
    // counters, when given) when there is no such room.
    template <class Work>
    auto on_home(RoomId id, Work work, std::atomic<std::uint64_t> LoopCounters::*missing = nullptr)
        -> boost::asio::awaitable<std::invoke_result_t<Work&, room::Room&, std::size_t>> {
        using Answer = std::invoke_result_t<Work&, room::Room&, std::size_t>;
        const std::size_t home = home_of(id);
        auto task = [this, home, id, missing, work = std::move(work)]() mutable -> Answer {
            auto* r = find(home, id);
            if (r == nullptr) {
                if (missing != nullptr) {
                    LoopCounters::add(counters(home).*missing);
                }
                return make_error_code(Errc::unknown_room);
            }
            return work(*r, home);
        };
        // Made in its own statement: GCC 12 destroys non-trivial temporaries of a co_await
        // full-expression twice.
        auto pending = net::run_on(loops_.executor(home), std::move(task));
        co_return co_await std::move(pending);
    }
    // A message joined `room`'s batch: this call sends it when the batch is already due (full,
    // or batching is off); otherwise the loop's batch timer does when the room says so.
    void batch_added(std::size_t home, room::Room& room);
    void flush(std::size_t home, room::Room& room);
    // Tells this loop's connections of the game that it ended (owner loop).
    void end_game_members(std::size_t loop, const std::string& game_id, const std::string& body);
    // The moderation checks of Hub::publish's work (home loop): nullopt to go on.
    std::optional<moderation::Refusal> screen(room::Room& room, const message::Sender& sender,
                                              const message::Body& body, Millis now_ms);
    // The word filter and the Lua hook on a message's text (home loop): blocks, masks or
    // rewrites it in place. `paid` bodies (gifts' and super chats' text) are only masked.
    std::optional<moderation::Refusal> filter(std::size_t home, room::Room& room, const message::Sender& sender,
                                              message::Body& body, bool paid);
    // The webhook's verdict on `message`, asked by the home loop's client (made on first use).
    boost::asio::awaitable<hook::HookVerdict> ask_webhook(std::size_t home, hook::HookMessage message);
    // Hub::publish's last step on the home loop: a recheck of bans and mutes (the webhook may
    // have taken a while), the rate limit, then sequence, history and batch.
    Result<Published> accept(room::Room& room, std::size_t home, message::Sender sender, message::Body body,
                             bool screened);
    // Closes `user`'s connections in `room` on every loop, after what the room sent before.
    void kick_from_room(std::size_t home, room::Room& room, UserId user, std::error_code why);
    // What a joiner receives on the home loop (Hub::join's work).
    Result<JoinReply> join_on_home(room::Room& room, std::size_t home, const JoinRequest& join);
    // Makes the loop's batch timer fire by `due_ms` (steady, by clock_).
    void arm_batch_timer(std::size_t loop, Millis due_ms);
    // Sends every pending batch on the loop that has come due.
    void flush_due_batches(std::size_t loop);
    void schedule_online_tick(std::size_t loop);
    // Built-in bots: each loop's tick says the announcements of its rooms that came due.
    void schedule_bot_tick(std::size_t loop);
    void announce_due(std::size_t loop);
    // The welcome for a member who just joined, and the auto-reply to a danmaku just accepted
    // (home loop; nothing when the room has no bot or nothing is due).
    void bot_welcome(std::size_t home, room::Room& room, const message::Sender& member);
    void bot_reply(std::size_t home, room::Room& room, const message::RoomMessage& said);
    // Likes: visit each room of the loop with likes to say once per window.
    void schedule_like_window(std::size_t loop);
    void close_like_windows(std::size_t loop);
    void push_online_counts(std::size_t loop);

    net::IoThreads& loops_;
    HubOptions options_;
    const Clock& clock_;
    std::unique_ptr<Fanout> fanout_;
    std::unique_ptr<hook::WebhookGuard> webhook_guard_;  // with options_.webhook
    LikeTotalSink like_sink_;
    const moderation::GlobalBans* global_bans_ = nullptr;
    const moderation::SharedWordList* global_words_ = nullptr;
    std::vector<std::unique_ptr<Shard>> shards_;
    std::atomic<std::uint64_t> room_count_{0};
};

}  // namespace barrage::gateway
