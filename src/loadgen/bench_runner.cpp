#include "loadgen/bench_runner.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "loadgen/delivery_recorder.h"
#include "loadgen/gift_tally.h"
#include "loadgen/http_publisher.h"
#include "loadgen/process_probe.h"
#include "loadgen/publisher.h"
#include "loadgen/session.h"
#include "loadgen/subscriber_pool.h"

namespace barrage::loadgen {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kProgressInterval = std::chrono::seconds(2);

TransportConfig transport_config(const BenchOptions& options) {
    return TransportConfig{
        .kind = options.transport,
        .host = net::ip::make_address(options.host),
        .port = options.port,
        .path = options.path,
        .text_frames = options.target == Target::ws,
        // Barrage packets and NATS commands are parsed as streams; ws peer messages are not.
        .whole_messages = options.target == Target::ws,
        .bind_source = net::ip::make_address(options.host).is_loopback(),
    };
}

DialogueConfig dialogue_config(const BenchOptions& options, bool publisher) {
    return DialogueConfig{
        .target = options.target,
        .room = options.room,
        .protover = options.protover,
        .token = publisher ? options.token : std::string{},
        // The publisher reads only its answers: fed the room, it would get its own messages
        // back (never shed) and be closed behind them at high rates.
        .receive = !publisher,
    };
}

double seconds_between(std::int64_t start_ns, std::int64_t end_ns) {
    return static_cast<double>(end_ns - start_ns) / 1e9;
}

double milliseconds(std::uint64_t microseconds) {
    return static_cast<double>(microseconds) / 1000.0;
}

}  // namespace

// One I/O thread with its own io_context and whatever runs on it. Members are destroyed
// after the thread has stopped: pool and publisher first, the io_context (and with it every
// suspended coroutine) last.
class ClientThread {
public:
    // `slow_index_count`: the slow readers' recorder size, 0 when there are none.
    ClientThread(std::size_t index_count, std::size_t slow_index_count)
        : recorder(index_count), slow_recorder(slow_index_count) {}
    ~ClientThread() { stop(); }

    // `name` (at most 15 characters) shows in top -H and perf.
    void start(std::string name) {
        thread = std::thread([this, name = std::move(name)] {
            ::pthread_setname_np(::pthread_self(), name.c_str());
            io.run();
        });
    }
    void stop() {
        work.reset();
        io.stop();
        if (thread.joinable()) {
            thread.join();
        }
    }

    net::io_context io{1};
    net::executor_work_guard<net::io_context::executor_type> work{io.get_executor()};
    DeliveryRecorder recorder;
    DeliveryRecorder slow_recorder;  // what the slow readers on this thread received
    std::unique_ptr<SubscriberPool> pool;
    std::thread thread;
};

BenchRunner::BenchRunner(const BenchOptions& options) : options_(options) {
    index_count_ =
        options_.idle ? 0 : static_cast<std::size_t>(std::llround(options_.rate_per_s * options_.duration_s));
    report_.target = options_.target == Target::barrage ? "barrage" : options_.target == Target::nats ? "nats" : "ws";
    report_.transport = options_.transport == TransportKind::tcp ? "tcp" : "ws";
    report_.protover = options_.protover;
    report_.idle = options_.idle;
    report_.rate_per_s = options_.idle ? 0 : options_.rate_per_s;
    report_.size_bytes = options_.size_bytes;
    report_.duration_s = options_.duration_s;
    report_.connections_requested = options_.connections;
    report_.publish_via = options_.publish_via == PublishVia::http ? "http" : "op4";
    slow_readers_ = options_.read_rate_bytes_per_s > 0;
    if (slow_readers_) {
        report_.read_rate_bytes_per_s = options_.read_rate_bytes_per_s;
        report_.slow_fraction = options_.slow_fraction;
        report_.slow_window_bytes = options_.slow_window_bytes;
    }
}

BenchRunner::~BenchRunner() {
    // The publisher and the pools are referenced by coroutines on their threads.
    stop_threads();
}

BenchReport BenchRunner::run() {
    if (auto before = sample_process(options_.server_pid)) {
        report_.server_rss_before_bytes = before->rss_bytes;
    }
    start_threads();
    connect_subscribers();
    if (auto connected = sample_process(options_.server_pid)) {
        report_.server_rss_connected_bytes = connected->rss_bytes;
    }
    if (options_.idle) {
        hold_idle();
    } else {
        publish_and_drain();
    }
    stop_threads();
    if (!options_.idle) {
        add_up_deliveries();
    }
    report_.connections_ready = ready();
    report_.connections_failed = failed();
    report_.connections_lost = lost();
    for (const auto& client : subscriber_threads_) {
        for (const auto& [reason, count] : client->pool->failures()) {
            report_.connect_failures[reason] += count;
        }
        for (const auto& [reason, count] : client->pool->lost_reasons()) {
            report_.lost_reasons[reason] += count;
        }
    }
    return report_;
}

void BenchRunner::start_threads() {
    const TransportConfig transport = transport_config(options_);
    const DialogueConfig dialogue = dialogue_config(options_, false);
    const std::size_t threads = std::max(1u, options_.threads);
    // Run-wide numbers interleave over the threads, so each thread gets its share of slow readers.
    const std::size_t slow_count =
        slow_readers_
            ? static_cast<std::size_t>(std::llround(options_.slow_fraction * static_cast<double>(options_.connections)))
            : 0;
    for (std::size_t t = 0; t < threads; ++t) {
        auto client = std::make_unique<ClientThread>(index_count_, slow_count > 0 ? index_count_ : 0);
        const PoolPlan plan{
            .count = options_.connections / threads + (t < options_.connections % threads ? 1 : 0),
            .first_ordinal = t,
            .ordinal_stride = threads,
            .sources = options_.sources,
            .in_flight_max = std::max<std::size_t>(1, options_.connect_in_flight_max / threads),
            .attempts = 3,
            .timeout = std::chrono::milliseconds(std::llround(options_.connect_timeout_s * 1000)),
            .slow_ordinal_end = slow_count,
            .read_rate_per_s = options_.read_rate_bytes_per_s,
            .slow_receive_buffer_bytes = options_.slow_window_bytes,
        };
        if (options_.gift_every != 0) {
            // Each thread's share of the room's gifts, for every subscriber it holds.
            const std::size_t gifts = index_count_ / options_.gift_every + 1;
            client->recorder.track_gifts(gifts * (plan.count - std::min(plan.count, slow_count / threads)));
            client->slow_recorder.track_gifts(slow_count > 0 ? gifts * (slow_count / threads + 1) : 0);
        }
        client->pool = std::make_unique<SubscriberPool>(client->io, plan, transport, dialogue, client->recorder,
                                                        client->slow_recorder);
        client->start("bench-sub-" + std::to_string(t));
        subscriber_threads_.push_back(std::move(client));
    }
}

// Connects everyone, bounded in time: each subscriber gets 3 attempts, and the phase as a
// whole gives up after 2 minutes plus 10 ms per connection, then runs with whoever made it.
void BenchRunner::connect_subscribers() {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::seconds(120) + std::chrono::milliseconds(10 * options_.connections);
    for (const auto& client : subscriber_threads_) {
        client->pool->start();
    }
    auto next_progress = start + kProgressInterval;
    while (ready() + failed() < options_.connections && Clock::now() < deadline) {
        std::this_thread::sleep_for(kPollInterval);
        if (Clock::now() >= next_progress) {
            std::cerr << "  connecting: " << ready() << " ready, " << failed() << " failed of " << options_.connections
                      << '\n';
            next_progress += kProgressInterval;
        }
    }
    report_.connect_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::cerr << "  connected: " << ready() << " ready, " << failed() << " failed in " << report_.connect_seconds
              << " s\n";
}

void BenchRunner::hold_idle() {
    sample_server_start();
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.duration_s));
    sample_server_end(0);
    const double connections = static_cast<double>(ready());
    if (report_.server_rss_before_bytes && report_.server_rss_end_bytes && connections > 0) {
        report_.server_rss_per_connection_bytes = (static_cast<double>(*report_.server_rss_end_bytes) -
                                                   static_cast<double>(*report_.server_rss_before_bytes)) /
                                                  connections;
    }
}

void BenchRunner::publish_and_drain() {
    publisher_thread_ = std::make_unique<ClientThread>(0, 0);
    const auto connect_timeout = std::chrono::milliseconds(std::llround(options_.connect_timeout_s * 1000));
    if (options_.publish_via == PublishVia::http) {
        TransportConfig http = transport_config(options_);
        http.port = options_.http_port;
        auto publisher = std::make_unique<HttpPublisher>(publisher_thread_->io, http,
                                                         HttpPublishPlan{
                                                             .connections = options_.publishers,
                                                             .pipeline = options_.http_pipeline,
                                                             .rate_per_s = options_.rate_per_s,
                                                             .warmup_s = options_.warmup_s,
                                                             .duration_s = options_.duration_s,
                                                             .size_bytes = options_.size_bytes,
                                                             .connect_timeout = connect_timeout,
                                                             .room = options_.room,
                                                             .token = options_.token,
                                                             .gift_every = options_.gift_every,
                                                             .gift_id = options_.gift_id,
                                                             .gift_token = options_.gift_token,
                                                             .request_prefix = request_prefix(),
                                                         });
        http_publisher_ = publisher.get();
        publisher_ = std::move(publisher);
    } else {
        publisher_ = std::make_unique<Publisher>(publisher_thread_->io, transport_config(options_),
                                                 dialogue_config(options_, true),
                                                 PublishPlan{
                                                     .rate_per_s = options_.rate_per_s,
                                                     .warmup_s = options_.warmup_s,
                                                     .duration_s = options_.duration_s,
                                                     .size_bytes = options_.size_bytes,
                                                     .connect_timeout = connect_timeout,
                                                 });
    }
    publisher_thread_->start("bench-publish");
    publisher_->start();
    if (!wait_for_measuring()) {
        return;
    }
    sample_server_start();
    // Everyone connected now is expected to receive every measured message.
    const std::uint64_t subscribers = ready() - lost();
    report_.subscribers_measured = subscribers;
    while (publisher_->phase() == PublishPhase::measuring) {
        std::this_thread::sleep_for(kPollInterval);
    }
    drain(subscribers);
    sample_server_end(static_cast<double>(received()));
}

// Waits for the publisher to connect and warm up. False (with the reason reported) when it
// could not connect.
bool BenchRunner::wait_for_measuring() {
    for (;;) {
        const PublishPhase phase = publisher_->phase();
        if (phase == PublishPhase::measuring || phase == PublishPhase::done) {
            return true;
        }
        if (phase == PublishPhase::failed) {
            publisher_thread_->stop();
            report_.publisher_failure = "publisher could not connect: " + publisher_->failure();
            std::cerr << "  " << report_.publisher_failure << '\n';
            return false;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

// After the last publish, waits until every expected delivery has arrived or --drain seconds
// have passed; anything later counts as lost.
void BenchRunner::drain(std::uint64_t subscribers) {
    const std::uint64_t expected = publisher_->published() * subscribers;
    const auto deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.drain_s));
    while (received() < expected && Clock::now() < deadline) {
        std::this_thread::sleep_for(kPollInterval);
    }
}

// Adds up what every thread received, once all threads have stopped.
void BenchRunner::add_up_deliveries() {
    if (!publisher_) {
        return;
    }
    const std::uint64_t published = publisher_->published();
    const std::uint64_t subscribers = report_.subscribers_measured;
    LatencyHistogram latency;
    std::uint64_t received_total = 0;
    std::int64_t last_receive_ns = 0;
    for (const auto& client : subscriber_threads_) {
        for (const DeliveryRecorder* recorder : {&client->recorder, &client->slow_recorder}) {
            latency.merge(recorder->latency());
            received_total += recorder->received();
            last_receive_ns = std::max(last_receive_ns, recorder->last_receive_ns());
        }
    }
    // A message counted more often than there are subscribers was delivered twice somewhere.
    std::uint64_t duplicated = 0;
    for (std::size_t index = 0; index < published && index < index_count_; ++index) {
        std::uint64_t count = 0;
        for (const auto& client : subscriber_threads_) {
            count += client->recorder.count_of(index);
            if (client->slow_recorder.index_count() > index) {
                count += client->slow_recorder.count_of(index);
            }
        }
        duplicated += count > subscribers ? count - subscribers : 0;
    }
    report_.published = published;
    report_.publisher_failure = publisher_->failure();
    report_.publish_rejected = publisher_->rejected();
    report_.first_rejection = publisher_->first_rejection();
    const std::int64_t start_ns = publisher_->measure_start_ns();
    const std::int64_t end_ns = std::max(publisher_->measure_end_ns(), start_ns + 1);
    report_.publish_rate_per_s = static_cast<double>(published) / seconds_between(start_ns, end_ns);
    report_.deliveries_expected = published * subscribers;
    report_.deliveries_received = received_total;
    report_.deliveries_duplicated = duplicated;
    const double window_s = seconds_between(start_ns, std::max(end_ns, last_receive_ns));
    report_.deliveries_per_s = static_cast<double>(received_total) / window_s;
    const std::uint64_t unique = received_total - std::min(received_total, duplicated);
    report_.loss_percent = report_.deliveries_expected == 0
                               ? 0
                               : 100.0 * (1.0 - static_cast<double>(std::min(unique, report_.deliveries_expected)) /
                                                    static_cast<double>(report_.deliveries_expected));
    report_.latency_p50_ms = static_cast<double>(latency.percentile_us(0.5)) / 1000.0;
    report_.latency_p99_ms = static_cast<double>(latency.percentile_us(0.99)) / 1000.0;
    report_.latency_p999_ms = static_cast<double>(latency.percentile_us(0.999)) / 1000.0;
    report_.latency_max_ms = static_cast<double>(latency.max_us()) / 1000.0;
    if (slow_readers_) {
        add_up_classes();
    }
    if (http_publisher_ != nullptr) {
        add_up_http();
    }
    if (options_.gift_every != 0 && http_publisher_ != nullptr) {
        add_up_gifts();
    }
}

// Matches the subscribers' gift pushes to the gifts the server accepted: all of them together
// for the room's figures, and slow and fast readers apart when --read-rate splits them.
void BenchRunner::add_up_gifts() {
    const HttpAnswerStats& answers = http_publisher_->answers();
    std::vector<const std::vector<DeliveryRecorder::GiftReceipt>*> fast;
    std::vector<const std::vector<DeliveryRecorder::GiftReceipt>*> slow;
    for (const auto& client : subscriber_threads_) {
        fast.push_back(&client->recorder.gift_receipts());
        slow.push_back(&client->slow_recorder.gift_receipts());
    }
    std::vector<const std::vector<DeliveryRecorder::GiftReceipt>*> all = fast;
    all.insert(all.end(), slow.begin(), slow.end());
    const std::uint64_t subscribers = report_.subscribers_measured;
    const GiftTally tally = tally_gifts(answers.gifts_accepted, all, subscribers);
    GiftReport gifts{
        .every = options_.gift_every,
        .sent = answers.gifts_sent,
        .accepted = answers.gifts_accepted.size(),
        .answered = answers.gifts_answered,
        .deliveries_expected = answers.gifts_accepted.size() * subscribers,
        .deliveries_received = tally.received - std::min(tally.received, tally.duplicated),
        .deliveries_duplicated = tally.duplicated,
    };
    if (gifts.deliveries_expected > 0) {
        gifts.delivered_percent =
            100.0 * static_cast<double>(gifts.deliveries_received) / static_cast<double>(gifts.deliveries_expected);
    }
    gifts.latency_p50_ms = milliseconds(tally.latency.percentile_us(0.5));
    gifts.latency_p99_ms = milliseconds(tally.latency.percentile_us(0.99));
    gifts.latency_max_ms = milliseconds(tally.latency.max_us());
    gifts.answer_p99_ms = milliseconds(answers.gift_answer_latency.percentile_us(0.99));
    report_.gifts = gifts;
    if (report_.slow && report_.fast) {
        report_.slow->gifts_received = tally_gifts(answers.gifts_accepted, slow, report_.slow->subscribers).received;
        report_.fast->gifts_received = tally_gifts(answers.gifts_accepted, fast, report_.fast->subscribers).received;
    }
}

// Unique per run, so gifts of an earlier run on the same data are not answered as replays.
std::string BenchRunner::request_prefix() const {
    return "bench" + std::to_string(::getpid()) + "x" + std::to_string(steady_now_ns() / 1'000'000);
}

// Slow readers and the others side by side: deliveries, latency, and how many the server
// closed (a slow reader past the server's outbound bound is closed, by design).
void BenchRunner::add_up_classes() {
    LatencyHistogram slow_latency;
    LatencyHistogram fast_latency;
    SubscriberClassReport slow;
    SubscriberClassReport fast;
    for (const auto& client : subscriber_threads_) {
        slow_latency.merge(client->slow_recorder.latency());
        fast_latency.merge(client->recorder.latency());
        slow.received += client->slow_recorder.received();
        fast.received += client->recorder.received();
        slow.subscribers += client->pool->slow_ready();
        fast.subscribers += client->pool->ready() - client->pool->slow_ready();
        slow.closed += client->pool->slow_lost();
        fast.closed += client->pool->lost() - client->pool->slow_lost();
    }
    for (auto [target, latency] : {std::pair{&slow, &slow_latency}, std::pair{&fast, &fast_latency}}) {
        target->latency_p50_ms = milliseconds(latency->percentile_us(0.5));
        target->latency_p99_ms = milliseconds(latency->percentile_us(0.99));
        target->latency_max_ms = milliseconds(latency->max_us());
    }
    report_.slow = slow;
    report_.fast = fast;
}

void BenchRunner::add_up_http() {
    const HttpAnswerStats& answers = http_publisher_->answers();
    HttpPublishReport http{
        .publishers = options_.publishers,
        .pipeline = options_.http_pipeline,
        .answered = answers.answered,
        .unanswered = report_.published - std::min(report_.published, answers.answered),
        .error_statuses = answers.error_statuses,
    };
    const std::int64_t start_ns = publisher_->measure_start_ns();
    if (answers.last_answer_ns > start_ns) {
        http.answered_per_s = static_cast<double>(answers.answered) / seconds_between(start_ns, answers.last_answer_ns);
    }
    http.answer_p50_ms = milliseconds(answers.latency.percentile_us(0.5));
    http.answer_p99_ms = milliseconds(answers.latency.percentile_us(0.99));
    http.answer_max_ms = milliseconds(answers.latency.max_us());
    report_.http = std::move(http);
}

void BenchRunner::stop_threads() {
    if (publisher_thread_) {
        publisher_thread_->stop();
    }
    for (const auto& client : subscriber_threads_) {
        client->stop();
    }
}

void BenchRunner::sample_server_start() {
    if (auto server = sample_process(options_.server_pid)) {
        server_cpu_start_s_ = server->cpu_seconds;
    }
    if (auto self = sample_self()) {
        loadgen_cpu_start_s_ = self->cpu_seconds;
    }
}

void BenchRunner::sample_server_end(double deliveries) {
    if (auto server = sample_process(options_.server_pid)) {
        report_.server_cpu_seconds = server->cpu_seconds - server_cpu_start_s_;
        report_.server_rss_end_bytes = server->rss_bytes;
        if (deliveries > 0) {
            report_.server_cpu_s_per_million = *report_.server_cpu_seconds / (deliveries / 1e6);
        }
    }
    if (auto self = sample_self()) {
        report_.loadgen_cpu_seconds = self->cpu_seconds - loadgen_cpu_start_s_;
        if (deliveries > 0) {
            report_.loadgen_cpu_s_per_million = *report_.loadgen_cpu_seconds / (deliveries / 1e6);
        }
    }
}

std::uint64_t BenchRunner::ready() const {
    std::uint64_t sum = 0;
    for (const auto& client : subscriber_threads_) {
        sum += client->pool->ready();
    }
    return sum;
}

std::uint64_t BenchRunner::failed() const {
    std::uint64_t sum = 0;
    for (const auto& client : subscriber_threads_) {
        sum += client->pool->failed();
    }
    return sum;
}

std::uint64_t BenchRunner::lost() const {
    std::uint64_t sum = 0;
    for (const auto& client : subscriber_threads_) {
        sum += client->pool->lost();
    }
    return sum;
}

std::uint64_t BenchRunner::received() const {
    std::uint64_t sum = 0;
    for (const auto& client : subscriber_threads_) {
        sum += client->recorder.received() + client->slow_recorder.received();
    }
    return sum;
}

}  // namespace barrage::loadgen
