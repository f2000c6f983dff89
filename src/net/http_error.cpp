#include "net/http_error.h"

#include <boost/json.hpp>

#include "base/errc.h"

namespace barrage::net {

unsigned http_status_for(std::error_code error) {
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
        case Errc::anonymous_read_only:
        case Errc::not_developer:
        case Errc::muted:
        case Errc::banned:
        case Errc::kicked:
        case Errc::room_silenced:
        case Errc::followers_only:
        case Errc::guards_only:
        case Errc::level_too_low:
        case Errc::blocked_word:
        case Errc::hook_rejected:
        case Errc::cannot_moderate: return 403;
        case Errc::unknown_room:
        case Errc::not_found:
        case Errc::unknown_gift:
        case Errc::unknown_order:
        case Errc::unknown_super_chat:
        case Errc::unknown_app:
        case Errc::unknown_asset:
        case Errc::unknown_message: return 404;
        case Errc::method_not_allowed: return 405;
        case Errc::room_exists:
        case Errc::request_conflict:
        case Errc::payment_replayed:
        case Errc::not_refundable:
        case Errc::apps_limit:
        case Errc::wrong_app_status:
        case Errc::whitelist_full:
        case Errc::assets_limit:
        case Errc::gifts_limit: return 409;
        case Errc::body_too_large:
        case Errc::asset_too_large: return 413;
        case Errc::bad_asset_type: return 415;
        case Errc::bad_asset_header:
        case Errc::asset_too_wide: return 422;
        case Errc::uri_too_long: return 414;
        case Errc::rate_limited:
        case Errc::slow_mode:
        case Errc::duplicate_flood:
        case Errc::too_many_connections: return 429;
        case Errc::headers_too_large: return 431;
        case Errc::ledger_unavailable:
        case Errc::shutting_down: return 503;
        case Errc::internal: return 500;
        default: return 400;
    }
}

std::string error_body(std::error_code error, std::string_view detail) {
    boost::json::object out;
    out["code"] = error.category() == barrage_category() ? error.value() : static_cast<int>(Errc::internal);
    std::string message = error.message();
    if (!detail.empty()) {
        message += ": ";
        message += detail;
    }
    out["message"] = message;
    return boost::json::serialize(out);
}

HttpResponse error_response(std::error_code error, std::string_view detail) {
    return HttpResponse{.status = http_status_for(error), .body = error_body(error, detail)};
}

}  // namespace barrage::net
