#include "economy/app_share_schedule.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

TEST(AppShareSchedule, EmptyScheduleGivesNothing) {
    AppShareSchedule schedule;
    EXPECT_EQ(schedule.at(7, 1'000), (AppShareInForce{.per_mille = 0, .effective_ms = 0, .from_default = true}));
}

TEST(AppShareSchedule, ChangeAppliesFromItsEffectiveMillisecondExactly) {
    AppShareSchedule schedule(
        {{.app = 7, .effective_ms = 1'000, .per_mille = 100}, {.app = 7, .effective_ms = 2'000, .per_mille = 250}});
    EXPECT_EQ(schedule.at(7, 1'999).per_mille, 100u);
    EXPECT_EQ(schedule.at(7, 2'000), (AppShareInForce{.per_mille = 250, .effective_ms = 2'000, .from_default = false}));
    EXPECT_EQ(schedule.at(7, 1'000).per_mille, 100u);
    EXPECT_EQ(schedule.at(7, 999).per_mille, 0u);
}

TEST(AppShareSchedule, DefaultAppliesBeforeAnAppsFirstChange) {
    AppShareSchedule schedule({{.app = kDefaultShareApp, .effective_ms = 0, .per_mille = 300},
                               {.app = kDefaultShareApp, .effective_ms = 5'000, .per_mille = 350},
                               {.app = 7, .effective_ms = 3'000, .per_mille = 100}});
    EXPECT_EQ(schedule.at(7, 2'999), (AppShareInForce{.per_mille = 300, .effective_ms = 0, .from_default = true}));
    EXPECT_EQ(schedule.at(7, 3'000).per_mille, 100u);
    EXPECT_EQ(schedule.at(7, 6'000).per_mille, 100u);  // the app's own change outranks a later default
    EXPECT_EQ(schedule.at(8, 4'999).per_mille, 300u);
    EXPECT_EQ(schedule.at(8, 5'000), (AppShareInForce{.per_mille = 350, .effective_ms = 5'000, .from_default = true}));
}

TEST(AppShareSchedule, LaterDuplicateWinsAndChangesAreListedInOrder) {
    AppShareSchedule schedule({{.app = 2, .effective_ms = 9, .per_mille = 1},
                               {.app = 1, .effective_ms = 5, .per_mille = 2},
                               {.app = 2, .effective_ms = 9, .per_mille = 3}});
    EXPECT_EQ(schedule.at(2, 9).per_mille, 3u);
    const std::vector<AppShareChange> expected{{1, 5, 2}, {2, 9, 3}};
    EXPECT_EQ(schedule.changes(), expected);
    EXPECT_EQ(schedule.changes_of(2), (std::vector<AppShareChange>{{2, 9, 3}}));
    EXPECT_TRUE(schedule.changes_of(3).empty());
}

}  // namespace
}  // namespace barrage::economy
