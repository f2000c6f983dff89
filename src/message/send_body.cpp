#include "message/send_body.h"

#include <utility>

namespace barrage::message {

Result<std::uint32_t> like_count_from(const boost::json::object& body) {
    const auto* count = body.if_contains("count");
    if (count == nullptr || !(count->is_int64() || count->is_uint64())) {
        return make_error_code(Errc::bad_request);
    }
    const bool in_range = count->is_int64() ? count->get_int64() >= 1 && count->get_int64() <= kLikeTapsMax
                                            : count->get_uint64() <= kLikeTapsMax;
    if (!in_range) {
        return make_error_code(Errc::bad_count);
    }
    return static_cast<std::uint32_t>(count->is_int64() ? count->get_int64() : count->get_uint64());
}

Result<SendBody> parse_send_body(std::string_view json_body, const DanmakuRules& danmaku_rules,
                                 const CustomSchemas& custom) {
    auto object = parse_send_object(json_body);
    if (!object) {
        return object.error();
    }
    SendBody send;
    if (const auto* id = object->if_contains("request_id"); id != nullptr && id->is_string()) {
        send.request_id = std::string(id->get_string());
    }
    const auto* type = object->if_contains("type");
    if (type != nullptr && type->is_string() && type->get_string() == "like") {
        auto taps = like_count_from(*object);
        if (!taps) {
            return taps.error();
        }
        send.like_taps = *taps;
    } else if (type != nullptr && type->is_string() && type->get_string() == "system") {
        const auto* msg = object->if_contains("msg");
        if (msg == nullptr || !msg->is_string()) {
            return make_error_code(Errc::bad_request);
        }
        auto text = check_danmaku_text(msg->get_string(), danmaku_rules);
        if (!text) {
            return text.error();
        }
        send.body = System{std::move(*text)};
    } else if (type != nullptr && type->is_string() && type->get_string() != "danmaku") {
        auto message = custom.from_object(*object);
        if (!message) {
            return message.error();
        }
        send.body = std::move(*message);
    } else {
        auto danmaku = danmaku_from(*object, danmaku_rules);
        if (!danmaku) {
            return danmaku.error();
        }
        send.body = std::move(*danmaku);
    }
    return send;
}

}  // namespace barrage::message
