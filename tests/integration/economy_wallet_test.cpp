// The wallet's journal over HTTP: newest first, a page at a time (before=<entry id>, limit
// 1..100), each entry with its id, and a next_before cursor until the last page: paging
// through returns every row of the wallet once.

#include <set>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/economy_helpers.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

namespace json = boost::json;

TEST(WalletPages, PagingThroughReturnsEveryRowOnceNewestFirst) {
    TestServer server;
    auto alice = server.viewer_token();
    for (int i = 1; i <= 23; ++i) {
        grant(server, kAlice, 10'000 + i, fmt::format("grant-{}", i));
    }
    for (int i = 1; i <= 6; ++i) {  // two wallet rows each: the host's share and the platform's
        auto body = json::serialize(json::object{{"gift_id", 3}, {"count", 1}, {"request_id", fmt::format("g-{}", i)}});
        ASSERT_EQ(server.post("/api/v1/rooms/1/gifts", body, alice).code(), 0);
    }
    grant(server, kBob, 500, "bob");  // another wallet's row, never on alice's pages

    std::vector<std::int64_t> ids;
    std::string target = "/api/v1/wallet?limit=5";
    int pages = 0;
    for (;;) {
        auto page = data_of(server.get(target, alice));
        const auto& entries = page.at("entries").as_array();
        EXPECT_LE(entries.size(), 5U);
        for (const auto& entry : entries) {
            ids.push_back(int_field(entry.as_object(), "id"));
        }
        ++pages;
        if (!page.contains("next_before")) {
            break;
        }
        EXPECT_EQ(int_field(page, "next_before"), ids.back());
        target = fmt::format("/api/v1/wallet?limit=5&before={}", int_field(page, "next_before"));
        ASSERT_LT(pages, 20) << "the cursor does not move";
    }
    EXPECT_EQ(pages, 7) << "35 rows, 5 a page";
    EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), ids.size()) << "a row on two pages";

    server.stop();
    std::vector<std::int64_t> expected;
    std::int64_t row_id = 0;
    for (const auto& row : read_journal(server.data_dir())) {
        ++row_id;  // read_journal reads in id order; ids start at 1 in a fresh file
        bool alices = (row.debit_kind == kWalletAccount && row.debit_owner == kAlice.value) ||
                      (row.credit_kind == kWalletAccount && row.credit_owner == kAlice.value);
        if (alices) {
            expected.insert(expected.begin(), row_id);
        }
    }
    EXPECT_EQ(ids, expected);
}

TEST(WalletPages, TheFirstPageHoldsTwentyAndTheCursorIsAbsentOnTheLast) {
    TestServer server;
    auto alice = server.viewer_token();
    for (int i = 1; i <= 21; ++i) {
        grant(server, kAlice, i, fmt::format("grant-{}", i));
    }
    auto first = data_of(server.get("/api/v1/wallet", alice));
    ASSERT_EQ(first.at("entries").as_array().size(), 20U);
    const auto& newest = first.at("entries").as_array().at(0).as_object();
    EXPECT_EQ(int_field(newest, "amount"), 21);
    EXPECT_GT(int_field(newest, "id"), 0);
    auto rest = data_of(server.get(fmt::format("/api/v1/wallet?before={}", int_field(first, "next_before")), alice));
    EXPECT_EQ(rest.at("entries").as_array().size(), 1U);
    EXPECT_FALSE(rest.contains("next_before"));
    auto exact = data_of(server.get("/api/v1/wallet?limit=21", alice));
    EXPECT_FALSE(exact.contains("next_before")) << "nothing after the last row";
}

TEST(WalletPages, LimitAndCursorOutsideTheirRangesAreRefusedByName) {
    TestServer server;
    auto alice = server.viewer_token();
    for (const auto* query : {"limit=0", "limit=101", "limit=x", "before=0", "before=-3", "before=1e3"}) {
        auto reply = server.get(fmt::format("/api/v1/wallet?{}", query), alice);
        EXPECT_EQ(reply.status, 400U) << query;
        EXPECT_EQ(reply.code(), static_cast<int>(Errc::bad_request)) << query;
        auto name = std::string(query).substr(0, std::string(query).find('='));
        EXPECT_NE(reply.body.find(name), std::string::npos) << reply.body;
    }
    EXPECT_EQ(server.get("/api/v1/wallet?limit=100", alice).code(), 0);
}

}  // namespace
}  // namespace barrage::test
