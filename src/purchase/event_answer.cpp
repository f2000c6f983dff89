#include "purchase/event_answer.h"

#include <boost/json.hpp>

namespace barrage::purchase {

namespace json = boost::json;

json::object event_answer(const message::RoomMessage* event) {
    json::object out{{"seq", event != nullptr ? event->sequence : 0}};
    if (event == nullptr) {
        return out;
    }
    if (const auto* gift = std::get_if<message::Gift>(&event->body)) {
        out["gift_number"] = gift->gift_number;
        out["combo_id"] = gift->combo_id;
        out["combo_count"] = gift->combo_count;
        out["total"] = gift->total;
    } else if (const auto* chat = std::get_if<message::SuperChat>(&event->body)) {
        out["super_chat_id"] = chat->id;
        out["end_ms"] = chat->end_ms;
    } else if (const auto* guard = std::get_if<message::GuardBuy>(&event->body)) {
        out["end_ms"] = guard->end_ms;
    }
    return out;
}

Sequence sequence_of(const json::object& event_answer) {
    const auto* sequence = event_answer.if_contains("seq");
    if (sequence == nullptr) {
        return 0;
    }
    boost::system::error_code ec;
    auto value = sequence->to_number<Sequence>(ec);
    return ec ? 0 : value;
}

std::string serialise(const json::object& event_answer) {
    return json::serialize(event_answer);
}

Result<json::object> parse_event_answer(std::string_view text) {
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec || !value.is_object() || !value.as_object().contains("seq")) {
        return make_error_code(Errc::internal);
    }
    return std::move(value.as_object());
}

}  // namespace barrage::purchase
