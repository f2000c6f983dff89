#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "message/room_message.h"

namespace barrage::purchase {

// What a purchase's answer says about the room event it made: "seq", then the fields of its
// kind — a gift's gift_number, combo_id, combo_count and total; a super chat's super_chat_id and
// end_ms; a guard's end_ms. {"seq":0} when no event was shown (the room refused it). Kept as
// the annotation of the order's idempotency record, so that a retry answers the same.
boost::json::object event_answer(const message::RoomMessage* event);

// The answer's "seq" (0 when missing or not a sequence).
Sequence sequence_of(const boost::json::object& event_answer);

// The stored form (compact JSON) and back; a stored form that does not parse is
// Errc::internal (the record was damaged).
std::string serialise(const boost::json::object& event_answer);
Result<boost::json::object> parse_event_answer(std::string_view text);

}  // namespace barrage::purchase
