// A session cleans up however its reader ends: an exception out of the read path (a
// std::bad_alloc under memory pressure, injected here through SessionOptions::packet_probe)
// closes that connection alone, takes it out of its room and the registry, is counted in
// /metrics, and the registry's deadline sweep keeps running over the sessions that remain.

#include <gtest/gtest.h>

#include <new>

#include "support/json_helpers.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

using wire::Operation;

class SessionFailure : public ::testing::TestWithParam<Transport> {
protected:
    TestServer server_{[](app::Config& config) {
        // Deadline sweeps every 100 ms: a session left behind would be found at once.
        config.session.auth_timeout_ms = 400;
        config.hub.online_push_interval_ms = 100;
        config.session.packet_probe = [](const wire::Packet& packet) {
            if (packet.body == "throw bad_alloc") {
                throw std::bad_alloc();
            }
        };
    }};

    std::uint64_t online() {
        return static_cast<std::uint64_t>(
            int_field(server_.get("/api/v1/rooms/1").json().at("data").as_object(), "online"));
    }
};

TEST_P(SessionFailure, AnExceptionInTheReaderClosesThatSessionAloneAndItLeavesTheRoom) {
    auto bystander = server_.join(Transport::tcp, AuthBody().str());
    auto victim = server_.join(GetParam(), AuthBody().str());
    const auto live_before = server_.metric("barrage_sessions_live");
    const auto online_before = online();
    ASSERT_EQ(server_.metric("barrage_sessions_failed_total"), 0U);

    victim->send_packet(Operation::heartbeat, 1, "throw bad_alloc");
    EXPECT_TRUE(victim->wait_closed());
    EXPECT_EQ(server_.metric("barrage_sessions_failed_total"), 1U);
    EXPECT_EQ(server_.metric("barrage_sessions_live"), live_before - 1);

    // Its place in the room was given back: the online count drops (the home loop hears of it
    // by a post, so the next batch's count shows it).
    auto count = bystander->next_where(
        [&](const Received& r) {
            return r.cmd() == "ONLINE_RANK_COUNT" &&
                   r.json().at("data").at("online_count").as_int64() == static_cast<std::int64_t>(online_before - 1);
        },
        "the online count without the failed session");
    (void)count;

    // The deadline sweep still runs over the sessions that remain: a connection that never
    // authenticates is closed by it, and the server answers everyone else.
    auto silent = server_.connect(GetParam());
    EXPECT_TRUE(silent->wait_closed());
    auto sequence = server_.send_danmaku("after the failure", server_.viewer_token());
    EXPECT_EQ(sequence_of(bystander->next_cmd("DANMU_MSG").json()), sequence);
}

TEST_P(SessionFailure, AnExceptionBeforeAuthIsCleanedUpToo) {
    auto victim = server_.connect(GetParam());
    victim->send_packet(Operation::auth, 1, "throw bad_alloc");
    EXPECT_TRUE(victim->wait_closed());
    EXPECT_EQ(server_.metric("barrage_sessions_failed_total"), 1U);
    auto late = server_.join(GetParam(), AuthBody().str());
    late->send_heartbeat();
    late->next_operation(Operation::heartbeat_reply);
}

INSTANTIATE_TEST_SUITE_P(Transports, SessionFailure, ::testing::Values(Transport::tcp, Transport::ws),
                         transport_test_name);

}  // namespace
}  // namespace barrage::test
