#include "gateway/services.h"

#include <optional>

#include <boost/json.hpp>

#include "identity/token.h"
#include "net/http_error.h"

namespace barrage::gateway {

namespace json = boost::json;

namespace {

// A custom message names its type; anything else is a danmaku.
bool is_custom_body(std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        return false;
    }
    const auto* type = parsed.as_object().if_contains("type");
    return type != nullptr && type->is_string() && type->as_string() != "danmaku";
}

// The client-chosen "request_id" of a send body, or "" (paid danmaku need one).
std::string request_id_of(std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        return {};
    }
    const auto* id = parsed.as_object().if_contains("request_id");
    return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

}  // namespace

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
                                                                 const message::Sender& sender,
                                                                 std::string_view body) {
    if (sender.role == message::Role::anonymous || sender.uid.value == 0) {
        co_return make_error_code(Errc::anonymous_read_only);
    }
    message::Body parsed;
    if (is_custom_body(body)) {
        auto custom = services.custom.parse(body);
        if (!custom) {
            co_return custom.error();
        }
        parsed = std::move(*custom);
    } else {
        auto danmaku = message::parse_danmaku(body, services.danmaku);
        if (!danmaku) {
            co_return danmaku.error();
        }
        parsed = std::move(*danmaku);
    }
    // The danmaku is kept for the paid path: a room that charges answers payment_required.
    std::optional<message::Danmaku> danmaku;
    if (services.paid != nullptr && std::holds_alternative<message::Danmaku>(parsed)) {
        danmaku = std::get<message::Danmaku>(parsed);
    }
    // Made in its own statement: see Hub::join on GCC 12 and co_await temporaries.
    auto pending = services.hub.publish(room, sender, std::move(parsed));
    auto published = co_await std::move(pending);
    if (published || published.error() != Errc::payment_required || !danmaku) {
        co_return published;
    }
    auto request_id = request_id_of(body);
    if (request_id.empty()) {
        co_return published;
    }
    auto paying = services.paid->send_paid(room, sender, *danmaku, request_id);
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
