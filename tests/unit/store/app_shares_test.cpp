#include "store/app_shares.h"

#include <gtest/gtest.h>

#include "store/open_apps.h"
#include "store/open_audit.h"

namespace barrage::store {
namespace {

class AppSharesTest : public ::testing::Test {
protected:
    AppSharesTest() {
        auto app = OpenApps(database_, clock_).create_app(UserId{7}, "Duel", true, UserId{10});
        EXPECT_TRUE(app);
        app_id_ = app->app_id;
    }

    Database database_{{":memory:", true}};
    FakeClock clock_;
    AppShares shares_{database_, clock_};
    std::int64_t app_id_ = 0;
};

TEST_F(AppSharesTest, AChangeStartsAtLeastAMinuteAheadAndAtMostAYear) {
    const Millis now = clock_.wall_ms();
    const auto at = [&](Millis effective_ms, std::uint32_t per_mille = 300) {
        return shares_.schedule(
            {.app_id = app_id_, .per_mille = per_mille, .effective_ms = effective_ms, .actor = UserId{10}});
    };
    EXPECT_EQ(at(now - 1).error(), Errc::bad_request);
    EXPECT_EQ(at(now).error(), Errc::bad_request);
    EXPECT_EQ(at(now + kAppShareLeadMinMs - 1).error(), Errc::bad_request);
    EXPECT_EQ(at(now + kAppShareLeadMaxMs + 1).error(), Errc::bad_request);
    EXPECT_EQ(at(now + kAppShareLeadMinMs, 1001).error(), Errc::bad_request);
    EXPECT_TRUE(shares_.changes(app_id_)->empty());
    auto set = at(now + kAppShareLeadMinMs);
    ASSERT_TRUE(set);
    EXPECT_EQ(set->set_by, UserId{10});
    EXPECT_EQ(set->created_ms, now);
    EXPECT_TRUE(at(now + kAppShareLeadMaxMs));
    EXPECT_EQ(shares_.changes(app_id_)->size(), 2u);
}

TEST_F(AppSharesTest, UnknownAppsAreRefusedAndAFutureChangeMayBeReplaced) {
    const Millis when = clock_.wall_ms() + kAppShareLeadMinMs;
    EXPECT_EQ(shares_.schedule({.app_id = app_id_ + 1, .per_mille = 1, .effective_ms = when}).error(),
              Errc::unknown_app);
    ASSERT_TRUE(shares_.schedule({.app_id = app_id_, .per_mille = 100, .effective_ms = when}));
    ASSERT_TRUE(shares_.schedule({.app_id = app_id_, .per_mille = 200, .effective_ms = when}));
    auto changes = shares_.changes(app_id_);
    ASSERT_EQ(changes->size(), 1u);
    EXPECT_EQ((*changes)[0].per_mille, 200u);
    // Both are in the audit log, in the same transactions as the changes.
    auto audit = OpenAudit(database_, clock_).page(app_id_, INT64_MAX, 10);
    int scheduled = 0;
    for (const auto& entry : *audit) {
        scheduled += entry.action == audit_action::app_share_scheduled ? 1 : 0;
    }
    EXPECT_EQ(scheduled, 2);
}

TEST_F(AppSharesTest, TheDefaultIsRecordedOnlyWhenItChanges) {
    ASSERT_TRUE(shares_.record_default(200));
    ASSERT_TRUE(shares_.record_default(200));
    clock_.advance_ms(1000);
    ASSERT_TRUE(shares_.record_default(250));
    auto defaults = shares_.changes(0);
    ASSERT_EQ(defaults->size(), 2u);
    EXPECT_EQ((*defaults)[0].per_mille, 200u);
    EXPECT_EQ((*defaults)[1].per_mille, 250u);
    EXPECT_EQ((*defaults)[1].effective_ms, clock_.wall_ms());
    EXPECT_EQ(shares_.changes(-1)->size(), 2u);
}

}  // namespace
}  // namespace barrage::store
