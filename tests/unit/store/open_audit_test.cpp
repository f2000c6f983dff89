#include "store/open_audit.h"

#include <gtest/gtest.h>

namespace barrage::store {
namespace {

TEST(OpenAudit, PagesAreNewestFirstBelowACursorAndOfOneAppWhenAsked) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenAudit audit(database, clock);
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(audit.write({.actor = UserId{7},
                                 .action = "app_edited",
                                 .app_id = i % 2 == 0 ? 1 : 2,
                                 .room = RoomId{static_cast<std::uint64_t>(i)},
                                 .detail = "edit " + std::to_string(i)}));
        clock.advance_ms(10);
    }
    auto all = audit.page(0, INT64_MAX, 10);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 5U);
    EXPECT_EQ((*all)[0].detail, "edit 4");
    EXPECT_EQ((*all)[4].detail, "edit 0");
    EXPECT_GT((*all)[0].at_ms, (*all)[4].at_ms);
    EXPECT_EQ((*all)[0].room, RoomId{4});

    auto first_app = audit.page(1, INT64_MAX, 2);
    ASSERT_TRUE(first_app);
    ASSERT_EQ(first_app->size(), 2U);
    EXPECT_EQ((*first_app)[0].detail, "edit 4");
    EXPECT_EQ((*first_app)[1].detail, "edit 2");
    auto older = audit.page(1, first_app->back().id, 2);
    ASSERT_TRUE(older);
    ASSERT_EQ(older->size(), 1U);
    EXPECT_EQ((*older)[0].detail, "edit 0");
    EXPECT_EQ(audit.page(2, INT64_MAX, 10)->size(), 2U);
    EXPECT_TRUE(audit.page(3, INT64_MAX, 10)->empty());
}

}  // namespace
}  // namespace barrage::store
