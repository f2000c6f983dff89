#include "sandbox/call_report.h"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace barrage::sandbox {
namespace {

namespace json = boost::json;

CallReport::Call answered(std::string_view target, unsigned status, std::optional<std::int64_t> code,
                          std::uint64_t latency_us) {
    return CallReport::Call{
        .method = "POST", .target = target, .status = status, .code = code, .latency_us = latency_us};
}

TEST(CallReport, CountsCallsStatusesCodesAndLatenciesPerEndpoint) {
    CallReport report;
    report.record(answered("/v2/app/start", 200, 0, 900));
    report.record(answered("/v2/app/start?debug=1", 200, 7007, 1'100));  // the query is not the endpoint
    report.record(answered("/v2/app/start", 200, 7007, 2'000));
    report.record(answered("/v2/app/heartbeat", 200, 7003, 300));
    report.record(answered("/missing", 404, std::nullopt, 50));
    EXPECT_EQ(report.calls(), 5U);

    const auto out = report.to_json();
    EXPECT_EQ(out.at("calls").as_uint64(), 5U);
    const auto& endpoints = out.at("endpoints").as_object();
    ASSERT_EQ(endpoints.size(), 3U);
    const auto& start = endpoints.at("POST /v2/app/start").as_object();
    EXPECT_EQ(start.at("method").as_string(), "POST");
    EXPECT_EQ(start.at("path").as_string(), "/v2/app/start");
    EXPECT_EQ(start.at("calls").as_uint64(), 3U);
    EXPECT_EQ(json::serialize(start.at("http_status")), R"({"200":3})");
    EXPECT_EQ(json::serialize(start.at("code")), R"({"0":1,"7007":2})");
    const auto& latency = start.at("latency_ms").as_object();
    EXPECT_EQ(latency.at("count").as_uint64(), 3U);
    // Bucket upper bounds within 1.6 %, never above the maximum.
    EXPECT_NEAR(latency.at("p50").as_double(), 1.1, 1.1 * 0.016);
    EXPECT_DOUBLE_EQ(latency.at("p99").as_double(), 2.0);
    EXPECT_DOUBLE_EQ(latency.at("max").as_double(), 2.0);
    EXPECT_EQ(json::serialize(endpoints.at("POST /v2/app/heartbeat").at("code")), R"({"7003":1})");
    EXPECT_EQ(json::serialize(endpoints.at("POST /missing").at("code")), R"({"none":1})");
    EXPECT_EQ(json::serialize(out.at("upstream_failures")),
              R"({"connection_refused":0,"timeout":0,"answer_too_large":0,"bad_answer":0,"other":0})");
    EXPECT_EQ(json::serialize(out.at("refused")), "{}");
}

TEST(CallReport, UpstreamFailuresAreCountedAsSuchWithTheir502AndNoCode) {
    CallReport report;
    auto refused = answered("/v2/app/end", 502, std::nullopt, 120);
    refused.failure = UpstreamFailure::connection_refused;
    report.record(refused);
    auto late = answered("/v2/app/end", 502, std::nullopt, 10'000'000);
    late.failure = UpstreamFailure::timeout;
    report.record(late);
    report.record(answered("/v2/app/end", 200, 0, 400));

    const auto out = report.to_json();
    const auto& end = out.at("endpoints").at("POST /v2/app/end").as_object();
    EXPECT_EQ(end.at("calls").as_uint64(), 3U);
    EXPECT_EQ(json::serialize(end.at("http_status")), R"({"200":1,"502":2})");
    EXPECT_EQ(json::serialize(end.at("code")), R"({"0":1})");  // codes are the upstream's answers'
    EXPECT_EQ(end.at("upstream_failures").at("connection_refused").as_uint64(), 1U);
    EXPECT_EQ(end.at("upstream_failures").at("timeout").as_uint64(), 1U);
    EXPECT_DOUBLE_EQ(end.at("latency_ms").at("max").as_double(), 10'000.0);
    EXPECT_EQ(out.at("upstream_failures").at("connection_refused").as_uint64(), 1U);
    EXPECT_EQ(out.at("upstream_failures").at("timeout").as_uint64(), 1U);
}

TEST(CallReport, EndpointsPastTheBoundShareOther) {
    CallReport report(CallReport::Limits{.endpoints_max = 256, .values_max = 32});
    for (int i = 0; i < 300; ++i) {
        report.record(answered("/guess/" + std::to_string(i), 404, std::nullopt, 10));
    }
    report.record(answered("/guess/0", 404, std::nullopt, 10));  // known: still its own
    EXPECT_EQ(report.endpoints(), 256U);
    const auto out = report.to_json();
    const auto& endpoints = out.at("endpoints").as_object();
    EXPECT_EQ(endpoints.size(), 257U);  // 256 by name and "other"
    EXPECT_EQ(endpoints.at("POST /guess/0").at("calls").as_uint64(), 2U);
    const auto& other = endpoints.at("other").as_object();
    EXPECT_EQ(other.at("calls").as_uint64(), 44U);
    EXPECT_EQ(other.at("path").as_string(), "*");
    EXPECT_EQ(other.at("latency_ms").at("count").as_uint64(), 44U);
    EXPECT_EQ(out.at("calls").as_uint64(), 301U);
}

TEST(CallReport, StatusesAndCodesPastTheBoundShareOther) {
    CallReport report(CallReport::Limits{.endpoints_max = 256, .values_max = 3});
    for (std::int64_t code = 1; code <= 5; ++code) {
        report.record(answered("/v2/app/start", static_cast<unsigned>(200 + code), code, 10));
    }
    report.record(answered("/v2/app/start", 201, 1, 10));
    const auto out = report.to_json();
    const auto& start = out.at("endpoints").at("POST /v2/app/start");
    EXPECT_EQ(json::serialize(start.at("http_status")), R"({"201":2,"202":1,"203":1,"other":2})");
    EXPECT_EQ(json::serialize(start.at("code")), R"({"1":2,"2":1,"3":1,"other":2})");
}

TEST(CallReport, RefusalsAreCountedByStatusAndAreNotCalls) {
    CallReport report;
    report.record_refusal(413);
    report.record_refusal(413);
    report.record_refusal(503);
    const auto out = report.to_json();
    EXPECT_EQ(report.calls(), 0U);
    EXPECT_EQ(json::serialize(out.at("refused")), R"({"413":2,"503":1})");
    EXPECT_TRUE(out.at("endpoints").as_object().empty());
}

TEST(UpstreamFailureOf, SortsTheClientsErrors) {
    EXPECT_EQ(upstream_failure_of(std::make_error_code(std::errc::connection_refused)),
              UpstreamFailure::connection_refused);
    EXPECT_EQ(upstream_failure_of(std::make_error_code(std::errc::timed_out)), UpstreamFailure::timeout);
    EXPECT_EQ(upstream_failure_of(std::make_error_code(std::errc::message_size)), UpstreamFailure::answer_too_large);
    EXPECT_EQ(upstream_failure_of(std::make_error_code(std::errc::bad_message)), UpstreamFailure::bad_answer);
    EXPECT_EQ(upstream_failure_of(std::make_error_code(std::errc::connection_reset)), UpstreamFailure::other);
}

}  // namespace
}  // namespace barrage::sandbox
