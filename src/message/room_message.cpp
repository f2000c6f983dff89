#include "message/room_message.h"

#include <type_traits>

namespace barrage::message {

bool is_sequenced(const Body& body) {
    // Events get a place in the room's order and in history, so a resuming client can replay
    // them; state (online counts) and per-client notices (history gaps) would only be stale
    // or meaningless on replay.
    return std::visit(
        [](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            return !std::is_same_v<T, OnlineCount> && !std::is_same_v<T, HistoryGap> && !std::is_same_v<T, LikeTotal> &&
                   !std::is_same_v<T, LikeClick> && !std::is_same_v<T, LikeBurst>;
        },
        body);
}

}  // namespace barrage::message
