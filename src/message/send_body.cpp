#include "message/send_body.h"

#include <utility>

namespace barrage::message {

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
    if (type != nullptr && type->is_string() && type->get_string() != "danmaku") {
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
