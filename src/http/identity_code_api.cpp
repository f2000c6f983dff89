#include "http/identity_code_api.h"

#include <boost/json.hpp>

#include "http/responses.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

IdentityCodeApi::IdentityCodeApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock,
                                 gateway::Hub& hub)
    : apps_(database, clock),
      refreshes_({.per_second = 1.0 / 60, .burst = 5, .keys_max = 100'000}, clock),
      store_(std::move(store_executor)),
      hub_(hub) {}

std::vector<Route> IdentityCodeApi::routes() {
    return {
        {"GET", "/api/v1/rooms/{room}/open/code", Access::user, [this](const Call& call) { return code(call, false); }},
        {"POST", "/api/v1/rooms/{room}/open/code/refresh", Access::user,
         [this](const Call& call) { return code(call, true); }},
    };
}

asio::awaitable<net::HttpResponse> IdentityCodeApi::code(const Call& call, bool refresh) {
    const RoomId room{call.parameter(0)};
    auto snapshot = co_await hub_.snapshot(room);
    if (!snapshot) {
        co_return fail(snapshot.error());
    }
    const UserId caller = call.who().uid;
    if (snapshot->config.host.value == 0 || caller != snapshot->config.host) {
        co_return fail(make_error_code(Errc::forbidden), "only the room's host sees its identity code");
    }
    auto work = [this, room, caller, refresh]() -> Parsed<json::value> {
        if (refresh && !refreshes_.allow(caller.value)) {
            return Refusal{make_error_code(Errc::rate_limited),
                           "a code is refreshed at most 5 times at once, then once a minute"};
        }
        auto made = apps_.identity_code(room, refresh, caller);
        if (!made) {
            return Refusal{made.error(), {}};
        }
        return json::value(json::object{{"room_id", room.value}, {"code", made->code}});
    };
    auto pending = net::run_on(store_, std::move(work));
    auto answered = co_await std::move(pending);
    if (!answered) {
        co_return fail(answered.error());
    }
    co_return ok(std::move(*answered));
}

}  // namespace barrage::http
