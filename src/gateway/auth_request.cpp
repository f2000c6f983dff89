#include "gateway/auth_request.h"

#include <charconv>

#include <boost/json.hpp>

namespace barrage::gateway {

namespace json = boost::json;

namespace {

// A non-negative integer from a JSON number or a decimal string.
std::optional<std::uint64_t> as_unsigned(const json::value& value) {
    if (value.is_uint64()) {
        return value.as_uint64();
    }
    if (value.is_int64() && value.as_int64() >= 0) {
        return static_cast<std::uint64_t>(value.as_int64());
    }
    if (value.is_string()) {
        const auto& text = value.as_string();
        std::uint64_t out = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        if (ec == std::errc{} && end == text.data() + text.size() && !text.empty()) {
            return out;
        }
    }
    return std::nullopt;
}

}  // namespace

Result<AuthRequest> parse_auth_request(std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        return make_error_code(Errc::bad_request);
    }
    const auto& object = parsed.as_object();
    AuthRequest request;
    const auto* roomid = object.if_contains("roomid");
    auto room = roomid ? as_unsigned(*roomid) : std::nullopt;
    if (!room || *room == 0) {
        return make_error_code(Errc::bad_request);
    }
    request.room = RoomId{*room};
    if (const auto* key = object.if_contains("key"); key && !key->is_null()) {
        if (!key->is_string()) {
            return make_error_code(Errc::bad_request);
        }
        request.key = std::string(key->as_string());
    }
    if (const auto* protover = object.if_contains("protover"); protover && !protover->is_null()) {
        auto value = as_unsigned(*protover);
        if (!value || *value > 3) {
            return make_error_code(Errc::bad_request);
        }
        request.protover = static_cast<int>(*value);
    }
    if (const auto* dialect = object.if_contains("dialect"); dialect && !dialect->is_null()) {
        auto parsed_dialect =
            dialect->is_string() ? message::parse_dialect(std::string_view(dialect->as_string())) : std::nullopt;
        if (!parsed_dialect) {
            return make_error_code(Errc::bad_request);
        }
        request.dialect = *parsed_dialect;
    }
    if (const auto* group = object.if_contains("group"); group && !group->is_null()) {
        if (!group->is_string()) {
            return make_error_code(Errc::bad_request);
        }
        request.open_game = group->as_string() == "open";
    }
    if (request.open_game) {
        const auto* named = object.if_contains("dialect");
        if (named != nullptr && !named->is_null() && request.dialect != message::Dialect::open_platform) {
            return make_error_code(Errc::bad_request);
        }
        request.dialect = message::Dialect::open_platform;
    } else if (request.dialect == message::Dialect::open_platform) {
        return make_error_code(Errc::bad_request);
    }
    if (const auto* last = object.if_contains("last_seq"); last && !last->is_null()) {
        auto value = as_unsigned(*last);
        if (!value) {
            return make_error_code(Errc::bad_request);
        }
        request.last_sequence = *value;
    }
    if (const auto* receive = object.if_contains("receive"); receive && !receive->is_null()) {
        if (!receive->is_bool()) {
            return make_error_code(Errc::bad_request);
        }
        request.receive = receive->as_bool();
    }
    if (!request.receive && (request.open_game || request.last_sequence)) {
        return make_error_code(Errc::bad_request);  // a game reads its room; a resume reads history
    }
    return request;
}

}  // namespace barrage::gateway
