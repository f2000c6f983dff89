#pragma once

// Private to the web dialect: what its two files share. web_dialect.cpp spells chat, presence
// and system cmds and dispatches; web_economy.cpp spells the money cmds, web_moderation.cpp
// the moderation ones.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "message/room_message.h"

namespace barrage::message::detail::web {

// Bilibili stamps most cmds in whole seconds.
inline std::int64_t seconds_of(Millis time_ms) {
    return time_ms / 1000;
}

inline bool is_admin(Role role) {
    return role >= Role::manager;
}

inline void append(std::vector<std::string>& bodies, const boost::json::object& body) {
    bodies.push_back(boost::json::serialize(body));
}

void encode_gift(const RoomMessage& message, const Gift& gift, std::vector<std::string>& bodies);
void encode_super_chat(const RoomMessage& message, const SuperChat& chat, std::vector<std::string>& bodies);
void encode_super_chat_delete(const RoomMessage& message, const SuperChatDelete& removal,
                              std::vector<std::string>& bodies);
void encode_guard_buy(const RoomMessage& message, const GuardBuy& guard, std::vector<std::string>& bodies);
void encode_moderation(const RoomMessage& message, const Moderation& moderation, std::vector<std::string>& bodies);

}  // namespace barrage::message::detail::web
