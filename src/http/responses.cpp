#include "http/responses.h"

#include <charconv>

#include <boost/json.hpp>

#include "gateway/services.h"

namespace barrage::http {

namespace json = boost::json;

unsigned status_for(std::error_code error) {
    if (error.category() != barrage_category()) {
        return 500;
    }
    switch (static_cast<Errc>(error.value())) {
        case Errc::unauthenticated:
        case Errc::token_malformed:
        case Errc::token_bad_signature:
        case Errc::token_expired:
        case Errc::token_bad_claims:
        case Errc::bad_payment_signature: return 401;
        case Errc::insufficient_balance:
        case Errc::payment_required: return 402;
        case Errc::forbidden:
        case Errc::anonymous_read_only: return 403;
        case Errc::unknown_room:
        case Errc::not_found:
        case Errc::unknown_gift:
        case Errc::unknown_order:
        case Errc::unknown_super_chat: return 404;
        case Errc::method_not_allowed: return 405;
        case Errc::room_exists:
        case Errc::request_conflict:
        case Errc::payment_replayed: return 409;
        case Errc::body_too_large: return 413;
        case Errc::rate_limited: return 429;
        case Errc::ledger_unavailable:
        case Errc::shutting_down: return 503;
        case Errc::internal: return 500;
        default: return 400;
    }
}

net::HttpResponse fail(std::error_code error) {
    return {status_for(error), "application/json", gateway::error_json(error)};
}

net::HttpResponse ok(json::value data) {
    json::object out{{"code", 0}, {"message", "ok"}, {"data", std::move(data)}};
    return {200, "application/json", json::serialize(out)};
}

std::string_view bearer_token(std::string_view authorization) {
    constexpr std::string_view kPrefix = "Bearer ";
    if (authorization.size() > kPrefix.size() && authorization.substr(0, kPrefix.size()) == kPrefix) {
        return authorization.substr(kPrefix.size());
    }
    return {};
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace barrage::http
