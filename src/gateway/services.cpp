#include "gateway/services.h"

#include <optional>

#include <boost/json.hpp>

#include "identity/token.h"
#include "message/send_body.h"
#include "net/http_error.h"

namespace barrage::gateway {

namespace json = boost::json;

Result<message::Sender> sender_from_token(const Services& services, std::string_view token) {
    if (token.empty()) {
        return make_error_code(Errc::unauthenticated);
    }
    auto claims = identity::verify_token(token, services.token_secret, services.clock);
    if (!claims) {
        return claims.error();
    }
    return message::Sender{claims->uid, claims->name, claims->face, claims->role};
}

boost::asio::awaitable<Result<message::MessagePtr>> send_to_room(const Services& services, RoomId room,
                                                                 const message::Sender& sender, std::string_view body) {
    if (sender.role == message::Role::anonymous || sender.uid.value == 0) {
        co_return make_error_code(Errc::anonymous_read_only);
    }
    auto send = message::parse_send_body(body, services.danmaku, services.custom);
    if (!send) {
        co_return send.error();
    }
    // The danmaku is kept for the paid path: a room that charges answers payment_required.
    std::optional<message::Danmaku> danmaku;
    if (services.paid != nullptr && !send->request_id.empty() && std::holds_alternative<message::Danmaku>(send->body)) {
        danmaku = std::get<message::Danmaku>(send->body);
    }
    // Made in its own statement: see Hub::join on GCC 12 and co_await temporaries.
    auto pending = services.hub.publish(room, sender, std::move(send->body));
    auto published = co_await std::move(pending);
    if (published || published.error() != Errc::payment_required || !danmaku) {
        co_return published;
    }
    auto paying = services.paid->send_paid(room, sender, *danmaku, send->request_id);
    co_return co_await std::move(paying);
}

std::string send_result_json(const Result<message::MessagePtr>& result) {
    if (!result) {
        return net::error_body(result.error());
    }
    json::object out;
    out["code"] = 0;
    out["message"] = "ok";
    out["data"] = json::object{{"seq", (*result)->sequence}};
    return json::serialize(out);
}

}  // namespace barrage::gateway
