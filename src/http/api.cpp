#include "http/api.h"

#include "http/responses.h"

#include <charconv>
#include <string_view>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "message/dialect.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object room_json(const gateway::RoomSnapshot& room) {
    json::array managers;
    for (auto uid : room.config.managers) {
        managers.push_back(uid.value);
    }
    return {{"id", room.config.id.value},      {"title", room.config.title},
            {"host", room.config.host.value},  {"managers", std::move(managers)},
            {"online", room.online},           {"watched", room.watched},
            {"last_seq", room.last_sequence}};
}

// A room to create, from {"id":N,"title":"...","host":uid,"managers":[uid,...]}.
Result<room::RoomConfig> parse_room(std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        return make_error_code(Errc::bad_request);
    }
    const auto& object = parsed.as_object();
    room::RoomConfig config;
    const auto* id = object.if_contains("id");
    if (id == nullptr || !id->is_number() || !id->to_number<std::uint64_t>(ec) || ec) {
        return make_error_code(Errc::bad_request);
    }
    config.id = RoomId{id->to_number<std::uint64_t>(ec)};
    if (const auto* title = object.if_contains("title"); title != nullptr) {
        if (!title->is_string()) {
            return make_error_code(Errc::bad_request);
        }
        config.title = std::string(title->as_string());
    }
    if (const auto* host = object.if_contains("host"); host != nullptr) {
        config.host = UserId{host->to_number<std::uint64_t>(ec)};
        if (ec) {
            return make_error_code(Errc::bad_request);
        }
    }
    if (const auto* managers = object.if_contains("managers"); managers != nullptr) {
        if (!managers->is_array()) {
            return make_error_code(Errc::bad_request);
        }
        for (const auto& manager : managers->as_array()) {
            config.managers.push_back(UserId{manager.to_number<std::uint64_t>(ec)});
            if (ec) {
                return make_error_code(Errc::bad_request);
            }
        }
    }
    return config;
}

}  // namespace

Api::Api(gateway::Services& services, gateway::SessionRegistry& sessions, store::Directory& directory,
         asio::any_io_executor store_executor, EconomyApi* economy)
    : services_(services),
      sessions_(sessions),
      directory_(directory),
      store_executor_(std::move(store_executor)),
      economy_(economy) {}

asio::awaitable<net::HttpResponse> Api::handle(net::HttpRequest request) {
    auto url = boost::urls::parse_origin_form(request.target);
    if (!url) {
        co_return fail(make_error_code(Errc::bad_request));
    }
    std::vector<std::string> segments(url->segments().begin(), url->segments().end());
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (segments.size() == 1 && segments[0] == "healthz") {
        co_return net::HttpResponse{200, "application/json", R"({"status":"ok"})"};
    }
    if (segments.size() == 1 && segments[0] == "metrics") {
        co_return metrics();
    }
    if (segments.size() < 3 || segments[0] != "api" || segments[1] != "v1") {
        co_return fail(make_error_code(Errc::not_found));
    }
    if (economy_ != nullptr) {
        std::vector<std::string> rest(segments.begin() + 2, segments.end());
        auto answering = economy_->handle(request, rest);
        auto answer = co_await std::move(answering);
        if (answer) {
            co_return std::move(*answer);
        }
    }
    if (segments[2] != "rooms") {
        co_return fail(make_error_code(Errc::not_found));
    }
    if (segments.size() == 3) {
        // No co_await inside ?: — GCC 12 destroys such temporaries twice.
        if (post) {
            co_return co_await create_room(request);
        }
        if (get) {
            co_return co_await list_rooms();
        }
        co_return fail(make_error_code(Errc::method_not_allowed));
    }
    auto id = parse_number(segments[3]);
    if (!id || *id == 0) {
        co_return fail(make_error_code(Errc::unknown_room));
    }
    RoomId room{*id};
    if (segments.size() == 4) {
        if (!get) {
            co_return fail(make_error_code(Errc::method_not_allowed));
        }
        co_return co_await room_info(room);
    }
    if (segments.size() == 5 && (segments[4] == "danmaku" || segments[4] == "messages")) {
        if (!post) {
            co_return fail(make_error_code(Errc::method_not_allowed));
        }
        co_return co_await send(room, request);
    }
    if (segments.size() == 5 && segments[4] == "history") {
        if (!get) {
            co_return fail(make_error_code(Errc::method_not_allowed));
        }
        std::uint64_t after = 0;
        std::size_t limit = services_.history_page_max;
        auto params = url->params();
        if (auto found = params.find("after"); found != params.end()) {
            auto value = parse_number((*found).value);
            if (!value) {
                co_return fail(make_error_code(Errc::bad_request));
            }
            after = *value;
        }
        if (auto found = params.find("limit"); found != params.end()) {
            auto value = parse_number((*found).value);
            if (!value || *value == 0) {
                co_return fail(make_error_code(Errc::bad_request));
            }
            limit = std::min<std::size_t>(limit, *value);
        }
        co_return co_await history(room, after, limit);
    }
    co_return fail(make_error_code(Errc::not_found));
}

asio::awaitable<net::HttpResponse> Api::create_room(const net::HttpRequest& request) {
    auto sender = gateway::sender_from_token(services_, bearer_token(request.authorization));
    if (!sender) {
        co_return fail(sender.error());
    }
    if (sender->role < message::Role::admin) {
        co_return fail(make_error_code(Errc::forbidden));
    }
    auto config = parse_room(request.body);
    if (!config) {
        co_return fail(config.error());
    }
    store::RoomRecord record{config->id, config->title, config->host, config->managers};
    Millis now = services_.clock.wall_ms();
    auto insert = [this, record, now] { return directory_.insert_room(record, now); };
    auto pending_insert = net::run_on(store_executor_, std::move(insert));
    auto stored = co_await std::move(pending_insert);
    if (!stored) {
        co_return fail(stored.error());
    }
    auto pending_create = services_.hub.create_room(*config);
    if (auto created = co_await std::move(pending_create); !created) {
        co_return fail(created.error());
    }
    auto snapshot = co_await services_.hub.snapshot(config->id);
    if (!snapshot) {
        co_return fail(snapshot.error());
    }
    co_return ok(room_json(*snapshot));
}

asio::awaitable<net::HttpResponse> Api::room_info(RoomId room) {
    auto snapshot = co_await services_.hub.snapshot(room);
    if (!snapshot) {
        co_return fail(snapshot.error());
    }
    co_return ok(room_json(*snapshot));
}

asio::awaitable<net::HttpResponse> Api::list_rooms() {
    auto rooms = co_await services_.hub.list_rooms();
    json::array out;
    for (const auto& room : rooms) {
        out.push_back(room_json(room));
    }
    co_return ok(std::move(out));
}

asio::awaitable<net::HttpResponse> Api::send(RoomId room, const net::HttpRequest& request) {
    auto sender = gateway::sender_from_token(services_, bearer_token(request.authorization));
    if (!sender) {
        co_return fail(sender.error());
    }
    auto pending = gateway::send_to_room(services_, room, std::move(*sender), request.body);
    auto result = co_await std::move(pending);
    if (!result) {
        co_return fail(result.error());
    }
    co_return net::HttpResponse{200, "application/json", gateway::send_result_json(result)};
}

asio::awaitable<net::HttpResponse> Api::history(RoomId room, std::uint64_t after, std::size_t limit) {
    auto page = co_await services_.hub.history(room, after, limit);
    if (!page) {
        co_return fail(page.error());
    }
    // Messages are spelled in the native dialect, the same JSON a native connection receives.
    json::array messages;
    std::vector<std::string> bodies;
    for (const auto& message : page->messages) {
        bodies.clear();
        message::encode_message(message::Dialect::native, *message, bodies);
        for (const auto& body : bodies) {
            messages.push_back(json::parse(body));
        }
    }
    co_return ok(json::object{{"messages", std::move(messages)},
                              {"gap", page->gap},
                              {"first_available", page->first_available},
                              {"last_seq", page->last_sequence}});
}

net::HttpResponse Api::metrics() const {
    auto text = gateway::render_metrics(services_.hub.all_counters(), services_.hub.room_count());
    text += "# HELP barrage_sessions_live Long connections not yet torn down.\n"
            "# TYPE barrage_sessions_live gauge\nbarrage_sessions_live " +
            std::to_string(sessions_.live()) + "\n";
    return {200, "text/plain; version=0.0.4", std::move(text)};
}

}  // namespace barrage::http
