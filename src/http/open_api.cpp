#include "http/open_api.h"

#include "http/developer_access.h"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <boost/asio/post.hpp>

#include "base/log.h"
#include "crypto/random.h"
#include "message/open_dialect.h"
#include "net/run_on.h"
#include "open/app_requests.h"
#include "open/signature.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using open::OpenCode;

struct OpenApi::Outcome {
    OpenCode code = OpenCode::ok;
    std::string message;
    json::value data = nullptr;

    static Outcome refused(OpenCode code) { return {code, std::string(open::message_of(code)), nullptr}; }
    static Outcome limited(open::AbuseGuard::Refusal refusal) {
        return {OpenCode::access_limited, std::move(refusal.message), nullptr};
    }
};

namespace {

// "application/json", with or without parameters ("; charset=utf-8"), in any case.
bool names_json(std::string_view value) {
    const auto type = value.substr(0, value.find(';'));
    std::string lower;
    for (const char c : type) {
        if (c != ' ' && c != '\t') {
            lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    }
    return lower == "application/json";
}

bool accepts_json(std::string_view accept) {
    if (accept.empty()) {
        return true;  // no preference stated
    }
    for (std::size_t start = 0; start <= accept.size();) {
        auto comma = accept.find(',', start);
        auto item = accept.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        if (names_json(item) || item.starts_with("*/*") || item.starts_with("application/*")) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return false;
}

template <class Request>
const open::RequestRefusal* refusal_of(const open::Parsed<Request>& parsed) {
    return std::get_if<open::RequestRefusal>(&parsed);
}

}  // namespace

OpenApi::OpenApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock, gateway::Hub& hub,
                 const open::GameTickets& tickets, Options options)
    : database_(database),
      apps_(database, clock),
      directory_(database),
      store_(std::move(store_executor)),
      clock_(clock),
      hub_(hub),
      tickets_(tickets),
      options_(std::move(options)),
      sweep_(store_),
      nonces_({}),
      sessions_({}, clock),
      started_ms_(clock.wall_ms()),
      developers_(database, clock),
      own_guard_(options_.guard != nullptr ? nullptr
                                           : std::make_unique<open::AbuseGuard>(open::AbuseGuard::Options{}, clock)),
      guard_(options_.guard != nullptr ? *options_.guard : *own_guard_) {}

std::vector<Route> OpenApi::routes() {
    const auto bind = [this](Endpoint endpoint) {
        return [this, endpoint](const Call& call) { return this->call(call, endpoint); };
    };
    return {
        {"POST", "/v2/app/start", Access::anyone, bind(Endpoint::start)},
        {"POST", "/v2/app/heartbeat", Access::anyone, bind(Endpoint::heartbeat)},
        {"POST", "/v2/app/batchHeartbeat", Access::anyone, bind(Endpoint::batch_heartbeat)},
        {"POST", "/v2/app/end", Access::anyone, bind(Endpoint::end)},
        {"GET", "/api/v1/open/apps/{app}/stats", Access::user, [this](const Call& call) { return stats(call); }},
        {"GET", "/api/v1/rooms/{room}/games", Access::user, [this](const Call& call) { return games(call); }},
        {"POST", "/api/v1/open/apps/{app}/test-game", Access::user,
         [this](const Call& call) { return test_game(call); }},
        {"POST", "/api/v1/open/apps/{app}/test-game/heartbeat", Access::user,
         [this](const Call& call) { return test_game_heartbeat(call); }},
    };
}

void OpenApi::start() {
    asio::post(store_, [this] { schedule_sweep(); });
}

void OpenApi::stop() {
    asio::post(store_, [this] {
        stopped_ = true;
        sweep_.cancel();
    });
}

void OpenApi::schedule_sweep() {
    if (stopped_) {
        return;
    }
    sweep_.expires_after(std::chrono::milliseconds(options_.expiry_sweep_ms));
    sweep_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) {
            return;
        }
        end_expired();
        schedule_sweep();
    });
}

void OpenApi::end_expired() {
    for (auto& game : sessions_.expire()) {
        hub_.end_open_game(game.room, std::move(game.game_id));
    }
    const Millis now = clock_.wall_ms();
    if (options_.code_max_age_ms > 0 && now >= next_code_check_ms_) {
        constexpr Millis kCodeCheckIntervalMs = 60'000;
        constexpr std::size_t kCodesPerCheck = 100;  // bounds one turn of the store thread
        next_code_check_ms_ = now + kCodeCheckIntervalMs;
        auto refreshed = apps_.refresh_codes_made_before(now - options_.code_max_age_ms, kCodesPerCheck);
        if (!refreshed) {
            log::warn("identity codes: scheduled refresh failed: {}", refreshed.error().message());
        } else if (*refreshed > 0) {
            log::info("identity codes: {} refreshed on schedule", *refreshed);
            // More may be due: look again at the next sweep rather than in a minute.
            next_code_check_ms_ = *refreshed == kCodesPerCheck ? now : next_code_check_ms_;
        }
    }
}

void OpenApi::append_metrics(std::string& out) const {
    static constexpr std::array<std::string_view, open::CallStats::kEndpoints> kPaths{
        "/v2/app/start", "/v2/app/heartbeat", "/v2/app/batchHeartbeat", "/v2/app/end"};
    out +=
        "# HELP barrage_open_calls_total Calls of the open platform's game API, by endpoint, answered or "
        "refused.\n"
        "# TYPE barrage_open_calls_total counter\n";
    for (std::size_t endpoint = 0; endpoint < kPaths.size(); ++endpoint) {
        out += fmt::format("barrage_open_calls_total{{endpoint=\"{}\"}} {}\n", kPaths[endpoint],
                           calls_[endpoint].load(std::memory_order_relaxed));
    }
}

asio::awaitable<net::HttpResponse> OpenApi::call(const Call& call, Endpoint endpoint) {
    calls_[static_cast<std::size_t>(endpoint)].fetch_add(1, std::memory_order_relaxed);
    const auto& request = call.request;
    const std::string request_id = crypto::random_hex(8);
    Outcome outcome;
    const std::string address = open::address_of_remote(request.remote);
    if (auto flooding = guard_.admit_address(address)) {
        outcome = Outcome::limited(std::move(*flooding));  // before any header is looked at
    } else if (!names_json(request.header("content-type"))) {
        outcome = Outcome::refused(OpenCode::bad_content_type);
    } else if (!accepts_json(request.header("accept"))) {
        outcome = Outcome::refused(OpenCode::bad_accept);
    } else {
        auto headers = open::SignedHeaders::from([&request](std::string_view name) { return request.header(name); });
        const Millis started_ms = clock_.steady_ms();
        auto work = [this, endpoint, headers = std::move(headers), body = request.body,
                     host = std::string(request.header("host")), address, started_ms]() -> Outcome {
            if (auto limited = guard_.check_app_ban(headers.access_key_id)) {
                return Outcome::limited(std::move(*limited));  // no SQLite lookup, no HMAC
            }
            std::optional<store::OpenApp> app;
            const auto secret_of = [this, &app](std::string_view key) -> std::optional<std::string> {
                app = apps_.find_by_key(key);
                return app ? std::optional(app->access_key_secret) : std::nullopt;
            };
            auto answer = [&]() -> Outcome {
                const auto verified =
                    open::verify_signature(headers, body, secret_of, clock_.wall_ms() / 1000, nonces_);
                if (verified != OpenCode::ok) {
                    return Outcome::refused(verified);
                }
                if (auto limited = guard_.admit_app(app->access_key_id)) {
                    return Outcome::limited(std::move(*limited));
                }
                return handle(endpoint, body, *app, host, address);
            };
            Outcome answered = answer();
            if (app) {
                call_stats_.record(app->app_id, static_cast<std::size_t>(endpoint), static_cast<int>(answered.code),
                                   clock_.steady_ms() - started_ms);
            }
            return answered;
        };
        auto handling = net::run_on(store_, std::move(work));
        outcome = co_await std::move(handling);
    }
    co_return net::HttpResponse{200, "application/json",
                                open::open_answer(outcome.code, outcome.message, outcome.data, request_id)};
}

asio::awaitable<net::HttpResponse> OpenApi::stats(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        static constexpr std::array<std::string_view, open::CallStats::kEndpoints> kPaths{
            "/v2/app/start", "/v2/app/heartbeat", "/v2/app/batchHeartbeat", "/v2/app/end"};
        json::array endpoints;
        const auto counted = call_stats_.of(app->app_id);
        for (std::size_t endpoint = 0; endpoint < kPaths.size(); ++endpoint) {
            json::object errors;
            for (const auto& [code, count] : counted[endpoint].errors) {
                errors[std::to_string(code)] = count;
            }
            endpoints.push_back(json::object{{"endpoint", kPaths[endpoint]},
                                             {"calls", counted[endpoint].calls},
                                             {"errors", std::move(errors)},
                                             {"p50_ms", counted[endpoint].p50_ms},
                                             {"p99_ms", counted[endpoint].p99_ms}});
        }
        return json::value(
            json::object{{"app_id", app->app_id}, {"since_ms", started_ms_}, {"endpoints", std::move(endpoints)}});
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> OpenApi::test_game(const Call& call) {
    Fields fields(call.request.body);
    const auto room_id = fields.integer("room", {.min = 1, .invalid = Errc::unknown_room});
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), room_id,
                 host = std::string(call.request.header("host"))]() -> Answer {
        auto app = own_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        std::optional<store::RoomRecord> room;
        for (auto& loaded : directory_.load_rooms()) {
            if (loaded.id.value == static_cast<std::uint64_t>(room_id)) {
                room = std::move(loaded);
            }
        }
        if (!room) {
            return refusal(Errc::unknown_room);
        }
        if (!apps_.is_test_room(*app, room->id, room->host)) {
            return refusal(Errc::forbidden, "a test game runs in the developer's own rooms and the app's whitelist");
        }
        auto started = start_in(*app, *room, host);
        if (started.code != OpenCode::ok) {
            return refusal(Errc::forbidden,
                           fmt::format("{} ({})", open::message_of(started.code), static_cast<int>(started.code)));
        }
        return std::move(started.data);
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> OpenApi::test_game_heartbeat(const Call& call) {
    Fields fields(call.request.body);
    std::string game_id = fields.text("game_id", 64);
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), game_id = std::move(game_id)]() -> Answer {
        auto app = own_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        if (sessions_.heartbeat(game_id) != OpenCode::ok) {
            return refusal(Errc::not_found, "no such game running (it ended, or 60 s passed without a heartbeat)");
        }
        return json::value(json::object{{"game_id", game_id}});
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> OpenApi::games(const Call& call) {
    auto work = [this, caller = call.who(), room = RoomId{call.parameter(0)}]() -> Answer {
        std::optional<store::RoomRecord> record;
        for (auto& loaded : directory_.load_rooms()) {
            if (loaded.id == room) {
                record = std::move(loaded);
            }
        }
        if (!record) {
            return refusal(Errc::unknown_room);
        }
        const bool manages = caller.uid == record->host ||
                             std::ranges::find(record->managers, caller.uid) != record->managers.end() ||
                             caller.role >= message::Role::admin;
        if (!manages) {
            return refusal(Errc::forbidden, "a room's games are listed for its host, managers and admins");
        }
        const Millis now_ms = clock_.steady_ms();
        json::array games;
        for (const auto& session : sessions_.in_room(room)) {
            const auto app = apps_.find(session.app_id);
            games.push_back(json::object{{"game_id", session.game_id},
                                         {"app_id", session.app_id},
                                         {"app_name", app ? app->name : std::string()},
                                         {"running_ms", now_ms - session.started_ms},
                                         {"since_heartbeat_ms", now_ms - session.last_beat_ms}});
        }
        return json::value(json::object{{"room", room.value}, {"games", std::move(games)}});
    };
    co_return co_await answer_on(store_, std::move(work));
}

OpenApi::Outcome OpenApi::handle(Endpoint endpoint, const std::string& body, const store::OpenApp& app,
                                 const std::string& host, const std::string& address) {
    switch (endpoint) {
        case Endpoint::start: return start(body, app, host, address);
        case Endpoint::heartbeat: {
            auto parsed = open::parse_heartbeat(body);
            if (const auto* refused = refusal_of(parsed)) {
                return {refused->code, refused->message, nullptr};
            }
            const auto code = sessions_.heartbeat(std::get<open::HeartbeatRequest>(parsed).game_id);
            return code == OpenCode::ok ? Outcome{} : Outcome::refused(code);
        }
        case Endpoint::batch_heartbeat: {
            auto parsed = open::parse_batch_heartbeat(body);
            if (const auto* refused = refusal_of(parsed)) {
                return {refused->code, refused->message, nullptr};
            }
            json::array failed;
            for (auto& id : sessions_.batch_heartbeat(std::get<open::BatchHeartbeatRequest>(parsed).game_ids)) {
                failed.emplace_back(std::move(id));
            }
            return {OpenCode::ok, "0", json::object{{"failed_game_ids", std::move(failed)}}};
        }
        case Endpoint::end: {
            auto parsed = open::parse_end(body);
            if (const auto* refused = refusal_of(parsed)) {
                return {refused->code, refused->message, nullptr};
            }
            const auto& request = std::get<open::EndRequest>(parsed);
            if (request.app_id != app.app_id) {
                return Outcome::refused(OpenCode::wrong_app);
            }
            const auto room = sessions_.room_of(request.game_id);
            const auto code = sessions_.end(request.app_id, request.game_id);
            if (code == OpenCode::ok && room) {
                hub_.end_open_game(*room, request.game_id);
            }
            return code == OpenCode::ok ? Outcome{} : Outcome::refused(code);
        }
    }
    return Outcome::refused(OpenCode::bad_parameters);
}

json::array OpenApi::wss_links(std::string_view host) const {
    json::array links;
    for (const auto& link : options_.wss_links) {
        links.emplace_back(link);
    }
    if (links.empty()) {
        // The game reached us at its Host; a Host that is no host name, address or port is not
        // repeated back (it would only mislead that same game).
        const bool plausible = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' ||
                   c == ']';
        });
        links.emplace_back(fmt::format("ws://{}/sub", plausible ? host : std::string_view("127.0.0.1")));
    }
    return links;
}

OpenApi::Outcome OpenApi::start(const std::string& body, const store::OpenApp& app, const std::string& host,
                                const std::string& address) {
    auto parsed = open::parse_start(body);
    if (const auto* refused = refusal_of(parsed)) {
        return {refused->code, refused->message, nullptr};
    }
    const auto& request = std::get<open::StartRequest>(parsed);
    if (request.app_id != app.app_id) {
        return Outcome::refused(OpenCode::wrong_app);
    }
    // Identity codes cannot be guessed: wrong ones are counted per app and per address, and
    // past either limit every start is refused, the right code included.
    if (auto limited = guard_.check_start(app.access_key_id, address)) {
        return Outcome::limited(std::move(*limited));  // before the code is looked at
    }
    const auto room_id = apps_.room_of_code(request.code);
    if (!room_id) {
        if (auto limited = guard_.wrong_code(app.access_key_id, address)) {
            return Outcome::limited(std::move(*limited));
        }
        return Outcome::refused(OpenCode::bad_identity_code);
    }
    if (auto limited = guard_.admit_code(request.code)) {
        return Outcome::limited(std::move(*limited));
    }
    std::optional<store::RoomRecord> room;
    for (auto& record : directory_.load_rooms()) {
        if (record.id == *room_id) {
            room = std::move(record);
            break;
        }
    }
    if (!room) {
        return Outcome::refused(OpenCode::bad_identity_code);  // the room is gone
    }
    // An app not yet approved runs only in its developer's own rooms and its test rooms.
    if (!apps_.may_run_in(app, room->id, room->host)) {
        return Outcome::refused(OpenCode::room_whitelist);
    }
    return start_in(app, *room, host);
}

OpenApi::Outcome OpenApi::start_in(const store::OpenApp& app, const store::RoomRecord& room_record,
                                   const std::string& host) {
    const auto* room = &room_record;
    end_expired();  // a game past its time must not hold the room, nor hear its next app's events
    auto started = sessions_.start(app.app_id, room->id);
    if (const auto* code = std::get_if<OpenCode>(&started)) {
        return Outcome::refused(*code);
    }
    const auto& game = std::get<open::GameSession>(started);
    const auto user = directory_.find_user(room->host);
    // A streamer's open_id is stable per app and tells apps nothing about the uid behind it.
    const std::string open_id = message::open_id_of(options_.open_id_key, app.app_id, room->host);
    hub_.start_open_game(room->id,
                         std::make_shared<const message::OpenAudience>(message::OpenAudience{
                             .app_id = app.app_id,
                             .open_id_key = options_.open_id_key,
                             .anchor_open_id = open_id,
                             .anchor_name = user ? user->name : std::string(),
                             .anchor_face = user ? user->face : std::string(),
                         }),
                         game.game_id);
    const std::string key = tickets_.issue(open::GameTicket{game.game_id, app.app_id, room->id});
    json::object auth_body{{"roomid", room->id.value}, {"protover", 2}, {"uid", 0}, {"key", key}, {"group", "open"}};
    json::object data{
        {"game_info", json::object{{"game_id", game.game_id}}},
        {"websocket_info", json::object{{"auth_body", json::serialize(auth_body)}, {"wss_link", wss_links(host)}}},
        {"anchor_info", json::object{{"room_id", room->id.value},
                                     {"uname", user ? user->name : std::string()},
                                     {"uface", user ? user->face : std::string()},
                                     {"uid", 0},
                                     {"open_id", open_id},
                                     {"union_id", ""}}},
    };
    return {OpenCode::ok, "0", std::move(data)};
}

}  // namespace barrage::http
