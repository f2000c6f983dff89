#include "gateway/services.h"

#include <ctime>
#include <optional>

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

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
    return message::Sender{.uid = claims->uid,
                           .name = claims->name,
                           .face = claims->face,
                           .role = claims->role,
                           .level = claims->level,
                           .scope = claims->room};
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

namespace {

Sent refused(std::error_code code) {
    return Sent{.message = nullptr, .like = {}, .refusal = {code}};
}

}  // namespace

boost::asio::awaitable<Sent> send_to_room(const Services& services, RoomId room, const message::Sender& sender,
                                          std::string_view body) {
    if (is_anonymous(sender)) {
        co_return refused(make_error_code(Errc::anonymous_read_only));
    }
    auto send = message::parse_send_body(body, services.danmaku, services.custom);
    if (!send) {
        co_return refused(send.error());
    }
    if (send->like_taps > 0) {
        auto liking = services.hub.like(room, sender, send->like_taps);
        auto liked = co_await std::move(liking);
        if (!liked) {
            co_return refused(liked.error());
        }
        co_return Sent{nullptr, *liked};
    }
    // Made in its own statement: see Hub::join on GCC 12 and co_await temporaries.
    auto pending = services.hub.publish(room, sender, std::move(send->body));
    auto published = co_await std::move(pending);
    if (published) {
        co_return Sent{std::move(published.message)};
    }
    // A room that charges for danmaku: paid with the request id, as screened by moderation.
    if (published.refusal.code == Errc::payment_required && services.paid != nullptr && !send->request_id.empty() &&
        published.to_pay) {
        auto paying = services.paid->send_paid(room, sender, *published.to_pay, send->request_id);
        auto paid = co_await std::move(paying);
        if (!paid) {
            co_return refused(paid.error());
        }
        co_return Sent{std::move(*paid)};
    }
    co_return Sent{.message = nullptr, .like = {}, .refusal = std::move(published.refusal)};
}

std::string like_result_json(const room::LikeReceipt& receipt) {
    return json::serialize(json::object{
        {"code", 0},
        {"message", "ok"},
        {"data",
         json::object{{"accepted", receipt.accepted}, {"capped", receipt.capped}, {"click_count", receipt.total}}}});
}

std::string refusal_json(const moderation::Refusal& refusal) {
    if (refusal.until_ms == 0 && refusal.reason.empty()) {
        return net::error_body(refusal.code);
    }
    std::string detail;
    if (refusal.until_ms != 0) {
        const auto seconds = static_cast<std::time_t>(refusal.until_ms / 1000);
        detail = fmt::format("until {:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(seconds));
    }
    if (!refusal.reason.empty()) {
        detail += detail.empty() ? "" : " ";
        detail += fmt::format("({})", refusal.reason);
    }
    auto body = json::parse(net::error_body(refusal.code, detail)).as_object();
    body["data"] = json::object{{"until_ms", refusal.until_ms}, {"reason", refusal.reason}};
    return json::serialize(body);
}

std::string send_result_json(const Sent& result) {
    if (!result) {
        return refusal_json(result.refusal);
    }
    if (result.message == nullptr) {
        return like_result_json(result.like);
    }
    return json::serialize(
        json::object{{"code", 0}, {"message", "ok"}, {"data", json::object{{"seq", result.message->sequence}}}});
}

}  // namespace barrage::gateway
