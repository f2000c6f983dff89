#include "support/json_helpers.h"

#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace barrage::test {

namespace json = boost::json;

json::value parse_json(std::string_view text) {
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    if (ec) {
        throw std::runtime_error(fmt::format("not JSON ({}): {:.300}", ec.message(), text));
    }
    return value;
}

json::object parse_object(std::string_view text) {
    json::value value = parse_json(text);
    if (!value.is_object()) {
        throw std::runtime_error(fmt::format("not a JSON object: {:.300}", text));
    }
    return std::move(value.as_object());
}

AuthBody::AuthBody(std::uint64_t room) {
    body_["roomid"] = room;
}

AuthBody& AuthBody::protover(int value) {
    body_["protover"] = value;
    return *this;
}

AuthBody& AuthBody::dialect(std::string_view value) {
    body_["dialect"] = value;
    return *this;
}

AuthBody& AuthBody::key(std::string_view value) {
    body_["key"] = value;
    return *this;
}

AuthBody& AuthBody::last_seq(std::uint64_t value) {
    body_["last_seq"] = value;
    return *this;
}

std::string AuthBody::str() const {
    return json::serialize(body_);
}

std::string cmd_of(std::string_view body) {
    boost::system::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec || !value.is_object()) {
        return {};
    }
    const auto* cmd = value.as_object().if_contains("cmd");
    if (cmd == nullptr || !cmd->is_string()) {
        return {};
    }
    return std::string(cmd->as_string());
}

std::optional<std::uint64_t> sequence_of(const json::value& push) {
    if (!push.is_object()) {
        return std::nullopt;
    }
    const auto* seq = push.as_object().if_contains("seq");
    if (seq == nullptr) {
        return std::nullopt;
    }
    if (seq->is_uint64()) {
        return seq->as_uint64();
    }
    if (seq->is_int64() && seq->as_int64() >= 0) {
        return static_cast<std::uint64_t>(seq->as_int64());
    }
    return std::nullopt;
}

std::string danmaku_text(const json::value& push) {
    const auto& object = push.as_object();
    const auto& cmd = object.at("cmd").as_string();
    if (cmd == "DANMU_MSG") {
        return std::string(object.at("info").as_array().at(1).as_string());
    }
    if (cmd == "danmaku") {
        return std::string(object.at("data").as_object().at("text").as_string());
    }
    throw std::runtime_error(fmt::format("not a danmaku push: {:.300}", json::serialize(push)));
}

std::int64_t int_field(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || !(value->is_int64() || value->is_uint64())) {
        throw std::runtime_error(fmt::format("no integer \"{}\" in {:.300}", key, json::serialize(object)));
    }
    return value->to_number<std::int64_t>();
}

}  // namespace barrage::test
