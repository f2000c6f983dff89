#include "gateway/online_counts.h"

#include <gtest/gtest.h>

namespace barrage::gateway {
namespace {

TEST(OnlineCounts, GoOutWhenTheyChangeAndEveryThirtySecondsWhileAnyoneListens) {
    OnlineCounts counts;
    const RoomId room{1};
    EXPECT_FALSE(counts.due(room, 0, 1000)) << "an empty room that was empty says nothing";
    EXPECT_TRUE(counts.due(room, 3, 2000));
    EXPECT_FALSE(counts.due(room, 3, 2000 + OnlineCounts::kRefreshMs - 1));
    EXPECT_TRUE(counts.due(room, 3, 2000 + OnlineCounts::kRefreshMs));
    EXPECT_TRUE(counts.due(room, 4, 2000 + OnlineCounts::kRefreshMs + 1));
    EXPECT_TRUE(counts.due(room, 0, 2000 + OnlineCounts::kRefreshMs + 2)) << "the drop to zero is news";
    EXPECT_FALSE(counts.due(room, 0, 10 * OnlineCounts::kRefreshMs));
}

}  // namespace
}  // namespace barrage::gateway
