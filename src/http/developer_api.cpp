#include "http/developer_api.h"

#include <algorithm>
#include <string>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "http/developer_access.h"
#include "http/requests.h"
#include "http/responses.h"
#include "identity/token.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Apps one review-queue answer lists, the oldest submissions first: a page an operator works
// through; "more" says that others wait behind them.
constexpr std::size_t kReviewQueueMax = 100;

json::array rooms_json(const std::vector<RoomId>& rooms) {
    json::array out;
    for (const auto room : rooms) {
        out.push_back(room.value);
    }
    return out;
}

// An app as its developer and operators see it: never the secret.
json::object app_json(const store::OpenApp& app, const std::vector<RoomId>& whitelist) {
    return {{"app_id", app.app_id},
            {"developer", app.developer.value},
            {"name", app.name},
            {"description", app.description},
            {"access_key_id", app.access_key_id},
            {"status", store::to_string(app.status)},
            {"reject_reason", app.reject_reason},
            {"submitted_ms", app.submitted_ms},
            {"whitelist", rooms_json(whitelist)}};
}

// The app with its whitelist, read now.
Answer app_answer(store::OpenApps& apps, const store::OpenApp& app) {
    auto whitelist = apps.test_rooms(app.app_id);
    if (!whitelist) {
        return Refusal{whitelist.error(), {}};
    }
    return json::value(app_json(app, *whitelist));
}

Answer apps_answer(store::OpenApps& apps, const Result<std::vector<store::OpenApp>>& listed) {
    if (!listed) {
        return Refusal{listed.error(), {}};
    }
    json::array out;
    for (const auto& app : *listed) {
        auto one = app_answer(apps, app);
        if (!one) {
            return one.error();
        }
        out.push_back(std::move(*one));
    }
    return json::value(std::move(out));
}

// A new secret's answer: the one time it is shown.
json::object keys_json(const store::OpenApp& app) {
    return {{"app_id", app.app_id},
            {"access_key_id", app.access_key_id},
            {"access_key_secret", app.access_key_secret},
            {"status", store::to_string(app.status)}};
}

json::object audit_json(const store::OpenAuditEntry& entry) {
    return {{"id", entry.id},
            {"at_ms", entry.at_ms},
            {"actor", entry.actor.value},
            {"action", entry.action},
            {"app_id", entry.app_id},
            {"room", entry.room.value},
            {"subject", entry.subject.value},
            {"detail", entry.detail}};
}

// A page of audit rows, newest first; `next_before` while older rows may remain.
json::object audit_page_json(const std::vector<store::OpenAuditEntry>& rows, std::size_t limit) {
    json::array entries;
    for (const auto& row : rows) {
        entries.push_back(audit_json(row));
    }
    json::object page{{"entries", std::move(entries)}};
    if (rows.size() == limit && !rows.empty()) {
        page["next_before"] = rows.back().id;
    }
    return page;
}

}  // namespace

DeveloperApi::DeveloperApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock,
                           gateway::Hub& hub)
    : apps_(database, clock),
      developers_(database, clock),
      audit_(database, clock),
      writes_({.per_second = 1.0, .burst = 30, .keys_max = 100'000}, clock),
      debug_events_({.per_second = 10.0, .burst = 50, .keys_max = 100'000}, clock),
      store_(std::move(store_executor)),
      clock_(clock),
      hub_(hub) {}

std::vector<Route> DeveloperApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"POST", "/api/v1/open/apps", Access::user, bind(&DeveloperApi::create)},
        {"GET", "/api/v1/open/apps", Access::user, bind(&DeveloperApi::list)},
        {"GET", "/api/v1/open/apps/{app}", Access::user, bind(&DeveloperApi::read)},
        {"PUT", "/api/v1/open/apps/{app}", Access::user, bind(&DeveloperApi::edit)},
        {"POST", "/api/v1/open/apps/{app}/submit", Access::user, bind(&DeveloperApi::submit)},
        {"POST", "/api/v1/open/apps/{app}/rotate", Access::user, bind(&DeveloperApi::rotate)},
        {"PUT", "/api/v1/open/apps/{app}/whitelist/{room}", Access::user, bind(&DeveloperApi::add_test_room)},
        {"DELETE", "/api/v1/open/apps/{app}/whitelist/{room}", Access::user, bind(&DeveloperApi::remove_test_room)},
        {"GET", "/api/v1/open/apps/{app}/audit", Access::user, bind(&DeveloperApi::app_audit)},
        {"POST", "/api/v1/open/apps/{app}/debug/{room}", Access::user, bind(&DeveloperApi::debug_event)},
        {"GET", "/api/v1/open/review", Access::admin, bind(&DeveloperApi::review_queue)},
        {"POST", "/api/v1/open/apps/{app}/review", Access::admin, bind(&DeveloperApi::review)},
        {"PUT", "/api/v1/open/developers/{user}", Access::admin,
         [this](const Call& call) { return set_developer(call, true); }},
        {"DELETE", "/api/v1/open/developers/{user}", Access::admin,
         [this](const Call& call) { return set_developer(call, false); }},
        {"GET", "/api/v1/open/audit", Access::admin, bind(&DeveloperApi::audit)},
    };
}

asio::awaitable<net::HttpResponse> DeveloperApi::create(const Call& call) {
    auto request = parse_app_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    auto work = [this, caller = call.who(), request = std::move(*request)]() -> Answer {
        if (auto refused = not_a_developer(developers_, caller)) {
            return *refused;
        }
        if (auto refused = over_write_rate(writes_, caller.uid)) {
            return *refused;
        }
        auto made =
            apps_.create_draft({.developer = caller.uid, .name = request.name, .description = request.description});
        if (!made) {
            if (made.error() == Errc::apps_limit) {
                return Refusal{made.error(), fmt::format("at most {} apps", store::kAppsPerDeveloperMax)};
            }
            return Refusal{made.error(), {}};
        }
        log::info("open: app {} created by developer {}", made->app_id, caller.uid.value);
        return json::value(keys_json(*made));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::list(const Call& call) {
    auto work = [this, caller = call.who()]() -> Answer {
        if (auto refused = not_a_developer(developers_, caller)) {
            return *refused;
        }
        return apps_answer(apps_, apps_.apps_of(caller.uid));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::read(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        return app_answer(apps_, *app);
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::edit(const Call& call) {
    auto request = parse_app_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), request = std::move(*request)]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto edited = apps_.edit(
            {.app_id = app_id, .actor = caller.uid, .name = request.name, .description = request.description});
        if (!edited) {
            return step_refusal("app", edited.error(), store::AppStep::edit, app->status);
        }
        if (app_changed_) {
            app_changed_();
        }
        return app_answer(apps_, *edited);
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::submit(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto submitted = apps_.submit(app_id, caller.uid);
        if (!submitted) {
            return step_refusal("app", submitted.error(), store::AppStep::submit, app->status);
        }
        log::info("open: app {} submitted for review by developer {}", app_id, caller.uid.value);
        return app_answer(apps_, *submitted);
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::rotate(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto rotated = apps_.rotate_secret(app_id, caller.uid);
        if (!rotated) {
            return Refusal{rotated.error(), {}};
        }
        log::info("open: app {} secret rotated by developer {}", app_id, caller.uid.value);
        return json::value(keys_json(*rotated));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::add_test_room(const Call& call) {
    const store::TestRoomChange change{
        .app_id = app_id_of(call), .room = RoomId{call.parameter(1)}, .actor = call.who().uid};
    auto work = [this, caller = call.who(), change]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, change.app_id);
        if (!app) {
            return app.error();
        }
        auto added = apps_.add_test_room(change);
        if (!added) {
            if (added.error() == Errc::whitelist_full) {
                return Refusal{added.error(), fmt::format("at most {} test rooms", store::kTestRoomsMax)};
            }
            return Refusal{added.error(), {}};
        }
        return app_answer(apps_, *app);
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::remove_test_room(const Call& call) {
    const store::TestRoomChange change{
        .app_id = app_id_of(call), .room = RoomId{call.parameter(1)}, .actor = call.who().uid};
    auto work = [this, caller = call.who(), change]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, change.app_id);
        if (!app) {
            return app.error();
        }
        if (auto removed = apps_.remove_test_room(change); !removed) {
            return Refusal{removed.error(), {}};
        }
        return app_answer(apps_, *app);
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

namespace {

// The debug tool's made-up viewer: a uid far above any real one (so its open_id is no real
// user's), the same for the same name, marked as the debug tool's.
message::Sender debug_viewer(const std::string& name) {
    constexpr std::uint64_t kDebugUidBase = 9'000'000'000'000'000'000ULL;
    return message::Sender{.uid = UserId{kDebugUidBase + std::hash<std::string>{}(name) % 1'000'000'000ULL},
                           .name = name,
                           .face = "",
                           .role = message::Role::viewer,
                           .guard_level = 0,
                           .debug = true};
}

message::Body debug_body(const DebugEventRequest& event, std::int64_t app_id, Millis now_ms) {
    if (event.kind == "danmaku") {
        return message::Danmaku{.text = event.text};
    }
    if (event.kind == "gift") {
        return message::Gift{.gift_id = event.gift_id,
                             .gift_name = event.gift_name,
                             .count = event.count,
                             .price = event.price,
                             .total = event.price * event.count,  // ≤ 10^6 × 9999: no overflow
                             .app_id = event.interactive ? static_cast<std::uint64_t>(app_id) : 0};
    }
    if (event.kind == "like") {
        // One user's 2 s sum, as games receive likes; the room's real total is not touched.
        return message::LikeBurst{.count = event.count};
    }
    if (event.kind == "super_chat") {
        return message::SuperChat{.id = 0,
                                  .text = event.text,
                                  .price = event.price_yuan * 1000,
                                  .price_yuan = event.price_yuan,
                                  .start_ms = now_ms,
                                  .end_ms = now_ms + 60'000};
    }
    return message::GuardBuy{.level = event.level, .months = event.months, .price = 0, .start_ms = now_ms};
}

}  // namespace

asio::awaitable<net::HttpResponse> DeveloperApi::debug_event(const Call& call) {
    auto event = parse_debug_event(call.request.body);
    if (!event) {
        co_return fail(event.error());
    }
    const RoomId room{call.parameter(1)};
    auto snapshot = co_await hub_.snapshot(room);
    if (!snapshot) {
        co_return fail(snapshot.error());
    }
    auto check = [this, caller = call.who(), app_id = app_id_of(call), room,
                  host = snapshot->config.host]() -> Parsed<std::int64_t> {
        auto app = own_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        if (!apps_.is_test_room(*app, room, host)) {
            return refusal(Errc::forbidden,
                           "the debug tool works in the app's test rooms only: its developer's own "
                           "rooms and its whitelist");
        }
        if (!debug_events_.allow(caller.uid.value)) {
            return refusal(Errc::rate_limited, "at most 50 debug events at once, then ten a second");
        }
        return app->app_id;
    };
    auto checking = net::run_on(store_, std::move(check));
    auto checked = co_await std::move(checking);
    if (!checked) {
        co_return fail(checked.error());
    }
    auto make = [event = std::move(*event), app_id = *checked, now_ms = clock_.wall_ms()](
                    room::Room&, std::size_t) -> Result<gateway::Hub::MadeEvent> {
        return gateway::Hub::MadeEvent{debug_viewer(event.uname), debug_body(event, app_id, now_ms)};
    };
    auto publishing = hub_.publish_made(room, std::move(make));
    auto published = co_await std::move(publishing);
    if (!published) {
        co_return fail(published.error());
    }
    co_return ok(json::object{{"seq", (*published)->sequence}, {"test", true}});
}

asio::awaitable<net::HttpResponse> DeveloperApi::app_audit(const Call& call) {
    auto query = parse_audit_query(call.query("before"), call.query("limit"));
    if (!query) {
        co_return fail(query.error());
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), page = *query]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto rows = audit_.page(app_id, page.before, page.limit);
        if (!rows) {
            return Refusal{rows.error(), {}};
        }
        return json::value(audit_page_json(*rows, page.limit));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::review_queue(const Call&) {
    auto work = [this]() -> Answer {
        // One more than the page: whether more wait behind it.
        auto queued = apps_.review_queue(kReviewQueueMax + 1);
        if (!queued) {
            return Refusal{queued.error(), {}};
        }
        const bool more = queued->size() > kReviewQueueMax;
        queued->resize(std::min(queued->size(), kReviewQueueMax));
        auto apps = apps_answer(apps_, queued);
        if (!apps) {
            return apps.error();
        }
        return json::value(json::object{{"apps", std::move(*apps)}, {"more", more}});
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::review(const Call& call) {
    auto request = parse_review_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    const store::AppReview decision{
        .app_id = app_id_of(call), .actor = call.who().uid, .approve = request->approve, .reason = request->reason};
    auto work = [this, decision]() -> Answer {
        auto app = decision.app_id != 0 ? apps_.find(decision.app_id) : std::nullopt;
        if (!app) {
            return refusal(Errc::unknown_app);
        }
        auto reviewed = apps_.review(decision);
        if (!reviewed) {
            return step_refusal("app", reviewed.error(),
                                decision.approve ? store::AppStep::approve : store::AppStep::reject, app->status);
        }
        if (app_changed_) {
            app_changed_();
        }
        log::info("open: app {} {} by uid {}: {}", decision.app_id, decision.approve ? "approved" : "rejected",
                  decision.actor.value, decision.reason);
        return app_answer(apps_, *reviewed);
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::set_developer(const Call& call, bool developer) {
    auto reason = parse_developer_reason(call.request.body);
    if (!reason) {
        co_return fail(reason.error());
    }
    if (call.parameter(0) > identity::kUidMax) {
        co_return fail(make_error_code(Errc::not_found), "a uid is at most 2^63 - 1");
    }
    const store::DeveloperChange change{.uid = UserId{call.parameter(0)}, .actor = call.who().uid, .reason = *reason};
    auto work = [this, change, developer]() -> Answer {
        auto changed = developer ? developers_.grant(change) : developers_.revoke(change);
        if (!changed) {
            return Refusal{changed.error(), {}};
        }
        if (*changed) {
            log::info("open: uid {} {} by uid {}", change.uid.value,
                      developer ? "made a developer" : "no longer a developer", change.actor.value);
        }
        return json::value(json::object{{"uid", change.uid.value}, {"developer", developer}, {"changed", *changed}});
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> DeveloperApi::audit(const Call& call) {
    auto query = parse_audit_query(call.query("before"), call.query("limit"));
    if (!query) {
        co_return fail(query.error());
    }
    auto work = [this, page = *query]() -> Answer {
        auto rows = audit_.page(0, page.before, page.limit);
        if (!rows) {
            return Refusal{rows.error(), {}};
        }
        return json::value(audit_page_json(*rows, page.limit));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

}  // namespace barrage::http
