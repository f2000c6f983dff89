#include "open/app_requests.h"

#include <optional>
#include <set>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace barrage::open {

namespace json = boost::json;

namespace {

RequestRefusal bad(std::string message) {
    return {OpenCode::bad_parameters, std::move(message)};
}

// The Go decoder's words for a field of the wrong JSON kind.
RequestRefusal wrong_kind(std::string_view go_type, std::string_view field, const json::value& value,
                          std::string_view want) {
    std::string_view got = value.is_string()   ? "string"
                           : value.is_bool()   ? "bool"
                           : value.is_array()  ? "array"
                           : value.is_object() ? "object"
                           : value.is_null()   ? "null"
                                               : "number";
    return {OpenCode::json_decode_error,
            fmt::format("json: cannot unmarshal {} into Go struct field {}.{} of type {}", got, go_type, field, want)};
}

struct Body {
    json::object object;
    std::optional<RequestRefusal> refusal;
};

Body object_of(std::string_view text) {
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec);
    if (ec) {
        return {{}, bad("the body is not JSON")};
    }
    if (!parsed.is_object()) {
        return {{}, bad("the body must be a JSON object")};
    }
    return {std::move(parsed.as_object()), std::nullopt};
}

// A required, non-empty string member.
std::variant<std::string, RequestRefusal> string_field(const json::object& object, std::string_view go_type,
                                                       std::string_view key) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr || (value->is_string() && value->get_string().empty())) {
        return bad(fmt::format("{} is required", key));
    }
    if (!value->is_string()) {
        return wrong_kind(go_type, key, *value, "string");
    }
    return std::string(value->get_string());
}

// A required app_id: a JSON integer that fits int64 and is positive.
std::variant<std::int64_t, RequestRefusal> app_id_field(const json::object& object, std::string_view go_type) {
    const json::value* value = object.if_contains("app_id");
    if (value == nullptr) {
        return bad("app_id is required");
    }
    if (!value->is_int64()) {
        if (value->is_uint64()) {
            return RequestRefusal{OpenCode::json_decode_error,
                                  fmt::format("json: cannot unmarshal number {} into Go struct field {}.app_id of "
                                              "type int64",
                                              value->get_uint64(), go_type)};
        }
        return wrong_kind(go_type, "app_id", *value, "int64");
    }
    if (value->get_int64() <= 0) {
        return bad("app_id must be positive");
    }
    return value->get_int64();
}

}  // namespace

Parsed<StartRequest> parse_start(std::string_view text) {
    auto body = object_of(text);
    if (body.refusal) {
        return *body.refusal;
    }
    auto app_id = app_id_field(body.object, "StartReq");
    if (auto* refused = std::get_if<RequestRefusal>(&app_id)) {
        return *refused;
    }
    auto code = string_field(body.object, "StartReq", "code");
    if (auto* refused = std::get_if<RequestRefusal>(&code)) {
        return *refused;
    }
    return StartRequest{std::move(std::get<std::string>(code)), std::get<std::int64_t>(app_id)};
}

Parsed<HeartbeatRequest> parse_heartbeat(std::string_view text) {
    auto body = object_of(text);
    if (body.refusal) {
        return *body.refusal;
    }
    auto game_id = string_field(body.object, "HeartbeatReq", "game_id");
    if (auto* refused = std::get_if<RequestRefusal>(&game_id)) {
        return *refused;
    }
    return HeartbeatRequest{std::move(std::get<std::string>(game_id))};
}

Parsed<BatchHeartbeatRequest> parse_batch_heartbeat(std::string_view text) {
    auto body = object_of(text);
    if (body.refusal) {
        return *body.refusal;
    }
    const json::value* ids = body.object.if_contains("game_ids");
    if (ids == nullptr) {
        return bad("game_ids is required");
    }
    if (!ids->is_array()) {
        return wrong_kind("BatchHeartbeatReq", "game_ids", *ids, "[]string");
    }
    if (ids->get_array().size() > kBatchHeartbeatIdsMax) {
        return RequestRefusal{OpenCode::batch_too_large, std::string(message_of(OpenCode::batch_too_large))};
    }
    BatchHeartbeatRequest request;
    std::set<std::string_view> seen;
    for (const auto& id : ids->get_array()) {
        if (!id.is_string()) {
            return wrong_kind("BatchHeartbeatReq", "game_ids", id, "string");
        }
        if (!seen.insert(id.get_string()).second) {
            return RequestRefusal{OpenCode::batch_duplicate_id, std::string(message_of(OpenCode::batch_duplicate_id))};
        }
        request.game_ids.emplace_back(id.get_string());
    }
    return request;
}

Parsed<EndRequest> parse_end(std::string_view text) {
    auto body = object_of(text);
    if (body.refusal) {
        return *body.refusal;
    }
    auto app_id = app_id_field(body.object, "EndReq");
    if (auto* refused = std::get_if<RequestRefusal>(&app_id)) {
        return *refused;
    }
    auto game_id = string_field(body.object, "EndReq", "game_id");
    if (auto* refused = std::get_if<RequestRefusal>(&game_id)) {
        return *refused;
    }
    return EndRequest{std::get<std::int64_t>(app_id), std::move(std::get<std::string>(game_id))};
}

std::string open_answer(OpenCode code, std::string_view message, const json::value& data, std::string_view request_id) {
    json::object out;
    out["code"] = static_cast<int>(code);
    out["message"] = code == OpenCode::ok ? "0" : message;
    out["request_id"] = request_id;
    out["data"] = data;
    return json::serialize(out);
}

}  // namespace barrage::open
