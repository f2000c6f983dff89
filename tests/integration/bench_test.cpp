// `barrage bench` against an in-process server: the HTTP publishers and the slow readers speak
// to the real listeners and are counted. Small counts and short runs: this checks the load
// generator's plumbing, not the figures (those belong to bench/run_send_latency.sh).

#include <gtest/gtest.h>

#include "loadgen/bench_command.h"
#include "loadgen/bench_report.h"
#include "loadgen/bench_runner.h"
#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

// Resolved options as run_bench would pass them, for a short run against `server`.
loadgen::BenchOptions short_run(const TestServer& server) {
    loadgen::BenchOptions options;
    options.port = server.http_port();
    options.http_port = server.http_port();
    options.connections = 10;
    options.rate_per_s = 200;
    options.duration_s = 2;
    options.warmup_s = 0.5;
    options.drain_s = 2;
    options.sources = 1;
    options.token = server.bot_token();
    return options;
}

TEST(Bench, HttpPublishersAreAnsweredAndTheirMessagesDelivered) {
    raise_open_file_limit();
    TestServer server;
    auto options = short_run(server);
    options.publish_via = loadgen::PublishVia::http;
    options.publishers = 2;
    options.http_pipeline = 4;

    const loadgen::BenchReport report = loadgen::BenchRunner(options).run();

    EXPECT_EQ(report.publisher_failure, "");
    EXPECT_EQ(report.connections_ready, 10u);
    EXPECT_EQ(report.publish_via, "http");
    EXPECT_EQ(report.published, 400u);  // 200 msg/s for 2 s, over both connections
    ASSERT_TRUE(report.http);
    EXPECT_EQ(report.http->publishers, 2u);
    EXPECT_EQ(report.http->pipeline, 4u);
    EXPECT_GT(report.http->answered, 0u);
    EXPECT_LE(report.http->answered, report.published);
    EXPECT_TRUE(report.http->error_statuses.empty());
    EXPECT_EQ(report.publish_rejected, 0u);
    EXPECT_GT(report.deliveries_received, 0u);
    EXPECT_EQ(report.deliveries_duplicated, 0u);
    EXPECT_FALSE(report.slow);
}

TEST(Bench, HttpPublishersCountRefusalsByStatus) {
    TestServer server;
    auto options = short_run(server);
    options.publish_via = loadgen::PublishVia::http;
    options.duration_s = 0.5;
    options.warmup_s = 0;
    options.drain_s = 0.5;
    options.token = server.forged_token();

    const loadgen::BenchReport report = loadgen::BenchRunner(options).run();

    ASSERT_TRUE(report.http);
    EXPECT_EQ(report.http->answered, report.published);
    ASSERT_EQ(report.http->error_statuses.size(), 1u);
    EXPECT_EQ(report.http->error_statuses.begin()->first, 401u);
    EXPECT_EQ(report.http->error_statuses.begin()->second, report.published);
    EXPECT_EQ(report.publish_rejected, report.published);
    EXPECT_EQ(report.deliveries_received, 0u);
}

TEST(Bench, SlowAndFastReadersAreReportedApart) {
    raise_open_file_limit();
    TestServer server;
    auto options = short_run(server);
    options.warmup_s = 0;  // a warm-up backlog would hold the slow readers behind it
    options.read_rate_bytes_per_s = 20'000;
    options.slow_fraction = 0.5;

    const loadgen::BenchReport report = loadgen::BenchRunner(options).run();

    EXPECT_EQ(report.publisher_failure, "");
    ASSERT_TRUE(report.slow);
    ASSERT_TRUE(report.fast);
    EXPECT_EQ(report.slow->subscribers, 5u);
    EXPECT_EQ(report.fast->subscribers, 5u);
    EXPECT_GT(report.fast->received, 0u);
    EXPECT_GT(report.slow->received, 0u);
    EXPECT_EQ(report.slow->received + report.fast->received, report.deliveries_received);
    EXPECT_EQ(report.slow->closed + report.fast->closed, report.connections_lost);
}

TEST(Bench, GiftsAmongTheDanmakuAreMatchedToTheirPushes) {
    raise_open_file_limit();
    TestServer server;
    const std::string giver = server.viewer_token();
    ASSERT_EQ(server
                  .post("/api/v1/admin/grants", R"({"uid":3,"coins":100000,"reason":"bench","request_id":"g1"})",
                        server.admin_token())
                  .status,
              200u);
    auto options = short_run(server);
    options.publish_via = loadgen::PublishVia::http;
    options.publishers = 2;
    options.http_pipeline = 4;
    options.gift_every = 20;  // 20 of the 400 measured messages, 10 coins each
    options.gift_token = giver;

    const loadgen::BenchReport report = loadgen::BenchRunner(options).run();

    EXPECT_EQ(report.publisher_failure, "");
    EXPECT_EQ(report.published, 380u);  // the danmaku only
    ASSERT_TRUE(report.gifts);
    EXPECT_EQ(report.gifts->sent, 20u);
    EXPECT_EQ(report.gifts->answered, 20u);
    EXPECT_EQ(report.gifts->accepted, 20u);
    EXPECT_EQ(report.gifts->deliveries_expected, 200u);  // 20 gifts × 10 subscribers
    EXPECT_EQ(report.gifts->deliveries_received, 200u);
    EXPECT_EQ(report.gifts->deliveries_duplicated, 0u);
    EXPECT_GT(report.gifts->latency_max_ms, 0);
    // The danmaku still count without the gifts' slots: nothing is missing.
    EXPECT_EQ(report.deliveries_expected, 3800u);
    EXPECT_EQ(report.loss_percent, 0);
    // What was paid: 25 gifts with the warm-up's 5, at 10 coins.
    EXPECT_EQ(int_field(server.get("/api/v1/wallet", giver).json().at("data").as_object(), "balance"),
              100000 - 25 * 10);
}

}  // namespace
}  // namespace barrage::test
