#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loadgen/http_response_parser.h"
#include "loadgen/latency_histogram.h"
#include "loadgen/publisher.h"
#include "loadgen/transport.h"

namespace barrage::loadgen {

struct HttpPublishPlan {
    std::size_t connections = 1;  // keep-alive connections, each its share of the rate
    std::size_t pipeline = 1;     // requests in flight per connection; 1 = wait for each answer
    double rate_per_s = 1000;     // all connections together
    double warmup_s = 0;
    double duration_s = 10;
    std::size_t size_bytes = 100;  // marker text per message
    std::chrono::milliseconds connect_timeout{10'000};
    std::uint64_t room = 1;
    std::string token;  // sent as "Authorization: Bearer <token>"
    // Gifts among the danmaku: message i of either phase is a gift when i % gift_every ==
    // gift_every - 1 (0 = no gifts). They are POSTed to /api/v1/rooms/{room}/gifts with
    // `gift_token` (a user with coins) and request ids "<request_prefix>-W<i>" (warm-up) or
    // "-M<i>", so a rerun against the same data directory is not answered as a replay.
    std::size_t gift_every = 0;
    std::uint64_t gift_id = 1;
    std::string gift_token;
    std::string request_prefix = "bench";
};

// A measured gift the server accepted: its ledger order (which the push carries) and when its
// request was written, so deliveries can be timed once the run is over (a push may arrive
// before the answer that names its order).
struct GiftSend {
    std::uint64_t order_id = 0;
    std::int64_t send_ns = 0;
};

// What the answers to the HTTP publishes said. The latency and the answered count cover the
// measured requests; the error statuses every answer, warm-up included (as op 4 rejections do).
struct HttpAnswerStats {
    std::uint64_t answered = 0;                        // measured requests answered, any status
    std::int64_t last_answer_ns = 0;                   // steady_now_ns() of the last measured answer
    LatencyHistogram latency;                          // request written -> whole answer read, measured only
    std::map<unsigned, std::uint64_t> error_statuses;  // status (not 2xx) -> answers
    std::string first_error;                           // status and body of the first of them
    // Measured gifts: the danmaku figures above leave them out.
    std::uint64_t gifts_sent = 0;
    std::uint64_t gifts_answered = 0;
    std::vector<GiftSend> gifts_accepted;  // 2xx answers naming an order, in answer order
    LatencyHistogram gift_answer_latency;
};

// Publishes over the HTTP API instead of op 4: `connections` keep-alive HTTP/1.1 connections,
// each POSTing /api/v1/rooms/{room}/danmaku with {"msg": "<marker text>"} so subscribers still
// measure delivery latency (gifts, when asked for, go to the gift endpoint instead). The messages keep one global schedule: message i (warm-up, then
// measured) is due at start + i / rate and goes out on connection i mod connections, with at
// most `pipeline` requests written ahead of their answers (HTTP/1.1 pipelining: answers come
// back in request order). A message that finds its connection's pipeline full waits for an
// answer and goes out late, carrying its real send time, so a slow server shows as latency.
// Owner thread only (the io_context's), except as PublishSource says.
class HttpPublisher final : public PublishSource {
public:
    // `transport` names the server's HTTP listener (kind and framing are ignored: plain TCP).
    HttpPublisher(net::io_context& io, const TransportConfig& transport, HttpPublishPlan plan);
    ~HttpPublisher() override;

    void start() override;
    PublishPhase phase() const override { return phase_.load(std::memory_order_acquire); }
    std::uint64_t published() const override { return published_.load(std::memory_order_relaxed); }
    std::int64_t measure_start_ns() const override { return measure_start_ns_.load(); }
    std::int64_t measure_end_ns() const override { return measure_end_ns_.load(); }
    const std::string& failure() const override { return failure_; }
    std::uint64_t rejected() const override;
    std::string first_rejection() const override { return answers_.first_error; }

    // Read after the owner thread has stopped.
    const HttpAnswerStats& answers() const { return answers_; }

private:
    struct Connection;
    class AnswerSink;

    net::awaitable<void> run();
    net::awaitable<std::string> connect_all();
    net::awaitable<void> send_loop(std::shared_ptr<Connection> connection, std::int64_t warmup_start_ns,
                                   std::int64_t measure_start_ns);
    net::awaitable<void> read_loop(std::shared_ptr<Connection> connection);
    // Appends the request carrying message `index` of the phase with `prefix`.
    void append_request(std::string& out, std::string_view prefix, std::uint64_t index, std::int64_t now_ns);
    void append_gift_request(std::string& out, bool measured, std::uint64_t index);
    bool is_gift(std::uint64_t index) const {
        return plan_.gift_every != 0 && index % plan_.gift_every == plan_.gift_every - 1;
    }
    void on_answer(Connection& connection, const HttpAnswer& answer, std::int64_t now_ns);
    void close(Connection& connection, std::string_view reason);
    std::int64_t due_ns(std::int64_t phase_start_ns, std::uint64_t index) const;

    net::io_context& io_;
    TransportConfig transport_;
    HttpPublishPlan plan_;
    std::uint64_t warmup_total_;
    std::uint64_t measured_total_;
    double interval_ns_;
    std::string request_head_;  // the request up to the Content-Length value
    std::string gift_head_;     // the same for a gift
    std::string text_;          // marker text scratch, reused
    std::vector<std::shared_ptr<Connection>> connections_;
    std::size_t senders_running_ = 0;
    net::steady_timer all_sent_;  // cancelled when the last sender is done
    HttpAnswerStats answers_;
    std::string failure_;
    std::atomic<PublishPhase> phase_{PublishPhase::connecting};
    std::atomic<std::uint64_t> published_{0};
    std::atomic<std::int64_t> measure_start_ns_{0};
    std::atomic<std::int64_t> measure_end_ns_{0};
};

}  // namespace barrage::loadgen
