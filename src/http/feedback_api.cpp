#include "http/feedback_api.h"

#include <boost/json.hpp>

#include "http/body.h"
#include "http/developer_access.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::size_t kFeedbackTextBytesMax = 1000;
constexpr std::size_t kFeedbackPageMax = 100;

json::object entry_json(const store::FeedbackEntry& entry) {
    return {{"id", entry.id},           {"app_id", entry.app_id},
            {"room", entry.room.value}, {"reporter", entry.reporter.value},
            {"text", entry.text},       {"created_ms", entry.created_ms},
            {"answer", entry.answer},   {"answered_ms", entry.answered_ms}};
}

Answer page_json(Result<std::vector<store::FeedbackEntry>> rows) {
    if (!rows) {
        return refusal(Errc::internal);
    }
    json::array list;
    for (const auto& row : *rows) {
        list.push_back(entry_json(row));
    }
    return json::value(json::object{{"feedback", std::move(list)}});
}

}  // namespace

FeedbackApi::FeedbackApi(store::Database& database, asio::any_io_executor store, const Clock& clock)
    : feedback_(database, clock),
      apps_(database, clock),
      developers_(database, clock),
      directory_(database),
      store_(std::move(store)),
      writes_({.per_second = 1.0 / 60, .burst = 5, .keys_max = 100'000}, clock) {}

std::vector<Route> FeedbackApi::routes() {
    return {
        {"POST", "/api/v1/open/apps/{app}/feedback", Access::user, [this](const Call& call) { return report(call); }},
        {"GET", "/api/v1/open/apps/{app}/feedback", Access::user, [this](const Call& call) { return of_app(call); }},
        {"POST", "/api/v1/open/apps/{app}/feedback/{id}/answer", Access::user,
         [this](const Call& call) { return answer(call); }},
        {"GET", "/api/v1/open/feedback", Access::user, [this](const Call& call) { return mine(call); }},
    };
}

asio::awaitable<net::HttpResponse> FeedbackApi::report(const Call& call) {
    Fields fields(call.request.body);
    const auto room = fields.integer("room", {.min = 1, .invalid = Errc::unknown_room});
    std::string text = fields.text("text", kFeedbackTextBytesMax);
    if (text.empty()) {
        fields.refuse(Errc::bad_request, "text must not be empty");
    }
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), room, text = std::move(text)]() -> Answer {
        if (app_id == 0 || !apps_.find(app_id)) {
            return refusal(Errc::unknown_app);
        }
        bool hosts = false;
        for (const auto& record : directory_.load_rooms()) {
            hosts = hosts || (record.id.value == static_cast<std::uint64_t>(room) && record.host == caller.uid);
        }
        if (!hosts) {
            return refusal(Errc::forbidden, "only the room's host reports a game's problem in it");
        }
        if (!writes_.allow(caller.uid.value)) {
            return refusal(Errc::rate_limited, "5 reports or answers at once, then one a minute");
        }
        store::FeedbackEntry entry{
            .app_id = app_id, .room = RoomId{static_cast<std::uint64_t>(room)}, .reporter = caller.uid, .text = text};
        auto id = feedback_.add(entry);
        if (!id) {
            return refusal(Errc::internal);
        }
        entry.id = *id;
        return json::value(entry_json(entry));
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> FeedbackApi::of_app(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        return page_json(feedback_.of_app(app->app_id, kFeedbackPageMax));
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> FeedbackApi::answer(const Call& call) {
    Fields fields(call.request.body);
    std::string text = fields.text("text", kFeedbackTextBytesMax);
    if (text.empty()) {
        fields.refuse(Errc::bad_request, "text must not be empty");
    }
    if (auto refused = fields.refusal()) {
        co_return fail(*refused);
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), id = row_id_of(call, 1),
                 text = std::move(text)]() -> Answer {
        auto app = own_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        if (!writes_.allow(caller.uid.value)) {
            return refusal(Errc::rate_limited, "5 reports or answers at once, then one a minute");
        }
        if (auto answered = feedback_.answer(id, app->app_id, text, caller.uid); !answered) {
            return answered.error() == make_error_code(Errc::not_found)
                       ? refusal(Errc::not_found, "no such report about this app")
                       : refusal(Errc::internal);
        }
        return json::value(json::object{{"id", id}, {"answer", text}});
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> FeedbackApi::mine(const Call& call) {
    auto work = [this, caller = call.who()]() -> Answer {
        return page_json(feedback_.of_reporter(caller.uid, kFeedbackPageMax));
    };
    co_return co_await answer_on(store_, std::move(work));
}

}  // namespace barrage::http
