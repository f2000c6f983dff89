// The ledger's check for operators (http/ledger_api.h): the running server verifies its own
// ledger on request, keeps the last report, and runs the whole-journal read only so often.

#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

TEST(LedgerChecks, AnAdminVerifiesTheRunningLedgerAndSeesTheLastReport) {
    TestServer server;
    const auto admin = server.admin_token();
    EXPECT_TRUE(server.get("/api/v1/admin/ledger", admin).json().at("data").at("last_verify").is_null());
    ASSERT_EQ(
        server.post("/api/v1/admin/grants", R"({"uid":3,"coins":1000,"reason":"t","request_id":"g1"})", admin).status,
        200u);
    ASSERT_EQ(server.post("/api/v1/rooms/1/gifts", R"({"gift_id":1,"request_id":"a1"})", server.viewer_token()).status,
              200u);

    const auto verified = server.post("/api/v1/admin/ledger/verify", "", admin);
    ASSERT_EQ(verified.status, 200u) << verified.body;
    const auto report_json = verified.json();
    const auto& report = report_json.at("data").as_object();
    EXPECT_TRUE(report.at("ok").as_bool()) << report.at("summary").as_string();
    EXPECT_EQ(report.at("balance_sum").as_int64(), 0);
    EXPECT_GE(report.at("journal_rows").as_int64(), 2) << "the grant and the gift";

    const auto last_json = server.get("/api/v1/admin/ledger", admin).json();
    EXPECT_EQ(last_json.at("data").at("last_verify").at("journal_rows"), report.at("journal_rows"));
}

TEST(LedgerChecks, OnlyAdminsAndOnlySoOften) {
    TestServer server;
    EXPECT_EQ(server.post("/api/v1/admin/ledger/verify", "", server.viewer_token()).status, 403u);
    EXPECT_EQ(server.get("/api/v1/admin/ledger", server.bot_token()).status, 403u);
    const auto admin = server.admin_token();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(server.post("/api/v1/admin/ledger/verify", "", admin).status, 200u) << i;
    }
    const auto fourth = server.post("/api/v1/admin/ledger/verify", "", admin);
    EXPECT_EQ(fourth.status, 429u) << fourth.body;
    EXPECT_EQ(int_field(fourth.json(), "code"), 3002);
}

}  // namespace
}  // namespace barrage::test
