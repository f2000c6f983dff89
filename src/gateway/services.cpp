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

namespace {

bool is_anonymous(const message::Sender& sender) {
    return sender.role == message::Role::anonymous || sender.uid.value == 0;
}

}  // namespace

boost::asio::awaitable<Result<room::LikeReceipt>> like_room(const Services& services, RoomId room,
                                                            const message::Sender& sender, std::uint32_t taps) {
    if (is_anonymous(sender)) {
        co_return make_error_code(Errc::anonymous_read_only);
    }
    auto pending = services.hub.like(room, sender, taps);
    co_return co_await std::move(pending);
}

boost::asio::awaitable<Result<Sent>> send_to_room(const Services& services, RoomId room, const message::Sender& sender,
                                                  std::string_view body) {
    if (is_anonymous(sender)) {
        co_return make_error_code(Errc::anonymous_read_only);
    }
    auto send = message::parse_send_body(body, services.danmaku, services.custom);
    if (!send) {
        co_return send.error();
    }
    if (send->like_taps > 0) {
        auto liking = services.hub.like(room, sender, send->like_taps);
        auto liked = co_await std::move(liking);
        if (!liked) {
            co_return liked.error();
        }
        co_return Sent{nullptr, *liked};
    }
    // The danmaku is kept for the paid path: a room that charges answers payment_required.
    std::optional<message::Danmaku> danmaku;
    if (services.paid != nullptr && !send->request_id.empty() && std::holds_alternative<message::Danmaku>(send->body)) {
        danmaku = std::get<message::Danmaku>(send->body);
    }
    // Made in its own statement: see Hub::join on GCC 12 and co_await temporaries.
    auto pending = services.hub.publish(room, sender, std::move(send->body));
    auto published = co_await std::move(pending);
    if (!published && published.error() == Errc::payment_required && danmaku) {
        auto paying = services.paid->send_paid(room, sender, *danmaku, send->request_id);
        published = co_await std::move(paying);
    }
    if (!published) {
        co_return published.error();
    }
    co_return Sent{std::move(*published)};
}

std::string like_result_json(const room::LikeReceipt& receipt) {
    return json::serialize(json::object{
        {"code", 0},
        {"message", "ok"},
        {"data",
         json::object{{"accepted", receipt.accepted}, {"capped", receipt.capped}, {"click_count", receipt.total}}}});
}

std::string send_result_json(const Result<Sent>& result) {
    if (!result) {
        return net::error_body(result.error());
    }
    if (result->message == nullptr) {
        return like_result_json(result->like);
    }
    return json::serialize(
        json::object{{"code", 0}, {"message", "ok"}, {"data", json::object{{"seq", result->message->sequence}}}});
}

}  // namespace barrage::gateway
