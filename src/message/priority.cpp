#include "message/priority.h"

#include <type_traits>

namespace barrage::message {

Priority priority_of(const Body& body) {
    return std::visit(
        [](const auto& kind) {
            using T = std::decay_t<decltype(kind)>;
            if constexpr (std::is_same_v<T, Danmaku> || std::is_same_v<T, Custom>) {
                return Priority::normal;
            } else if constexpr (std::is_same_v<T, Enter> || std::is_same_v<T, OnlineCount> ||
                                 std::is_same_v<T, LikeTotal> || std::is_same_v<T, LikeClick>) {
                return Priority::low;
            } else {
                // Gift, SuperChat, SuperChatDelete, GuardBuy, LiveStatus, Moderation, System,
                // LikeBurst, HistoryGap, and any kind added later until it is classed.
                return Priority::critical;
            }
        },
        body);
}

}  // namespace barrage::message
