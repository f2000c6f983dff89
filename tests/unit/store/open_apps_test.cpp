#include "store/open_apps.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/directory.h"
#include "store/open_audit.h"

namespace barrage::store {
namespace {

bool is_code(const std::string& code) {
    if (code.size() != kIdentityCodeLength) {
        return false;
    }
    for (const char c : code) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
    }
    return true;
}

std::int64_t audit_rows(Database& database, std::string_view action) {
    Database::Statement count(database, "SELECT COUNT(*) FROM open_audit WHERE action = ?");
    count.bind(1, action);
    EXPECT_TRUE(count.step().value());
    return count.column_int(0);
}

TEST(OpenApps, ANewAppHasFreshKeysAndIsFoundByThem) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto draft = apps.create_app(UserId{7}, "Danmaku duel", false, UserId{7});
    auto approved = apps.create_app(UserId{7}, "Gift race", true, UserId{10});
    ASSERT_TRUE(draft && approved);
    EXPECT_GT(draft->app_id, 0);
    EXPECT_NE(draft->app_id, approved->app_id);
    EXPECT_EQ(draft->status, AppStatus::draft);
    EXPECT_EQ(approved->status, AppStatus::approved);
    EXPECT_EQ(draft->access_key_id.size(), 24U);
    EXPECT_EQ(draft->access_key_secret.size(), 30U);
    EXPECT_NE(draft->access_key_id, approved->access_key_id);
    EXPECT_NE(draft->access_key_secret, approved->access_key_secret);

    auto found = apps.find_by_key(approved->access_key_id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->app_id, approved->app_id);
    EXPECT_EQ(found->access_key_secret, approved->access_key_secret);
    EXPECT_EQ(found->developer, UserId{7});
    EXPECT_EQ(found->name, "Gift race");
    EXPECT_EQ(found->status, AppStatus::approved);
    EXPECT_FALSE(apps.find_by_key("no-such-key"));
    EXPECT_EQ(apps.find(draft->app_id)->name, "Danmaku duel");
    EXPECT_EQ(audit_rows(database, "app_created"), 1);
    EXPECT_EQ(audit_rows(database, "app_created_approved"), 1);
}

TEST(OpenApps, TheScheduledRefreshReplacesOnlyCodesOlderThanTheCutOffOldestFirst) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    const Millis start = clock.wall_ms();
    auto oldest = apps.identity_code(RoomId{1}, false, UserId{1});
    clock.advance_ms(1000);
    auto middle = apps.identity_code(RoomId{2}, false, UserId{2});
    clock.advance_ms(1000);
    auto newest = apps.identity_code(RoomId{3}, false, UserId{3});
    ASSERT_TRUE(oldest && middle && newest);

    // Made before start + 1500: rooms 1 and 2; at most one per call, the oldest first.
    EXPECT_EQ(apps.refresh_codes_made_before(start + 1500, 1).value(), 1U);
    EXPECT_FALSE(apps.room_of_code(oldest->code));
    EXPECT_EQ(apps.room_of_code(middle->code), RoomId{2});
    EXPECT_EQ(apps.refresh_codes_made_before(start + 1500, 10).value(), 1U);
    EXPECT_FALSE(apps.room_of_code(middle->code));
    EXPECT_EQ(apps.room_of_code(newest->code), RoomId{3});
    // Refreshed codes are new: nothing more is due at that cut-off.
    EXPECT_EQ(apps.refresh_codes_made_before(start + 1500, 10).value(), 0U);
    EXPECT_EQ(audit_rows(database, "identity_code_refreshed"), 2);
}

TEST(OpenApps, AnIdentityCodeStaysUntilRefreshedAndTheOldOneStopsAtOnce) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto first = apps.identity_code(RoomId{5}, false, UserId{1});
    ASSERT_TRUE(first);
    EXPECT_TRUE(is_code(first->code)) << first->code;
    EXPECT_EQ(apps.identity_code(RoomId{5}, false, UserId{1})->code, first->code);
    EXPECT_EQ(apps.room_of_code(first->code), RoomId{5});

    auto refreshed = apps.identity_code(RoomId{5}, true, UserId{1});
    ASSERT_TRUE(refreshed);
    EXPECT_TRUE(is_code(refreshed->code));
    EXPECT_NE(refreshed->code, first->code);
    EXPECT_FALSE(apps.room_of_code(first->code));
    EXPECT_EQ(apps.room_of_code(refreshed->code), RoomId{5});

    auto other = apps.identity_code(RoomId{6}, false, UserId{2});
    ASSERT_TRUE(other);
    EXPECT_NE(other->code, refreshed->code);
    EXPECT_EQ(audit_rows(database, "identity_code_created"), 2);
    EXPECT_EQ(audit_rows(database, "identity_code_refreshed"), 1);
    // The audit says a code changed, never what it is.
    Database::Statement details(database, "SELECT COUNT(*) FROM open_audit WHERE detail LIKE ?");
    details.bind(1, "%" + first->code + "%");
    ASSERT_TRUE(details.step().value());
    EXPECT_EQ(details.column_int(0), 0);
}

TEST(OpenApps, CodesAreDrawnFromTheWholeAlphabet) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    std::set<char> seen;
    for (std::uint64_t room = 1; room <= 60; ++room) {
        const auto made = apps.identity_code(RoomId{room}, false, UserId{1});
        ASSERT_TRUE(made);
        for (const char c : made->code) {
            seen.insert(c);
        }
    }
    EXPECT_EQ(seen.size(), 36U);  // 840 draws: a character never drawn has probability ~36 * e^-23
}

TEST(AppStatus, StepsFollowTheReviewLifecycle) {
    using enum AppStatus;
    struct Case {
        AppStatus from;
        AppStep step;
        std::optional<AppStatus> to;  // nullopt: Errc::wrong_app_status
    };
    const Case cases[] = {
        {draft, AppStep::edit, draft},
        {in_review, AppStep::edit, std::nullopt},
        {approved, AppStep::edit, draft},
        {rejected, AppStep::edit, rejected},
        {draft, AppStep::submit, in_review},
        {in_review, AppStep::submit, std::nullopt},
        {approved, AppStep::submit, std::nullopt},
        {rejected, AppStep::submit, in_review},
        {draft, AppStep::approve, std::nullopt},
        {in_review, AppStep::approve, approved},
        {approved, AppStep::approve, std::nullopt},
        {rejected, AppStep::approve, std::nullopt},
        {draft, AppStep::reject, std::nullopt},
        {in_review, AppStep::reject, rejected},
        {approved, AppStep::reject, rejected},
        {rejected, AppStep::reject, std::nullopt},
    };
    for (const auto& c : cases) {
        const auto next = next_status(c.from, c.step);
        const auto label = std::string(to_string(c.from)) + " step " + std::to_string(static_cast<int>(c.step));
        if (c.to) {
            ASSERT_TRUE(next) << label;
            EXPECT_EQ(*next, *c.to) << label;
        } else {
            ASSERT_FALSE(next) << label;
            EXPECT_EQ(next.error(), Errc::wrong_app_status) << label;
        }
    }
}

TEST(OpenApps, ADeveloperCreatesAtMostTwentyAppsAndOthersAreNotHeldBack) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    for (std::size_t i = 0; i < kAppsPerDeveloperMax; ++i) {
        auto made = apps.create_draft({.developer = UserId{7}, .name = "app " + std::to_string(i), .description = "d"});
        ASSERT_TRUE(made) << i;
        EXPECT_EQ(made->status, AppStatus::draft);
        EXPECT_EQ(made->description, "d");
        EXPECT_EQ(made->access_key_secret.size(), 30U);
    }
    auto one_more = apps.create_draft({.developer = UserId{7}, .name = "one more"});
    ASSERT_FALSE(one_more);
    EXPECT_EQ(one_more.error(), Errc::apps_limit);
    EXPECT_EQ(apps.apps_of(UserId{7})->size(), kAppsPerDeveloperMax);
    EXPECT_TRUE(apps.create_draft({.developer = UserId{8}, .name = "another developer's"}));
    // The operator's CLI is not held to it.
    EXPECT_TRUE(apps.create_app(UserId{7}, "by the operator", true, UserId{0}));
    EXPECT_EQ(audit_rows(database, "app_created"), 21);
}

TEST(OpenApps, AnAppGoesThroughReviewAndEachStepIsAudited) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    const UserId developer{7};
    const UserId reviewer{10};
    auto app = apps.create_draft({.developer = developer, .name = "Duel"});
    ASSERT_TRUE(app);
    const auto id = app->app_id;

    auto edited = apps.edit({.app_id = id, .actor = developer, .name = "Danmaku duel", .description = "two teams"});
    ASSERT_TRUE(edited);
    EXPECT_EQ(edited->status, AppStatus::draft);
    EXPECT_EQ(apps.find(id)->name, "Danmaku duel");

    clock.advance_ms(1000);
    auto submitted = apps.submit(id, developer);
    ASSERT_TRUE(submitted);
    EXPECT_EQ(submitted->status, AppStatus::in_review);
    EXPECT_EQ(submitted->submitted_ms, clock.wall_ms());
    // Under review, the app stays as the reviewer sees it.
    auto late_edit = apps.edit({.app_id = id, .actor = developer, .name = "Sneaky"});
    ASSERT_FALSE(late_edit);
    EXPECT_EQ(late_edit.error(), Errc::wrong_app_status);
    EXPECT_EQ(apps.find(id)->name, "Danmaku duel");
    EXPECT_EQ(apps.submit(id, developer).error(), Errc::wrong_app_status);
    ASSERT_EQ(apps.review_queue(10)->size(), 1U);

    auto rejected = apps.review({.app_id = id, .actor = reviewer, .approve = false, .reason = "no rules page"});
    ASSERT_TRUE(rejected);
    EXPECT_EQ(rejected->status, AppStatus::rejected);
    EXPECT_EQ(apps.find(id)->reject_reason, "no rules page");
    EXPECT_TRUE(apps.review_queue(10)->empty());
    // A rejected app is edited and stays rejected, its reason shown, until resubmitted.
    auto fixed = apps.edit({.app_id = id, .actor = developer, .name = "Danmaku duel", .description = "rules: ..."});
    ASSERT_TRUE(fixed);
    EXPECT_EQ(fixed->status, AppStatus::rejected);
    EXPECT_EQ(fixed->reject_reason, "no rules page");
    auto resubmitted = apps.submit(id, developer);
    ASSERT_TRUE(resubmitted);
    EXPECT_EQ(resubmitted->status, AppStatus::in_review);
    EXPECT_EQ(resubmitted->reject_reason, "");

    auto approved = apps.review({.app_id = id, .actor = reviewer, .approve = true, .reason = "fun"});
    ASSERT_TRUE(approved);
    EXPECT_EQ(approved->status, AppStatus::approved);
    EXPECT_EQ(apps.find(id)->status, AppStatus::approved);
    EXPECT_EQ(apps.review({.app_id = id, .actor = reviewer, .approve = true}).error(), Errc::wrong_app_status);
    // An approved app that changes needs a new review.
    auto changed = apps.edit({.app_id = id, .actor = developer, .name = "Danmaku duel 2"});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->status, AppStatus::draft);
    EXPECT_EQ(apps.edit({.app_id = 999, .actor = developer, .name = "x"}).error(), Errc::unknown_app);

    OpenAudit audit(database, clock);
    auto rows = audit.page(id, INT64_MAX, 100);
    ASSERT_TRUE(rows);
    std::vector<std::string> actions;
    for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
        actions.push_back(it->action);
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"app_created", "app_edited", "app_submitted", "app_rejected",
                                                 "app_edited", "app_submitted", "app_approved", "app_edited"}));
    EXPECT_EQ((*rows)[4].detail, "no rules page");
    EXPECT_EQ((*rows)[4].actor, reviewer);
    EXPECT_EQ((*rows)[1].detail, "fun");
    EXPECT_EQ((*rows)[0].actor, developer);
}

TEST(OpenApps, AnOperatorMayWithdrawAnApproval) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto app = apps.create_app(UserId{7}, "Live", true, UserId{10});
    ASSERT_TRUE(app);
    auto withdrawn = apps.review({.app_id = app->app_id, .actor = UserId{10}, .approve = false, .reason = "abuse"});
    ASSERT_TRUE(withdrawn);
    EXPECT_EQ(withdrawn->status, AppStatus::rejected);
    EXPECT_FALSE(apps.may_run_in(*withdrawn, RoomId{1}, UserId{1}));
}

TEST(OpenApps, TheReviewQueueListsTheOldestSubmissionFirst) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto first = apps.create_draft({.developer = UserId{7}, .name = "first made"});
    auto second = apps.create_draft({.developer = UserId{8}, .name = "second made"});
    ASSERT_TRUE(first && second);
    ASSERT_TRUE(apps.submit(second->app_id, UserId{8}));
    clock.advance_ms(5);
    ASSERT_TRUE(apps.submit(first->app_id, UserId{7}));
    auto queue = apps.review_queue(10);
    ASSERT_TRUE(queue);
    ASSERT_EQ(queue->size(), 2U);
    EXPECT_EQ((*queue)[0].app_id, second->app_id);
    EXPECT_EQ((*queue)[1].app_id, first->app_id);
    EXPECT_EQ(apps.review_queue(1)->size(), 1U);
}

TEST(OpenApps, ARotatedSecretReplacesTheOldOneAtOnceAndIsNeverAudited) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto app = apps.create_app(UserId{7}, "Duel", true, UserId{10});
    ASSERT_TRUE(app);
    auto rotated = apps.rotate_secret(app->app_id, UserId{7});
    ASSERT_TRUE(rotated);
    EXPECT_EQ(rotated->access_key_id, app->access_key_id);
    EXPECT_NE(rotated->access_key_secret, app->access_key_secret);
    EXPECT_EQ(rotated->access_key_secret.size(), 30U);
    EXPECT_EQ(apps.find_by_key(app->access_key_id)->access_key_secret, rotated->access_key_secret);
    EXPECT_EQ(audit_rows(database, "secret_rotated"), 1);
    Database::Statement leaked(database, "SELECT COUNT(*) FROM open_audit WHERE detail LIKE ? OR detail LIKE ?");
    leaked.bind(1, "%" + app->access_key_secret + "%").bind(2, "%" + rotated->access_key_secret + "%");
    ASSERT_TRUE(leaked.step().value());
    EXPECT_EQ(leaked.column_int(0), 0);
    EXPECT_EQ(apps.rotate_secret(999, UserId{7}).error(), Errc::unknown_app);
}

// The change and its audit row stand or fall together: with the audit table gone, a rotation
// fails and the old secret still holds.
TEST(OpenApps, AChangeWhoseAuditCannotBeWrittenIsRolledBack) {
    Database database({":memory:", true});
    FakeClock clock;
    OpenApps apps(database, clock);
    auto app = apps.create_app(UserId{7}, "Duel", false, UserId{7});
    ASSERT_TRUE(app);
    database.exec("DROP TABLE open_audit");
    EXPECT_FALSE(apps.rotate_secret(app->app_id, UserId{7}));
    EXPECT_FALSE(apps.submit(app->app_id, UserId{7}));
    EXPECT_FALSE(apps.create_draft({.developer = UserId{7}, .name = "unaudited"}));
    EXPECT_FALSE(database.in_transaction());
    EXPECT_EQ(apps.find(app->app_id)->access_key_secret, app->access_key_secret);
    EXPECT_EQ(apps.find(app->app_id)->status, AppStatus::draft);
    EXPECT_EQ(apps.apps_of(UserId{7})->size(), 1U);
}

TEST(OpenApps, AnUnapprovedAppRunsInItsDevelopersRoomsAndItsTestRoomsOnly) {
    Database database({":memory:", true});
    FakeClock clock;
    Directory directory(database);
    for (std::uint64_t room = 1; room <= kTestRoomsMax + 2; ++room) {
        ASSERT_TRUE(directory.insert_room({RoomId{room}, "", UserId{100 + room}, {}}, 0));
    }
    OpenApps apps(database, clock);
    auto app = apps.create_draft({.developer = UserId{101}, .name = "Duel"});
    ASSERT_TRUE(app);
    const auto id = app->app_id;
    EXPECT_TRUE(apps.may_run_in(*app, RoomId{1}, UserId{101}));  // the developer hosts room 1
    EXPECT_FALSE(apps.may_run_in(*app, RoomId{2}, UserId{102}));

    EXPECT_TRUE(apps.add_test_room({.app_id = id, .room = RoomId{2}, .actor = UserId{101}}).value());
    EXPECT_FALSE(apps.add_test_room({.app_id = id, .room = RoomId{2}, .actor = UserId{101}}).value());  // already
    EXPECT_TRUE(apps.may_run_in(*app, RoomId{2}, UserId{102}));
    EXPECT_FALSE(apps.may_run_in(*app, RoomId{3}, UserId{103}));
    EXPECT_EQ(apps.add_test_room({.app_id = id, .room = RoomId{999}, .actor = UserId{101}}).error(),
              Errc::unknown_room);
    EXPECT_EQ(apps.add_test_room({.app_id = 999, .room = RoomId{2}, .actor = UserId{101}}).error(), Errc::unknown_app);

    for (std::uint64_t room = 3; room <= kTestRoomsMax + 1; ++room) {
        ASSERT_TRUE(apps.add_test_room({.app_id = id, .room = RoomId{room}, .actor = UserId{101}})) << room;
    }
    EXPECT_EQ(apps.test_rooms(id)->size(), kTestRoomsMax);
    auto full = apps.add_test_room({.app_id = id, .room = RoomId{kTestRoomsMax + 2}, .actor = UserId{101}});
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error(), Errc::whitelist_full);

    EXPECT_TRUE(apps.remove_test_room({.app_id = id, .room = RoomId{2}, .actor = UserId{101}}).value());
    EXPECT_FALSE(apps.remove_test_room({.app_id = id, .room = RoomId{2}, .actor = UserId{101}}).value());
    EXPECT_FALSE(apps.may_run_in(*app, RoomId{2}, UserId{102}));
    EXPECT_EQ(audit_rows(database, "test_room_added"), static_cast<std::int64_t>(kTestRoomsMax));
    EXPECT_EQ(audit_rows(database, "test_room_removed"), 1);

    // Approved, it runs anywhere; its whitelist belongs to it alone.
    auto approved = apps.create_app(UserId{50}, "Live", true, UserId{10});
    ASSERT_TRUE(approved);
    EXPECT_TRUE(apps.may_run_in(*approved, RoomId{12}, UserId{112}));
    EXPECT_TRUE(apps.test_rooms(approved->app_id)->empty());
}

}  // namespace
}  // namespace barrage::store
