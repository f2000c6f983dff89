#include "http/moderation_api.h"

#include <algorithm>

#include <boost/json.hpp>

#include "http/body.h"
#include "http/responses.h"
#include "message/moderation_json.h"
#include "moderation/authority.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using message::ModerationKind;
using message::Role;
using moderation::Power;
using Kind = moderation::RoomModeration::Kind;

namespace {

// Bounds on what a moderator types: a reason shows in refusals and the audit log.
constexpr std::size_t kReasonBytesMax = 200;
constexpr std::size_t kWarningBytesMax = 500;
// The longest timed sanction: ten years (longer is "until lifted", for_s 0 or absent).
constexpr std::int64_t kSanctionSecondsMax = 10LL * 365 * 86'400;
constexpr std::size_t kAuditPageMax = 500;

Kind kind_of(store::SanctionKind kind) {
    switch (kind) {
        case store::SanctionKind::mute: return Kind::mute;
        case store::SanctionKind::ban: return Kind::ban;
        case store::SanctionKind::kick: break;
    }
    return Kind::kick;
}

std::string_view noun_of(store::SanctionKind kind) {
    switch (kind) {
        case store::SanctionKind::mute: return "mute";
        case store::SanctionKind::ban: return "ban";
        case store::SanctionKind::kick: break;
    }
    return "kick";
}

json::object sanction_json(UserId user, const moderation::Sanction& sanction) {
    return json::object{{"uid", user.value},         {"until_ms", sanction.until_ms},
                        {"by", sanction.by.value},   {"by_role", message::to_string(sanction.by_role)},
                        {"reason", sanction.reason}, {"at_ms", sanction.at_ms}};
}

json::object modes_json(const message::ChatModeView& modes) {
    return json::object{{"slow_s", modes.slow_s},
                        {"followers_only_min", modes.followers_only_min},
                        {"guards_only", modes.guards_only},
                        {"min_level", modes.min_level}};
}

std::string_view action_text(moderation::WordAction action) {
    return action == moderation::WordAction::mask ? "mask" : "block";
}

json::array entries_json(const std::vector<moderation::WordEntry>& entries) {
    json::array out;
    for (const auto& entry : entries) {
        out.push_back(
            json::object{{"pattern", entry.pattern}, {"action", action_text(entry.action)}, {"regex", entry.regex}});
    }
    return out;
}

// {"entries":[{"pattern","action"?:"block"|"mask","regex"?:bool},...]}
Parsed<std::vector<moderation::WordEntry>> parse_words(std::string_view body) {
    boost::system::error_code ec;
    auto value = json::parse(body, ec);
    if (ec || !value.is_object() || !value.as_object().contains("entries") || !value.at("entries").is_array()) {
        return Refusal{make_error_code(Errc::bad_request), "a body {\"entries\":[...]} is expected"};
    }
    const auto& items = value.at("entries").as_array();
    if (items.size() > moderation::kWordEntriesMax) {
        return Refusal{make_error_code(Errc::bad_request),
                       "entries: at most " + std::to_string(moderation::kWordEntriesMax)};
    }
    std::vector<moderation::WordEntry> entries;
    entries.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto* item = items[i].if_object();
        const auto* pattern = item != nullptr ? item->if_contains("pattern") : nullptr;
        if (pattern == nullptr || !pattern->is_string()) {
            return Refusal{make_error_code(Errc::bad_request), "entries[" + std::to_string(i) + "].pattern"};
        }
        moderation::WordEntry entry{.pattern = std::string(pattern->as_string())};
        if (const auto* action = item->if_contains("action")) {
            if (!action->is_string() || (action->as_string() != "block" && action->as_string() != "mask")) {
                return Refusal{make_error_code(Errc::bad_request),
                               "entries[" + std::to_string(i) + "].action: block or mask"};
            }
            entry.action = action->as_string() == "mask" ? moderation::WordAction::mask : moderation::WordAction::block;
        }
        if (const auto* regex = item->if_contains("regex")) {
            if (!regex->is_bool()) {
                return Refusal{make_error_code(Errc::bad_request), "entries[" + std::to_string(i) + "].regex"};
            }
            entry.regex = regex->as_bool();
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

// {"uid", "for_s"?, "reason"?}
struct SanctionRequest {
    UserId user;
    std::int64_t for_s = 0;
    std::string reason;
};
Parsed<SanctionRequest> parse_sanction(std::string_view body, std::int64_t default_for_s) {
    Fields fields(body);
    SanctionRequest request{
        .user = UserId{static_cast<std::uint64_t>(fields.integer("uid", {1, INT64_MAX, Errc::bad_request}))},
        .for_s = fields.integer_or("for_s", default_for_s, {0, kSanctionSecondsMax, Errc::bad_request}),
        .reason = fields.text_or_empty("reason", kReasonBytesMax),
    };
    if (auto refused = fields.refusal()) {
        return *refused;
    }
    return request;
}

}  // namespace

// What an action did: the event members are told, the change to store with its audit line,
// and the answer's data.
struct ModerationApi::Acted {
    std::optional<message::Moderation> event;
    store::ModerationChange change;
    std::optional<store::AuditEntry> audit;  // nullopt: nothing to log (a read, a follow)
    json::value answer;
};

ModerationApi::ModerationApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock,
                             gateway::Hub& hub, moderation::GlobalBans& global_bans,
                             moderation::SharedWordList& global_words)
    : store_(database),
      directory_(database),
      compiles_({.per_second = 1.0 / 10, .burst = 3, .keys_max = 100'000}, clock),
      store_executor_(std::move(store_executor)),
      clock_(clock),
      hub_(hub),
      global_bans_(global_bans),
      global_words_(global_words) {
    normaliser_.release_owner();  // made here, used on the store pool
}

std::vector<Route> ModerationApi::routes() {
    using store::SanctionKind;
    return {
        {"POST", "/api/v1/rooms/{room}/mutes", Access::user,
         [this](const Call& call) { return impose(call, SanctionKind::mute); }},
        {"GET", "/api/v1/rooms/{room}/mutes", Access::user,
         [this](const Call& call) { return list(call, SanctionKind::mute); }},
        {"DELETE", "/api/v1/rooms/{room}/mutes/{user}", Access::user,
         [this](const Call& call) { return lift(call, SanctionKind::mute); }},
        {"POST", "/api/v1/rooms/{room}/bans", Access::user,
         [this](const Call& call) { return impose(call, SanctionKind::ban); }},
        {"GET", "/api/v1/rooms/{room}/bans", Access::user,
         [this](const Call& call) { return list(call, SanctionKind::ban); }},
        {"DELETE", "/api/v1/rooms/{room}/bans/{user}", Access::user,
         [this](const Call& call) { return lift(call, SanctionKind::ban); }},
        {"POST", "/api/v1/rooms/{room}/kicks", Access::user,
         [this](const Call& call) { return impose(call, SanctionKind::kick); }},
        {"PUT", "/api/v1/rooms/{room}/room-mute", Access::user,
         [this](const Call& call) { return room_mute(call, true); }},
        {"DELETE", "/api/v1/rooms/{room}/room-mute", Access::user,
         [this](const Call& call) { return room_mute(call, false); }},
        {"PUT", "/api/v1/rooms/{room}/chat-modes", Access::user, [this](const Call& call) { return chat_modes(call); }},
        {"GET", "/api/v1/rooms/{room}/chat-modes", Access::user,
         [this](const Call& call) { return current_modes(call); }},
        {"PUT", "/api/v1/rooms/{room}/managers/{user}", Access::user,
         [this](const Call& call) { return manager(call, true); }},
        {"DELETE", "/api/v1/rooms/{room}/managers/{user}", Access::user,
         [this](const Call& call) { return manager(call, false); }},
        {"DELETE", "/api/v1/rooms/{room}/messages/{id}", Access::user,
         [this](const Call& call) { return delete_message(call); }},
        {"POST", "/api/v1/rooms/{room}/warnings", Access::admin, [this](const Call& call) { return warn(call); }},
        {"PUT", "/api/v1/rooms/{room}/follow", Access::user, [this](const Call& call) { return follow(call, true); }},
        {"DELETE", "/api/v1/rooms/{room}/follow", Access::user,
         [this](const Call& call) { return follow(call, false); }},
        {"GET", "/api/v1/rooms/{room}/words", Access::user,
         [this](const Call& call) { return room_words(call, false); }},
        {"PUT", "/api/v1/rooms/{room}/words", Access::user,
         [this](const Call& call) { return room_words(call, true); }},
        {"GET", "/api/v1/rooms/{room}/audit", Access::user, [this](const Call& call) { return audit(call, false); }},
        {"GET", "/api/v1/words", Access::admin, [this](const Call& call) { return global_words(call, false); }},
        {"PUT", "/api/v1/words", Access::admin, [this](const Call& call) { return global_words(call, true); }},
        {"GET", "/api/v1/bans", Access::admin, [this](const Call& call) { return global_bans(call); }},
        {"POST", "/api/v1/bans", Access::admin, [this](const Call& call) { return global_ban(call, true); }},
        {"DELETE", "/api/v1/bans/{user}", Access::admin, [this](const Call& call) { return global_ban(call, false); }},
        {"GET", "/api/v1/audit", Access::admin, [this](const Call& call) { return audit(call, true); }},
    };
}

ModerationApi::Act ModerationApi::only_check(Power power) {
    return [power](room::Room&, moderation::RoomModeration&, Millis, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, power); !allowed) {
            return allowed.error();
        }
        return Acted{.event = std::nullopt, .change = {}, .audit = std::nullopt, .answer = {}};
    };
}

asio::awaitable<std::string> ModerationApi::name_of(UserId user) {
    auto lookup = [this, user] {
        auto found = directory_.find_user(user);
        return found ? found->name : std::string();
    };
    auto pending = net::run_on(store_executor_, std::move(lookup));
    co_return co_await std::move(pending);
}

asio::awaitable<net::HttpResponse> ModerationApi::act(const Call& call, RoomId room, Act act) {
    const message::Sender actor = call.who();
    auto acted = std::make_shared<std::optional<Acted>>();
    auto work = [acted, actor, act = std::move(act)](room::Room& r, moderation::RoomModeration& state,
                                                     Millis now_ms) -> Result<std::optional<message::Moderation>> {
        auto done = act(r, state, now_ms, r.effective_role(actor.uid, actor.role));
        if (!done) {
            return done.error();
        }
        auto event = done->event;
        *acted = std::move(*done);
        return event;
    };
    auto pending = hub_.moderate(room, actor, std::move(work));
    auto published = co_await std::move(pending);
    if (!published) {
        co_return fail(published.error());
    }
    Acted& done = **acted;
    const auto& change = done.change;
    const bool changed = change.put_sanction || change.drop_sanction || change.put_modes || change.put_words ||
                         change.put_follow || change.drop_follow || change.put_managers;
    if (done.audit || changed) {
        std::optional<store::AuditEntry> line = std::move(done.audit);
        if (line) {
            line->room = room;
            line->actor = actor.uid;
            line->at_ms = clock_.wall_ms();
        }
        // Follows are the viewer's own, not moderation: stored without an audit line.
        auto write = [this, change = done.change, line]() -> Status {
            if (!line) {
                return store_.apply(change);
            }
            auto written = store_.record(change, *line);
            return written ? Status{} : Status{written.error()};
        };
        auto pending_write = net::run_on(store_executor_, std::move(write));
        if (auto written = co_await std::move(pending_write); !written) {
            co_return fail(written.error(), "the action took effect but was not stored");
        }
    }
    co_return ok(std::move(done.answer));
}

namespace {

store::AuditEntry audit_line(Role actor_role, std::string_view action, UserId target, json::object detail,
                             std::string reason) {
    return store::AuditEntry{.actor_role = actor_role,
                             .action = std::string(action),
                             .target = target,
                             .detail = json::serialize(detail),
                             .reason = std::move(reason)};
}

}  // namespace

asio::awaitable<net::HttpResponse> ModerationApi::impose(const Call& call, store::SanctionKind kind) {
    const RoomId room{call.parameter(0)};
    auto request = parse_sanction(call.request.body, kind == store::SanctionKind::kick ? 300 : 0);
    if (!request) {
        co_return fail(request.error());
    }
    if (kind == store::SanctionKind::kick && request->for_s == 0) {
        co_return fail(make_error_code(Errc::bad_request), "for_s: a kick lasts 1 s or more");
    }
    std::string name = co_await name_of(request->user);
    const UserId by = call.who().uid;
    auto act = [kind, request = *request, name, by, room](room::Room& r, moderation::RoomModeration& state,
                                                          Millis now_ms, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        if (auto allowed = moderation::may_act_on(actor_role, r.effective_role(request.user, Role::viewer)); !allowed) {
            return allowed.error();
        }
        // Replacing a sanction is lifting it first: a manager cannot shorten the host's mute.
        const auto* existing = state.find(kind_of(kind), request.user, now_ms);
        if (existing != nullptr) {
            if (auto allowed = moderation::may_lift(actor_role, *existing); !allowed) {
                return allowed.error();
            }
        } else if (state.count(kind_of(kind)) >= moderation::kSanctionsMax) {
            state.sweep(now_ms);
            if (state.count(kind_of(kind)) >= moderation::kSanctionsMax) {
                return make_error_code(Errc::bad_request);
            }
        }
        const moderation::Sanction sanction{.until_ms = request.for_s == 0 ? 0 : now_ms + request.for_s * 1000,
                                            .by = by,
                                            .by_role = actor_role,
                                            .reason = request.reason,
                                            .at_ms = now_ms};
        state.impose(kind_of(kind), request.user, sanction);
        const auto event_kind = kind == store::SanctionKind::mute  ? ModerationKind::mute
                                : kind == store::SanctionKind::ban ? ModerationKind::ban
                                                                   : ModerationKind::kick;
        Acted done{.event = message::Moderation{.kind = event_kind,
                                                .target = request.user,
                                                .target_name = name,
                                                .until_ms = sanction.until_ms,
                                                .reason = request.reason},
                   .change = {},
                   .audit = audit_line(actor_role, noun_of(kind), request.user,
                                       json::object{{"until_ms", sanction.until_ms}}, request.reason),
                   .answer = sanction_json(request.user, sanction)};
        done.change.put_sanction = store::SanctionRecord{room, kind, request.user, sanction};
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::lift(const Call& call, store::SanctionKind kind) {
    const RoomId room{call.parameter(0)};
    const UserId user{call.parameter(1)};
    std::string name = co_await name_of(user);
    auto act = [kind, user, name, room](room::Room&, moderation::RoomModeration& state, Millis now_ms,
                                        Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        const auto* existing = state.find(kind_of(kind), user, now_ms);
        if (existing == nullptr) {
            return make_error_code(Errc::not_found);
        }
        if (auto allowed = moderation::may_lift(actor_role, *existing); !allowed) {
            return allowed.error();
        }
        state.lift(kind_of(kind), user);
        const auto event_kind = kind == store::SanctionKind::mute ? ModerationKind::unmute : ModerationKind::unban;
        Acted done{.event = message::Moderation{.kind = event_kind, .target = user, .target_name = name},
                   .change = {},
                   .audit = audit_line(actor_role, message::action_name(event_kind), user, {}, {}),
                   .answer = json::object{{"uid", user.value}, {"lifted", true}}};
        done.change.drop_sanction = store::ModerationChange::Removal{room, kind, user};
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::list(const Call& call, store::SanctionKind kind) {
    auto act = [kind](room::Room&, moderation::RoomModeration& state, Millis now_ms, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        json::array out;
        for (const auto& [user, sanction] : state.active(kind_of(kind), now_ms)) {
            out.push_back(sanction_json(user, sanction));
        }
        return Acted{.event = std::nullopt, .change = {}, .audit = std::nullopt, .answer = std::move(out)};
    };
    auto answering = this->act(call, RoomId{call.parameter(0)}, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::room_mute(const Call& call, bool on) {
    const RoomId room{call.parameter(0)};
    SanctionRequest request;
    if (on) {
        Fields fields(call.request.body.empty() ? std::string_view("{}") : std::string_view(call.request.body));
        request.for_s = fields.integer_or("for_s", 0, {0, kSanctionSecondsMax, Errc::bad_request});
        request.reason = fields.text_or_empty("reason", kReasonBytesMax);
        if (auto refused = fields.refusal()) {
            co_return fail(*refused);
        }
    }
    const UserId by = call.who().uid;
    auto act = [on, request, by, room](room::Room&, moderation::RoomModeration& state, Millis now_ms,
                                       Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        if (const auto* existing = state.room_mute(now_ms)) {
            if (auto allowed = moderation::may_lift(actor_role, *existing); !allowed) {
                return allowed.error();
            }
        } else if (!on) {
            return make_error_code(Errc::not_found);
        }
        std::optional<moderation::Sanction> mute;
        if (on) {
            mute = moderation::Sanction{.until_ms = request.for_s == 0 ? 0 : now_ms + request.for_s * 1000,
                                        .by = by,
                                        .by_role = actor_role,
                                        .reason = request.reason,
                                        .at_ms = now_ms};
            state.mute_room(*mute);
        } else {
            state.unmute_room();
        }
        const auto kind = on ? ModerationKind::room_mute : ModerationKind::room_unmute;
        Acted done{.event = message::Moderation{.kind = kind,
                                                .until_ms = mute ? mute->until_ms : 0,
                                                .reason = request.reason,
                                                .modes = state.modes()},
                   .change = {},
                   .audit = audit_line(actor_role, message::action_name(kind), {},
                                       json::object{{"until_ms", mute ? mute->until_ms : 0}}, request.reason),
                   .answer = json::object{{"room_mute", on}, {"until_ms", mute ? mute->until_ms : 0}}};
        done.change.put_modes = store::RoomModesRecord{room, state.modes(), mute};
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

// PUT .../chat-modes {"slow_s"?, "followers_only_min"? (-1 off), "guards_only"?, "min_level"?}:
// fields left out keep their value.
asio::awaitable<net::HttpResponse> ModerationApi::chat_modes(const Call& call) {
    const RoomId room{call.parameter(0)};
    Fields fields(call.request.body);
    struct Change {
        std::optional<std::int64_t> slow_s, followers_only_min, min_level;
        std::optional<bool> guards_only;
    } change;
    if (fields.has("slow_s")) {
        change.slow_s = fields.integer("slow_s", {0, 3600, Errc::bad_request});
    }
    if (fields.has("followers_only_min")) {
        change.followers_only_min = fields.integer("followers_only_min", {-1, 30LL * 24 * 60, Errc::bad_request});
    }
    if (fields.has("min_level")) {
        change.min_level = fields.integer("min_level", {0, 100, Errc::bad_request});
    }
    if (fields.has("guards_only")) {
        change.guards_only = fields.flag_or("guards_only", false);
    }
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    auto act = [change, room](room::Room&, moderation::RoomModeration& state, Millis now_ms,
                              Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        auto modes = state.modes();
        if (change.slow_s) {
            modes.slow_s = static_cast<std::uint32_t>(*change.slow_s);
        }
        if (change.followers_only_min) {
            modes.followers_only_min = static_cast<std::int32_t>(*change.followers_only_min);
        }
        if (change.min_level) {
            modes.min_level = static_cast<std::uint32_t>(*change.min_level);
        }
        if (change.guards_only) {
            modes.guards_only = *change.guards_only;
        }
        state.set_modes(modes);
        const auto* mute = state.room_mute(now_ms);
        Acted done{.event = message::Moderation{.kind = ModerationKind::chat_mode, .modes = modes},
                   .change = {},
                   .audit = audit_line(actor_role, "chat_mode", {}, modes_json(modes), {}),
                   .answer = modes_json(modes)};
        done.change.put_modes =
            store::RoomModesRecord{room, modes, mute ? std::optional<moderation::Sanction>(*mute) : std::nullopt};
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::current_modes(const Call& call) {
    auto act = [](room::Room&, moderation::RoomModeration& state, Millis now_ms, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        json::object answer = modes_json(state.modes());
        const auto* mute = state.room_mute(now_ms);
        answer["room_mute"] =
            mute == nullptr ? json::value(nullptr)
                            : json::value(json::object{
                                  {"until_ms", mute->until_ms}, {"reason", mute->reason}, {"by", mute->by.value}});
        return Acted{.event = std::nullopt, .change = {}, .audit = std::nullopt, .answer = std::move(answer)};
    };
    auto answering = this->act(call, RoomId{call.parameter(0)}, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::manager(const Call& call, bool appoint) {
    const RoomId room{call.parameter(0)};
    const UserId user{call.parameter(1)};
    std::string name = co_await name_of(user);
    auto act = [appoint, user, name, room](room::Room& r, moderation::RoomModeration&, Millis,
                                           Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::appoint); !allowed) {
            return allowed.error();
        }
        if (user == r.config().host) {
            return make_error_code(Errc::cannot_moderate);
        }
        auto managers = r.config().managers;
        const bool listed = std::ranges::find(managers, user) != managers.end();
        if (appoint == listed) {
            return make_error_code(appoint ? Errc::request_conflict : Errc::not_found);
        }
        if (appoint) {
            if (managers.size() >= 100) {
                return make_error_code(Errc::bad_request);
            }
            managers.push_back(user);
        } else {
            std::erase(managers, user);
        }
        r.set_managers(managers);
        json::array uids;
        for (const auto uid : managers) {
            uids.emplace_back(uid.value);
        }
        Acted done{.event = message::Moderation{.kind = ModerationKind::managers,
                                                .target = user,
                                                .target_name = name,
                                                .appointed = appoint,
                                                .managers = managers},
                   .change = {},
                   .audit = audit_line(actor_role, appoint ? "manager_appointed" : "manager_removed", user, {}, {}),
                   .answer = json::object{{"managers", std::move(uids)}}};
        done.change.put_managers = std::make_pair(room, managers);
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::delete_message(const Call& call) {
    const RoomId room{call.parameter(0)};
    const Sequence seq = call.parameter(1);
    std::string reason;
    if (auto given = call.query("reason")) {
        reason = given->substr(0, kReasonBytesMax);
    }
    auto act = [seq, reason](room::Room& r, moderation::RoomModeration&, Millis, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        auto kept = r.history().after(seq - 1, 1);
        if (kept.messages.empty() || kept.messages.front()->sequence != seq ||
            !std::holds_alternative<message::Danmaku>(kept.messages.front()->body)) {
            return make_error_code(Errc::unknown_message);
        }
        const auto& author = kept.messages.front()->sender;
        if (author.uid != UserId{} && author.role >= actor_role) {
            return make_error_code(Errc::cannot_moderate);
        }
        return Acted{.event = message::Moderation{.kind = ModerationKind::message_delete,
                                                  .target = author.uid,
                                                  .target_name = author.name,
                                                  .reason = reason,
                                                  .message = seq},
                     .change = {},
                     .audit = audit_line(actor_role, "message_delete", author.uid, json::object{{"seq", seq}}, reason),
                     .answer = json::object{{"deleted", seq}}};
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

// POST .../warnings {"msg", "cut_off"?}: the operator's WARNING (or CUT_OFF) to the room.
asio::awaitable<net::HttpResponse> ModerationApi::warn(const Call& call) {
    const RoomId room{call.parameter(0)};
    Fields fields(call.request.body);
    std::string text = fields.text("msg", kWarningBytesMax);
    const bool cut_off = fields.flag_or("cut_off", false);
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    if (text.empty()) {
        co_return fail(make_error_code(Errc::bad_request), "msg: empty");
    }
    auto act = [text, cut_off](room::Room&, moderation::RoomModeration&, Millis, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::operate_platform); !allowed) {
            return allowed.error();
        }
        const auto kind = cut_off ? ModerationKind::cut_off : ModerationKind::warning;
        return Acted{.event = message::Moderation{.kind = kind, .reason = text},
                     .change = {},
                     .audit = audit_line(actor_role, message::action_name(kind), {}, {}, text),
                     .answer = json::object{{"sent", message::action_name(kind)}}};
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::follow(const Call& call, bool on) {
    const RoomId room{call.parameter(0)};
    const UserId user = call.who().uid;
    auto act = [on, user, room](room::Room&, moderation::RoomModeration& state, Millis now_ms, Role) -> Result<Acted> {
        Acted done{.event = std::nullopt, .change = {}, .audit = std::nullopt, .answer = {}};
        if (on) {
            state.follow(user, now_ms);
            const Millis since = state.following_since(user).value_or(now_ms);
            done.change.put_follow = store::FollowRecord{room, user, since};
            done.answer = json::object{{"following", true}, {"since_ms", since}};
        } else {
            state.unfollow(user);
            done.change.drop_follow = store::FollowRecord{room, user, 0};
            done.answer = json::object{{"following", false}};
        }
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::room_words(const Call& call, bool replace) {
    const RoomId room{call.parameter(0)};
    if (!replace) {
        auto act = [](room::Room&, moderation::RoomModeration& state, Millis, Role actor_role) -> Result<Acted> {
            if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
                return allowed.error();
            }
            const auto& words = state.words();
            return Acted{.event = std::nullopt,
                         .change = {},
                         .audit = std::nullopt,
                         .answer = json::object{{"entries", words ? entries_json(words->entries()) : json::array{}}}};
        };
        auto answering = this->act(call, room, std::move(act));
        co_return co_await std::move(answering);
    }
    auto entries = parse_words(call.request.body);
    if (!entries) {
        co_return fail(entries.error());
    }
    // A cheap permission check first: compiling a big list is not for anyone to trigger.
    auto check = only_check(Power::moderate);
    auto checking = this->act(call, room, std::move(check));
    if (auto checked = co_await std::move(checking); checked.status != 200) {
        co_return checked;
    }
    // Compiled on the store pool, off every I/O loop; a bad entry leaves the old list in force.
    auto compile = [this, caller = call.who().uid,
                    entries = std::move(*entries)]() mutable -> std::optional<moderation::WordListResult> {
        if (!compiles_.allow(caller.value)) {
            return std::nullopt;
        }
        return moderation::WordList::compile(std::move(entries), normaliser_);
    };
    auto compiling = net::run_on(store_executor_, std::move(compile));
    auto attempted = co_await std::move(compiling);
    if (!attempted) {
        co_return fail(make_error_code(Errc::rate_limited),
                       "a word list is replaced 3 times at once, then once per 10 s");
    }
    auto& compiled = *attempted;
    if (!compiled) {
        const auto& error = compiled.error();
        co_return net::HttpResponse{
            400, "application/json",
            json::serialize(json::object{
                {"code", static_cast<int>(Errc::bad_word_pattern)},
                {"message", "a word list entry does not compile: entry " + std::to_string(error.entry) + ", byte " +
                                std::to_string(error.position) + ": " + error.message},
                {"data",
                 json::object{{"entry", error.entry}, {"position", error.position}, {"error", error.message}}}})};
    }
    auto list = *compiled;
    auto act = [list, room](room::Room&, moderation::RoomModeration& state, Millis, Role actor_role) -> Result<Acted> {
        if (auto allowed = moderation::may_use(actor_role, Power::moderate); !allowed) {
            return allowed.error();
        }
        state.set_words(list);
        Acted done{.event = std::nullopt,
                   .change = {},
                   .audit = audit_line(actor_role, "words_replaced", {}, json::object{{"entries", list->size()}}, {}),
                   .answer = json::object{{"entries", list->size()}}};
        done.change.put_words = store::WordListRecord{room, list->entries()};
        return done;
    };
    auto answering = this->act(call, room, std::move(act));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> ModerationApi::global_words(const Call& call, bool replace) {
    if (!replace) {
        const auto list = global_words_.get();
        co_return ok(json::object{{"entries", list ? entries_json(list->entries()) : json::array{}}});
    }
    auto entries = parse_words(call.request.body);
    if (!entries) {
        co_return fail(entries.error());
    }
    const auto actor = call.who();
    auto compile = [this, actor, entries = std::move(*entries)]() mutable -> Result<std::size_t> {
        if (!compiles_.allow(actor.uid.value)) {
            return make_error_code(Errc::rate_limited);
        }
        auto compiled = moderation::WordList::compile(std::move(entries), normaliser_);
        if (!compiled) {
            return make_error_code(Errc::bad_word_pattern);
        }
        auto list = *compiled;
        store::ModerationChange change;
        change.put_words = store::WordListRecord{RoomId{0}, list->entries()};
        auto written =
            store_.record(change, store::AuditEntry{.room = RoomId{0},
                                                    .actor = actor.uid,
                                                    .actor_role = actor.role,
                                                    .action = "words_replaced",
                                                    .detail = json::serialize(json::object{{"entries", list->size()}}),
                                                    .at_ms = clock_.wall_ms()});
        if (!written) {
            return written.error();
        }
        global_words_.set(list);
        return list->size();
    };
    auto compiling = net::run_on(store_executor_, std::move(compile));
    auto compiled = co_await std::move(compiling);
    if (!compiled) {
        co_return fail(compiled.error());
    }
    co_return ok(json::object{{"entries", *compiled}});
}

asio::awaitable<net::HttpResponse> ModerationApi::audit(const Call& call, bool global) {
    const RoomId room{global ? 0 : call.parameter(0)};
    std::size_t limit = 100;
    if (auto given = call.query("limit")) {
        auto number = parse_number(*given);
        if (!number || *number == 0 || *number > kAuditPageMax) {
            co_return fail(make_error_code(Errc::bad_request), "limit: 1..500");
        }
        limit = *number;
    }
    std::optional<std::int64_t> before;
    if (auto given = call.query("before")) {
        auto number = parse_number(*given);
        if (!number || *number > static_cast<std::uint64_t>(INT64_MAX)) {
            co_return fail(make_error_code(Errc::bad_request), "before: an audit id");
        }
        before = static_cast<std::int64_t>(*number);
    }
    if (!global) {
        auto check = only_check(Power::moderate);
        auto checking = this->act(call, room, std::move(check));
        if (auto checked = co_await std::move(checking); checked.status != 200) {
            co_return checked;
        }
    }
    auto read = [this, room, before, limit] { return store_.audit(room, before, limit); };
    auto pending = net::run_on(store_executor_, std::move(read));
    const auto lines = co_await std::move(pending);
    json::array out;
    for (const auto& line : lines) {
        boost::system::error_code ec;
        auto detail = json::parse(line.detail, ec);
        out.push_back(json::object{{"id", line.id},
                                   {"room", line.room.value},
                                   {"actor", line.actor.value},
                                   {"actor_role", message::to_string(line.actor_role)},
                                   {"action", line.action},
                                   {"target", line.target.value},
                                   {"detail", ec ? json::value(json::object{}) : std::move(detail)},
                                   {"reason", line.reason},
                                   {"at_ms", line.at_ms}});
    }
    co_return ok(std::move(out));
}

asio::awaitable<net::HttpResponse> ModerationApi::global_ban(const Call& call, bool on) {
    const auto actor = call.who();
    SanctionRequest request;
    if (on) {
        auto parsed = parse_sanction(call.request.body, 0);
        if (!parsed) {
            co_return fail(parsed.error());
        }
        request = std::move(*parsed);
    } else {
        request.user = UserId{call.parameter(0)};
    }
    const Millis now_ms = clock_.wall_ms();
    store::ModerationChange change;
    std::optional<moderation::Sanction> sanction;
    if (on) {
        sanction = moderation::Sanction{.until_ms = request.for_s == 0 ? 0 : now_ms + request.for_s * 1000,
                                        .by = actor.uid,
                                        .by_role = actor.role,
                                        .reason = request.reason,
                                        .at_ms = now_ms};
        change.put_sanction = store::SanctionRecord{RoomId{0}, store::SanctionKind::ban, request.user, *sanction};
    } else {
        if (!global_bans_.find(request.user, now_ms)) {
            co_return fail(make_error_code(Errc::not_found));
        }
        change.drop_sanction = store::ModerationChange::Removal{RoomId{0}, store::SanctionKind::ban, request.user};
    }
    const store::AuditEntry line{
        .room = RoomId{0},
        .actor = actor.uid,
        .actor_role = actor.role,
        .action = on ? "ban" : "unban",
        .target = request.user,
        .detail = json::serialize(json::object{{"until_ms", sanction ? sanction->until_ms : 0}, {"global", true}}),
        .reason = request.reason,
        .at_ms = now_ms};
    auto write = [this, change, line]() { return store_.record(change, line); };
    auto pending = net::run_on(store_executor_, std::move(write));
    if (auto written = co_await std::move(pending); !written) {
        co_return fail(written.error());
    }
    if (on) {
        global_bans_.impose(request.user, *sanction);
        hub_.kick_everywhere(request.user, make_error_code(Errc::banned));
        co_return ok(sanction_json(request.user, *sanction));
    }
    global_bans_.lift(request.user);
    co_return ok(json::object{{"uid", request.user.value}, {"lifted", true}});
}

asio::awaitable<net::HttpResponse> ModerationApi::global_bans(const Call&) {
    json::array out;
    for (const auto& [user, sanction] : global_bans_.active(clock_.wall_ms())) {
        out.push_back(sanction_json(user, sanction));
    }
    co_return ok(std::move(out));
}

}  // namespace barrage::http
