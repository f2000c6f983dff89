#include "http/api.h"

#include <algorithm>
#include <string_view>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "http/requests.h"
#include "http/responses.h"

#include "message/dialect.h"
#include "message/send_body.h"
#include "net/http_error.h"
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
    return {{"id", room.config.id.value},         {"title", room.config.title}, {"host", room.config.host.value},
            {"managers", std::move(managers)},    {"live", room.config.live},   {"area_id", room.config.area_id},
            {"area_name", room.config.area_name}, {"online", room.online},      {"watched", room.watched},
            {"last_seq", room.last_sequence},     {"like_count", room.likes}};
}

}  // namespace

Api::Api(gateway::Services& services, gateway::SessionRegistry& sessions, store::Directory& directory,
         asio::any_io_executor store_executor, const security::ConnectionCaps* caps)
    : services_(services),
      sessions_(sessions),
      directory_(directory),
      store_executor_(std::move(store_executor)),
      caps_(caps) {}

std::vector<Route> Api::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"GET", "/healthz", Access::anyone,
         [](const Call&) -> asio::awaitable<net::HttpResponse> {
             co_return net::HttpResponse{200, "application/json", R"({"status":"ok"})"};
         }},
        {"GET", "/metrics", Access::anyone,
         [this](const Call&) -> asio::awaitable<net::HttpResponse> { co_return metrics(); }},
        {"GET", "/api/v1/rooms", Access::anyone, bind(&Api::list_rooms)},
        {"POST", "/api/v1/rooms", Access::admin, bind(&Api::create_room)},
        {"GET", "/api/v1/rooms/{room}", Access::anyone, bind(&Api::room_info)},
        {"PUT", "/api/v1/rooms/{room}/live", Access::user, bind(&Api::set_live)},
        {"POST", "/api/v1/rooms/{room}/danmaku", Access::user, bind(&Api::send)},
        {"POST", "/api/v1/rooms/{room}/likes", Access::user, bind(&Api::like)},
        {"POST", "/api/v1/rooms/{room}/messages", Access::user, bind(&Api::send)},
        {"GET", "/api/v1/rooms/{room}/history", Access::anyone, bind(&Api::history)},
    };
}

asio::awaitable<net::HttpResponse> Api::create_room(const Call& call) {
    auto config = parse_room_request(call.request.body);
    if (!config) {
        co_return fail(config.error());
    }
    store::RoomRecord record{config->id, config->title, config->host, config->managers};
    Millis now = services_.clock.wall_ms();
    // Stored, then the host's name looked up: gift events name their streamer with it.
    auto insert = [this, record, now]() -> Result<std::string> {
        if (auto inserted = directory_.insert_room(record, now); !inserted) {
            return inserted.error();
        }
        auto host = record.host.value != 0 ? directory_.find_user(record.host) : std::nullopt;
        return host ? host->name : std::string();
    };
    auto pending_insert = net::run_on(store_executor_, std::move(insert));
    auto stored = co_await std::move(pending_insert);
    if (!stored) {
        co_return fail(stored.error());
    }
    config->host_name = std::move(*stored);
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

asio::awaitable<net::HttpResponse> Api::room_info(const Call& call) {
    auto snapshot = co_await services_.hub.snapshot(RoomId{call.parameter(0)});
    if (!snapshot) {
        co_return fail(snapshot.error());
    }
    co_return ok(room_json(*snapshot));
}

// The host goes live or stops (开播/下播), optionally with a new title and area: stored, then
// published as the room's LiveStatus event (LIVE/PREPARING + ROOM_CHANGE on the web dialect,
// LIVE_OPEN_PLATFORM_LIVE_START/END to games). Only the room's host, or an admin.
asio::awaitable<net::HttpResponse> Api::set_live(const Call& call) {
    const RoomId room{call.parameter(0)};
    auto request = parse_live_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    auto snapshot = co_await services_.hub.snapshot(room);
    if (!snapshot) {
        co_return fail(snapshot.error());
    }
    const auto& who = call.who();
    if (who.uid != snapshot->config.host && who.role != message::Role::admin) {
        co_return fail(make_error_code(Errc::forbidden), "only the room's host goes live");
    }
    message::LiveStatus status{.live = request->live,
                               .title = request->title.value_or(snapshot->config.title),
                               .area_id = request->area_id.value_or(snapshot->config.area_id),
                               .area_name = request->area_name.value_or(snapshot->config.area_name)};
    auto store = [this, room, status]() -> Status {
        return directory_.set_live(room, status.live, status.title, status.area_id, status.area_name);
    };
    auto pending_store = net::run_on(store_executor_, std::move(store));
    if (auto stored = co_await std::move(pending_store); !stored) {
        co_return fail(stored.error());
    }
    // The event names the host as its sender, whoever (an admin) flipped it.
    message::Sender host{
        .uid = snapshot->config.host, .name = snapshot->config.host_name, .face = "", .role = message::Role::host};
    auto make = [host, status](room::Room& r, std::size_t) -> Result<gateway::Hub::MadeEvent> {
        r.set_live(status.live, status.title, status.area_id, status.area_name);
        return gateway::Hub::MadeEvent{host, status};
    };
    auto pending_publish = services_.hub.publish_made(room, std::move(make));
    auto published = co_await std::move(pending_publish);
    if (!published) {
        co_return fail(published.error());
    }
    co_return ok(json::object{{"live", status.live},
                              {"title", status.title},
                              {"area_id", status.area_id},
                              {"area_name", status.area_name},
                              {"seq", (*published)->sequence}});
}

asio::awaitable<net::HttpResponse> Api::list_rooms(const Call&) {
    auto rooms = co_await services_.hub.list_rooms();
    json::array out;
    for (const auto& room : rooms) {
        out.push_back(room_json(room));
    }
    co_return ok(std::move(out));
}

asio::awaitable<net::HttpResponse> Api::send(const Call& call) {
    auto pending = gateway::send_to_room(services_, RoomId{call.parameter(0)}, call.who(), call.request.body);
    auto result = co_await std::move(pending);
    const unsigned status = result ? 200 : net::http_status_for(result.refusal.code);
    co_return net::HttpResponse{status, "application/json", gateway::send_result_json(result)};
}

// A batch of like taps, {"count":N}: counted at once, announced with the room's next window.
asio::awaitable<net::HttpResponse> Api::like(const Call& call) {
    auto object = message::parse_send_object(call.request.body);
    if (!object) {
        co_return fail(object.error());
    }
    auto taps = message::like_count_from(*object);
    if (!taps) {
        co_return fail(taps.error(), "count must be an integer from 1 to 1000");
    }
    auto pending = gateway::like_room(services_, RoomId{call.parameter(0)}, call.who(), *taps);
    auto liked = co_await std::move(pending);
    if (!liked) {
        co_return fail(liked.error());
    }
    co_return net::HttpResponse{200, "application/json", gateway::like_result_json(*liked)};
}

asio::awaitable<net::HttpResponse> Api::history(const Call& call) {
    std::uint64_t after = 0;
    std::size_t limit = services_.history_page_max;
    if (auto text = call.query("after")) {
        auto value = parse_number(*text);
        if (!value) {
            co_return fail(make_error_code(Errc::bad_request), "after must be a sequence number");
        }
        after = *value;
    }
    if (auto text = call.query("limit")) {
        auto value = parse_number(*text);
        if (!value || *value == 0) {
            co_return fail(make_error_code(Errc::bad_request), "limit must be a whole number above 0");
        }
        limit = std::min<std::size_t>(limit, *value);
    }
    auto page = co_await services_.hub.history(RoomId{call.parameter(0)}, after, limit);
    if (!page) {
        co_return fail(page.error());
    }
    // Messages are spelled in the native dialect, the same JSON a native connection receives,
    // and go into the answer as spelled (never parsed back).
    std::string data = "{\"messages\":[";
    std::vector<std::string> bodies;
    for (const auto& message : page->messages) {
        bodies.clear();
        message::encode_message(message::Dialect::native, *message, bodies);
        for (const auto& body : bodies) {
            data += data.back() == '[' ? "" : ",";
            data += body;
        }
    }
    data += fmt::format(R"(],"gap":{},"first_available":{},"last_seq":{}}})", page->gap, page->first_available,
                        page->last_sequence);
    co_return ok_spelled(std::move(data));
}

net::HttpResponse Api::metrics() const {
    auto text = gateway::render_metrics(services_.hub.all_counters(), services_.hub.room_count());
    gateway::append_metric(text, "barrage_sessions_live", "gauge", "Long connections not yet torn down.",
                           sessions_.live());
    if (caps_ != nullptr) {
        gateway::append_metric(text, "barrage_connections_refused_per_address_total", "counter",
                               "Connections closed at once: their address held security.connections_per_address.",
                               caps_->refused_per_address());
        gateway::append_metric(text, "barrage_connections_refused_descriptors_total", "counter",
                               "Connections closed at once: no file descriptor was left.",
                               caps_->refused_descriptors());
        gateway::append_metric(text, "barrage_sockets_open", "gauge", "Accepted sockets open now (HTTP and long).",
                               caps_->open());
        gateway::append_metric(text, "barrage_descriptor_pressure", "gauge",
                               "1 while open descriptors are within security.descriptor_headroom of the limit.",
                               caps_->under_pressure() ? 1 : 0);
    }
    for (const auto& append : more_metrics_) {
        append(text);
    }
    return {200, "text/plain; version=0.0.4", std::move(text)};
}

}  // namespace barrage::http
